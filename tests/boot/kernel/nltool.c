/* nltool.c: guest-side probe of the nbd netlink family (STATUS, RECONFIGURE) built on nbdroot's own genl and socket code. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmdline.h"
#include "genl.h"
#include "handshake.h"
#include "kernel_backend.h"
#include "net.h"

/* usage: nltool status <index>
 *        nltool reconfigure <index> <cmdline> [no-backend]
 * Prints one line ("status index N connected C", "reconfigure error E")
 * and exits 0 when the kernel acked with 0, 1 otherwise. */

static unsigned num(const char *s)
{
	unsigned v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (unsigned)(*s++ - '0');
	return v;
}

int main(int argc, char **argv)
{
	static struct nbdroot_config cfg;
	uint8_t msg[1024];
	char err[512], backend[GENL_BACKEND_ID_MAX];
	struct genl_reply r;
	struct nbd_export ex;
	uint16_t family;
	uint32_t mcast, seq;
	size_t len;
	int fd, sock;

	if (argc < 3) {
		fputs("usage: nltool status N | reconfigure N CMDLINE [no-backend]\n", stderr);
		return 2;
	}
	fd = nbdnl_open(err, sizeof(err));
	if (fd < 0 || nbdnl_resolve(fd, &family, &mcast, err, sizeof(err)) != 0) {
		fprintf(stderr, "nltool: %s\n", err);
		return 2;
	}
	seq = nbdnl_seq();
	if (strcmp(argv[1], "status") == 0) {
		len = genl_build_nbd_status(msg, sizeof(msg), family, seq, num(argv[2]));
	} else if (strcmp(argv[1], "reconfigure") == 0 && argc >= 4) {
		if (cmdline_parse(argv[3], strlen(argv[3]), &cfg, err, sizeof(err))) {
			fprintf(stderr, "nltool: %s\n", err);
			return 2;
		}
		sock = net_connect(&cfg.server, cfg.port, 5000, err, sizeof(err));
		if (sock < 0 ||
		    nbd_handshake(sock, cfg.export_name, 10000, &ex, err, sizeof(err)) != HS_OK) {
			fprintf(stderr, "nltool: %s\n", err);
			return 2;
		}
		genl_backend_id(&cfg, backend, sizeof(backend));
		len = genl_build_nbd_reconfigure(msg, sizeof(msg), family, seq, num(argv[2]),
						 &sock, 1, argc > 4 ? NULL : backend);
	} else {
		fputs("nltool: unknown command\n", stderr);
		return 2;
	}
	if (nbdnl_transact(fd, msg, len, seq, family, NULL, &r, 5000, err, sizeof(err))) {
		fprintf(stderr, "nltool: %s\n", err);
		return 2;
	}
	if (argv[1][0] == 's')
		printf("status index %u connected %d error %d\n", (unsigned)r.index, r.connected,
		       r.error);
	else
		printf("reconfigure error %d%s%s\n", r.error, r.ext_msg[0] ? " " : "", r.ext_msg);
	return r.error ? 1 : 0;
}
