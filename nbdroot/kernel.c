/* kernel.c: hands the negotiated sockets to the nbd driver: netlink when the family exists, else ioctls. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "kernel.h"
#include "kernel_backend.h"
#include "log.h"
#include "nbd_proto.h"
#include "sysfs.h"

#define READY_TIMEOUT_MS 5000u

/* "/dev/nbdN" or "nbdN", N decimal without leading zeros. */
static int device_index(const char *dev, unsigned *index)
{
	const char *p = dev;
	unsigned long v = 0;

	if (strncmp(p, "/dev/", 5) == 0)
		p += 5;
	if (strncmp(p, "nbd", 3) != 0)
		return -1;
	p += 3;
	if (*p < '0' || *p > '9' || (p[0] == '0' && p[1]))
		return -1;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > 0xfffff) /* the widest minor space the kernel has */
			return -1;
	}
	*index = (unsigned)v;
	return 0;
}

/* klibc's stdlib.h trips -Wshadow (abs, labs), so these two are here. */
static const char *env(const char *name)
{
	size_t n = strlen(name);
	char **e;

	for (e = environ; e && *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static unsigned long long decimal(const char *s)
{
	unsigned long long v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (unsigned)(*s++ - '0');
	return v;
}

int kernel_sysfs_read(unsigned index, const char *attr, char *buf, size_t size)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/block/nbd%u/%s", index, attr);
	return sysfs_read(AT_FDCWD, path, buf, size);
}

/* Usable means the capacity the kernel shows is the export's size; on the
 * ioctl path that happens only once the child is inside NBD_DO_IT, and the
 * child may die first. */
static int wait_ready(const struct kernel_setup *s, pid_t child, char *err, size_t errlen)
{
	uint64_t deadline = clock_ms() + READY_TIMEOUT_MS;
	unsigned long long want = s->req.size >> 9, have = 0;
	char buf[32];
	int status, gone;

	for (;;) {
		if (kernel_sysfs_read(s->req.index, "size", buf, sizeof(buf)) == 0) {
			have = decimal(buf);
			if (have == want)
				break;
		}
		/* the child logged why itself */
		gone = child > 0 && waitpid(child, &status, WNOHANG) == child;
		if (gone || clock_left_ms(deadline) == 0) {
			snprintf(err, errlen, "%s: size %llu sectors, expected %llu%s", s->device,
				 have, want, gone ? " (NBD_DO_IT ended)" : " within 5 s");
			if (gone)
				return 2;
			if (child <= 0)
				return 1; /* attached yet wrong: a retry would only meet EBUSY */
			kill(child, SIGKILL);
			waitpid(child, &status, 0);
			return 2;
		}
		usleep(20000);
	}
	/* the supervisor checks it before every reconfigure */
	if (kernel_sysfs_read(s->req.index, "diskseq", buf, sizeof(buf)) == 0)
		log_debug("kernel", "%s: diskseq %s", s->device, buf);
	return 0;
}

/* nfds is 1..NBDROOT_MAX_CONNECTIONS, the command line's limit: the
 * request buffer and the ioctl path's fds[0] rely on it. */
int kernel_attach(const struct nbdroot_config *cfg, const struct nbd_export *ex,
		  const int *fds, int nfds, char *err, size_t errlen)
{
	struct kernel_setup s;
	char backend[GENL_BACKEND_ID_MAX];
	/* a test and diagnostic knob: exercise the fallback on a kernel that has netlink */
	const char *force = env("NBDROOT_FORCE_IOCTL");
	pid_t child = 0;
	int rc;

	if (device_index(cfg->device, &s.req.index)) {
		snprintf(err, errlen, "device \"%s\": expected /dev/nbd<N>", cfg->device);
		return 1;
	}
	genl_backend_id(cfg, backend, sizeof(backend));
	s.device = cfg->device;
	s.cfg = cfg;
	s.ex = ex;
	s.req.size = ex->size;
	s.req.block_size = ex->block_size;
	s.req.server_flags = ex->flags | (cfg->readonly ? NBD_FLAG_READ_ONLY : 0);
	s.req.timeout = cfg->timeout;
	s.req.dead_timeout = cfg->dead_timeout;
	s.req.backend = backend;
	s.req.fds = fds;
	s.req.nfds = nfds;
	force = force && *force && strcmp(force, "0") != 0 ? force : NULL;
	rc = force ? KERNEL_FAMILY_MISSING : kernel_attach_netlink(&s, err, errlen);
	if (rc == KERNEL_FAMILY_MISSING) {
		log_info("kernel", "%s: using the ioctl interface", force ?
			 "NBDROOT_FORCE_IOCTL is set" : "generic netlink family nbd missing");
		rc = kernel_attach_ioctl(&s, &child, err, errlen);
	}
	if (rc)
		return rc;
	return wait_ready(&s, child, err, errlen);
}
