/* main.c: wires the command line, the network, the handshake and the kernel hand-off together. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errtext.h"
#include "addr.h"
#include "clock.h"
#include "cmdline.h"
#include "config.h"
#include "dhcp.h"
#include "handshake.h"
#include "kernel.h"
#include "log.h"
#include "net.h"
#include "netif.h"
#include "session.h"
#include "shquote.h"
#include "status.h"
#include "supervise.h"

#define EXIT_PERMANENT 1
#define EXIT_TEMPORARY 2

/* How long a boot keeps retrying a server that is not there (yet). */
#define RETRY_WINDOW_MS 30000u

static char at_prog[] = "@" NBDROOT_PROG;
static char cmdline_buf[65536];
static struct nbdroot_config cfg;
static struct dhcp_reply dhcp;

/* The modes in brief; nbdroot(8) has the rest (the binary must stay tiny). */
static const char usage_text[] =
	"usage: nbdroot [--cmdline TEXT] [--print-config | --probe | --status [DEV]]\n"
	"exit: 0 ok, 1 usage or permanent error, 2 temporary failure; see nbdroot(8)\n";

static int read_proc_cmdline(void)
{
	ssize_t n;
	size_t have = 0;
	int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		log_err("cmdline", "cannot open /proc/cmdline: %s", errtext(errno));
		return -1;
	}
	while (have < sizeof(cmdline_buf) - 1 &&
	       (n = read(fd, cmdline_buf + have, sizeof(cmdline_buf) - 1 - have)) > 0)
		have += (size_t)n;
	close(fd);
	cmdline_buf[have] = '\0';
	return 0;
}

/* Room for every --print-config line with each value at its longest. */
static char out[SHQUOTE_MAX(32, NBDROOT_STRING_MAX) + 12 * SHQUOTE_MAX(32, 256)];

/* NBDROOT_<key>='<value>': the prefix written once here, not kept in every key */
static char *put(char *p, const char *key, const char *value)
{
	memcpy(p, "NBDROOT_", 8);
	return shquote_put(p + 8, key, value);
}

static char *put_u64(char *p, const char *key, unsigned long long value)
{
	memcpy(p, "NBDROOT_", 8);
	return shquote_put_u64(p + 8, key, value);
}

static int print_config(void)
{
	char server[64];
	char *p = out;

	addr_format(&cfg.server, server, sizeof(server));
	p = put(p, "SERVER", server);
	p = put_u64(p, "PORT", cfg.port);
	p = put(p, "EXPORT", cfg.export_name);
	p = put(p, "DEVICE", cfg.device);
	p = put(p, "FSTYPE", cfg.fstype);
	p = put(p, "ROOTFLAGS", cfg.rootflags);
	p = put_u64(p, "TIMEOUT", cfg.timeout);
	p = put_u64(p, "DEAD_TIMEOUT", cfg.dead_timeout);
	p = put_u64(p, "CONNECTIONS", cfg.connections);
	p = put_u64(p, "READONLY", (unsigned long long)(cfg.readonly != 0));
	p = put(p, "OVERLAY", cfg.overlay ? "tmpfs" : "");
	p = put(p, "OVERLAY_SIZE", cfg.overlay_size);
	return shquote_write(1, out, p) ? EXIT_PERMANENT : 0;
}

/* Connect to session_server(&cfg, n) and negotiate once. Returns 0 with
 * *fd open, or an exit code. */
static int connect_once(struct nbd_export *ex, int *fd, unsigned n)
{
	char err[512];
	const char *stage;
	int rc = session_open(&cfg, n, ex, fd, &stage, err, sizeof(err));

	if (rc) {
		log_err(stage, "%s", err);
		return rc;
	}
	log_debug("handshake", "%s: size %llu flags 0x%x block size %u",
		  handshake_mode_name(ex->mode), (unsigned long long)ex->size,
		  (unsigned)ex->flags, (unsigned)ex->block_size);
	return 0;
}

/* Retry temporary failures (server not up yet, link still negotiating)
 * with a capped backoff inside the boot's retry window, each server in turn. */
static int connect_with_retry(struct nbd_export *ex, int *fd, unsigned *n)
{
	uint64_t until = clock_ms() + RETRY_WINDOW_MS;
	unsigned delay = 250;
	int rc;

	for (*n = 0;; ++*n) {
		rc = connect_once(ex, fd, *n);
		if (rc != EXIT_TEMPORARY || clock_ms() + delay >= until)
			return rc;
		usleep(delay * 1000u);
		if (delay < 4000)
			delay *= 2;
	}
}

static int need_server(void)
{
	if (cfg.server.family)
		return 0;
	if (cfg.ip.present && cfg.ip.server.family) {
		cfg.server = cfg.ip.server;
		return 0;
	}
	log_err("config", "no NBD server given: expected nbdroot=<server>:<port>/<export>, "
		"ip=<client>:<server>:..., or DHCP's root-path, next-server or server id");
	return EXIT_PERMANENT;
}

static int probe(void)
{
	struct nbd_export ex;
	char *p = out;
	int fd, rc;

	rc = need_server();
	if (rc)
		return rc;
	rc = connect_once(&ex, &fd, 0);
	if (rc)
		return rc;
	close(fd);
	p = put_u64(p, "SIZE", ex.size);
	p = put_u64(p, "TRANSMISSION_FLAGS", ex.flags);
	p = put_u64(p, "BLOCK_SIZE", ex.block_size);
	p = put(p, "HANDSHAKE", handshake_mode_name(ex.mode));
	p = put(p, "FINGERPRINT", ex.fingerprint);
	return shquote_write(1, out, p) ? EXIT_PERMANENT : 0;
}

/* Server discovery (DESIGN.md): the command line, the root-path's server,
 * next-server, the DHCP server itself. Command-line values win field by
 * field: with a root spec of its own, only a server is taken from DHCP. */
static int from_dhcp(void)
{
	static struct nbdroot_config d;
	uint32_t tun[3] = { cfg.timeout, cfg.dead_timeout, cfg.connections };
	const char *from = cfg.server.family ? "command line" : "root-path";
	char err[256], text[48];

	config_defaults(&d);
	if (dhcp.root_path[0] && rootspec_parse(dhcp.root_path, strlen(dhcp.root_path),
						"root-path", cfg.spec ? &d : &cfg, err,
						sizeof(err))) {
		if (!cfg.spec) {
			log_err("dhcp", "%s", err);
			return EXIT_PERMANENT;
		}
		log_info("dhcp", "ignored: %s", err);
	}
	/* nbdroot.* beat a root-path's nbdopts as they beat the command line's */
	if (tun[0] != NBDROOT_DEFAULT_TIMEOUT)
		cfg.timeout = tun[0];
	if (tun[1] != NBDROOT_DEFAULT_DEAD_TIMEOUT)
		cfg.dead_timeout = tun[1];
	if (tun[2] != NBDROOT_DEFAULT_CONNECTIONS)
		cfg.connections = tun[2];
	if (!cfg.server.family)
		cfg.server = d.server;
	if (!cfg.server.family) {
		const uint8_t *a = dhcp.siaddr[0] ? dhcp.siaddr : dhcp.server_id;

		from = dhcp.siaddr[0] ? "next-server" : "server id";
		cfg.server.family = a[0] ? 4 : 0;
		memcpy(cfg.server.bytes, a, 4);
	}
	addr_format(&cfg.server, text, sizeof(text));
	log_info("dhcp", "root %s port %u export \"%s\" (server from the %s)", text,
		 (unsigned)cfg.port, cfg.export_name, from);
	return 0;
}

static int bring_up_network(void)
{
	const char *ac = cfg.ip.autoconf;
	char err[256];
	int rc;

	if (cfg.ip.present && (cfg.ip.client.family || !strcmp(ac, "off") || !strcmp(ac, "none"))) {
		if (!cfg.ip.client.family)
			return 0; /* ip=off: the interface was configured by someone else */
		rc = netif_static(&cfg.ip, err, sizeof(err));
		if (rc)
			log_err("ip", "%s", err);
		return rc;
	}
	if (strchr(ac, '6') || !strcmp(ac, "rarp") || !strcmp(ac, "ibft")) {
		log_err("ip", "autoconf \"%s\" is not supported: expected dhcp or a static "
			"ip=<client>:<server>:<gw>:<netmask>:<host>:<dev>:off", ac);
		return EXIT_PERMANENT;
	}
	/* no ip= and a server on the command line: the network is someone else's */
	if (!cfg.ip.present && cfg.server.family)
		return 0;
	rc = dhcp_run(&cfg.ip, cfg.bootif, &dhcp);
	return rc ? rc : from_dhcp();
}

static int attach(void)
{
	struct nbd_export ex;
	int fds[NBDROOT_MAX_CONNECTIONS];
	int nfds = 1, i, rc;
	unsigned server;
	char err[256];

	rc = bring_up_network();
	if (rc)
		return rc;
	rc = need_server();
	if (rc)
		return rc;
	rc = connect_with_retry(&ex, &fds[0], &server);
	if (rc)
		return rc;
	if (cfg.connections > 1) {
		if (!(ex.flags & 0x100 /* NBD_FLAG_CAN_MULTI_CONN */)) {
			log_info("connect", "server does not advertise multi-conn: using 1 "
				 "connection instead of %u", (unsigned)cfg.connections);
		} else {
			for (; nfds < (int)cfg.connections; nfds++) {
				struct nbd_export more;

				rc = connect_once(&more, &fds[nfds], server);
				if (rc)
					goto fail;
				if (more.size != ex.size || more.flags != ex.flags ||
				    strcmp(more.fingerprint, ex.fingerprint)) {
					log_err("connect", "connection %d sees a different export "
						"(size %llu, expected %llu)", nfds + 1,
						(unsigned long long)more.size,
						(unsigned long long)ex.size);
					close(fds[nfds]);
					rc = EXIT_PERMANENT;
					goto fail;
				}
			}
		}
	}
	rc = kernel_attach(&cfg, &ex, fds, nfds, err, sizeof(err));
	if (rc) {
		log_err("kernel", "%s", err);
		goto fail;
	}
	log_info("attach", "%s: %llu bytes%s", cfg.device, (unsigned long long)ex.size,
		 (cfg.readonly || (ex.flags & 0x2)) ? ", read-only" : "");
	supervise_start(&cfg, &ex, fds, nfds, server);
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	return 0;
fail:
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	return rc;
}

int main(int argc, char **argv)
{
	enum { RUN, PRINT_CONFIG, PROBE, STATUS } mode = RUN;
	const char *text = NULL, *dev = NULL;
	char err[512], *a0 = argv[0];
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--print-config") == 0) {
			mode = PRINT_CONFIG;
		} else if (strcmp(argv[i], "--probe") == 0) {
			mode = PROBE;
		} else if (strcmp(argv[i], "--status") == 0) {
			mode = STATUS;
			if (i + 1 < argc && argv[i + 1][0] != '-')
				dev = argv[++i];
		} else if (strcmp(argv[i], "--cmdline") == 0 && i + 1 < argc) {
			text = argv[++i];
		} else if (strcmp(argv[i], "--help") == 0) {
			shquote_write(1, usage_text, usage_text + sizeof(usage_text) - 1);
			return 0;
		} else {
			log_err("usage", "unknown argument \"%s\", expected one that "
				"nbdroot --help names", argv[i]);
			return EXIT_PERMANENT;
		}
	}
	/* At boot (no mode, real command line) messages also go to the console. */
	log_to_kmsg(mode == RUN && text == NULL);
	if (!text) {
		if (read_proc_cmdline())
			return EXIT_PERMANENT;
		text = cmdline_buf;
	}
	if (cmdline_parse(text, strlen(text), &cfg, err, sizeof(err))) {
		log_err("cmdline", "%s", err);
		return EXIT_PERMANENT;
	}
	log_set_debug(cfg.debug);
	switch (mode) {
	case PRINT_CONFIG:
		return print_config();
	case PROBE:
		return probe();
	case STATUS:
		return status_print(dev ? dev : cfg.device);
	case RUN:
		break;
	}
	/* systemd spares processes whose argv[0] begins with '@' (root
	 * storage daemons) at switch_root and shutdown: the supervisor and the
	 * ioctl path's NBD_DO_IT child inherit the mark from here */
	if (a0[0] != '@') {
		argv[0] = at_prog;
		execv("/proc/self/exe", argv);
		argv[0] = a0;
		a0[0] = '@';
	}
	return attach();
}
