/* config.c: the boot options: the kernel command line, running nbdroot, and what nbdroot --print-config derived. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "init.h"

/* nbdroot bounds its own waits (about 30 s of retries); this only catches a hang. */
#define NBDROOT_LIMIT_S 300
/* Temporary failures (exit 2: server not up yet) are retried this many times in all. */
#define NBDROOT_TRIES 3

struct boot_options opt;
static char cmdline[4096];
static char cfgout[8192];

/* Split /proc/cmdline in place (double quotes group words, as the kernel does). */
void parse_cmdline(void)
{
	char *p = cmdline, *w, *q;
	int quoted;

	if (read_file("/proc/cmdline", cmdline, sizeof(cmdline)) < 0)
		die("cannot read /proc/cmdline: %s", strerror(errno));
	while (*p) {
		while (*p == ' ' || *p == '\n' || *p == '\t')
			p++;
		if (!*p)
			break;
		for (w = q = p, quoted = 0; *p && (quoted || (*p != ' ' && *p != '\n' && *p != '\t')); p++) {
			if (*p == '"')
				quoted = !quoted;
			else
				*q++ = *p;
		}
		if (*p)
			p++;
		*q = '\0';
		if (strcmp(w, "--") == 0)
			break; /* the rest belongs to init */
		if (strncmp(w, "root=", 5) == 0)
			opt.root = w + 5;
		else if (strncmp(w, "rootfstype=", 11) == 0)
			opt.fstype = w + 11;
		else if (strncmp(w, "rootflags=", 10) == 0)
			opt.flags = w + 10;
		else if (strncmp(w, "init=", 5) == 0)
			opt.init = w + 5;
		else if (strcmp(w, "ro") == 0 || strcmp(w, "rw") == 0)
			opt.ro = w[1] == 'o'; /* the last one wins, as in the kernel */
		else if (strcmp(w, "nbdroot.shell") == 0 || strcmp(w, "rd.shell") == 0)
			opt.shell = 1;
	}
}

/* nbdroot attaches the device and exits; a supervisor it forks stays behind. */
void start_nbdroot(void)
{
	static char *const argv[] = { "nbdroot", NULL };
	int rc, i;

	for (i = 1;; i++) {
		rc = run(NBDROOT_BIN, argv, -1, 0, NBDROOT_LIMIT_S);
		if (rc == 0)
			return;
		if (rc == -2)
			die("%s still running after %d s: killed, no NBD root", NBDROOT_BIN,
			    NBDROOT_LIMIT_S);
		if (rc != 2 || i >= NBDROOT_TRIES)
			break;
		info("%s: temporary failure, trying again (%d of %d)", NBDROOT_BIN, i + 1,
		     NBDROOT_TRIES);
	}
	die("%s failed (exit %d%s): no NBD root", NBDROOT_BIN, rc,
	    rc == 1 ? ": permanent error" : rc == 2 ? ": server unreachable" : "");
}

/* Decode one KEY='value' line of shquote output (' is written as '\''). */
void shvalue(const char *out, const char *key, char *dst, size_t size)
{
	size_t klen = strlen(key), n = 0;
	const char *p;

	for (p = out; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen) != 0 || p[klen] != '=' || p[klen + 1] != '\'')
			continue;
		for (p += klen + 2; *p; p++) {
			if (p[0] == '\'' && p[1] == '\\' && p[2] == '\'' && p[3] == '\'') {
				p += 3;
			} else if (*p == '\'') {
				break;
			}
			if (n + 1 < size)
				dst[n++] = *p;
		}
		break;
	}
	dst[n] = '\0';
}

/* The device, fstype and flags nbdroot's own parser derived (dracut's root=nbd:... form). */
void nbdroot_config(void)
{
	static char *const argv[] = { "nbdroot", "--print-config", NULL };
	char ro[8];
	int fds[2];
	ssize_t n, have = 0;

	if (pipe(fds) < 0)
		return;
	/* The output is a few hundred bytes: it fits in the pipe before we read it. */
	if (run(NBDROOT_BIN, argv, fds[1], 0, 30) == 0) {
		close(fds[1]);
		while ((size_t)have < sizeof(cfgout) - 1 &&
		       (n = read(fds[0], cfgout + have, sizeof(cfgout) - 1 - (size_t)have)) > 0)
			have += n;
	} else {
		close(fds[1]);
	}
	close(fds[0]);
	cfgout[have] = '\0';
	shvalue(cfgout, "NBDROOT_DEVICE", opt.dev, sizeof(opt.dev));
	shvalue(cfgout, "NBDROOT_FSTYPE", opt.nbd_fstype, sizeof(opt.nbd_fstype));
	shvalue(cfgout, "NBDROOT_ROOTFLAGS", opt.nbd_flags, sizeof(opt.nbd_flags));
	shvalue(cfgout, "NBDROOT_READONLY", ro, sizeof(ro));
	opt.nbd_ro = strcmp(ro, "1") == 0;
	shvalue(cfgout, "NBDROOT_OVERLAY", opt.overlay, sizeof(opt.overlay));
	shvalue(cfgout, "NBDROOT_OVERLAY_SIZE", opt.overlay_size, sizeof(opt.overlay_size));
	if (opt.overlay[0] && strcmp(opt.overlay, "tmpfs") != 0)
		die("NBDROOT_OVERLAY='%s' from nbdroot --print-config: expected 'tmpfs' or ''",
		    opt.overlay);
	if (!opt.dev[0])
		strcpy(opt.dev, "/dev/nbd0");
}
