/* kernel_ioctl.c: the old ioctl hand-off (SET_* then NBD_DO_IT in a child), for kernels without the netlink family. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/nbd.h>

#include "errtext.h"
#include "kernel_backend.h"
#include "log.h"

static int nbd_ioctl(int fd, const struct kernel_setup *s, unsigned long req, const char *name,
		     unsigned long arg, char *err, size_t errlen)
{
	/* klibc declares ioctl(int, int, void *), glibc (int, unsigned long, ...) */
	if (ioctl(fd, req, (void *)arg) == 0)
		return 0;
	snprintf(err, errlen, "%s on %s (argument %lu): %s", name, s->device, arg,
		 errtext(errno));
	return -1;
}

/* NBD_DO_IT sleeps interruptibly for the life of the device and tears the
 * device down when a signal arrives, so the child blocks every signal it
 * can; only SIGKILL can end it. */
static void do_it(int fd, const struct kernel_setup *s)
{
	sigset_t all;
	int i, rc;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	setsid();
	for (i = 0; i < s->nfds; i++)
		close(s->fds[i]); /* the kernel holds its own reference */
	rc = ioctl(fd, NBD_DO_IT, NULL);
	log_err("kernel", "%s: NBD_DO_IT ended (%s): the device is gone", s->device,
		rc < 0 ? errtext(errno) : "disconnected");
	ioctl(fd, NBD_CLEAR_QUE, NULL);
	ioctl(fd, NBD_CLEAR_SOCK, NULL);
	_exit(rc < 0 ? 1 : 0);
}

int kernel_attach_ioctl(const struct kernel_setup *s, pid_t *child, char *err, size_t errlen)
{
	char pid[16];
	unsigned long size = (unsigned long)s->size;
	int fd;
	pid_t p;

	/* A device some other process is serving must not be cleared under it. */
	if (kernel_sysfs_read(s->index, "pid", pid, sizeof(pid)) == 0) {
		snprintf(err, errlen, "%s is already in use (served by pid %s): pick another "
			 "with nbdroot.device=", s->device, pid);
		return 1;
	}
	fd = open(s->device, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s%s", s->device, errtext(errno),
			 errno == ENOENT || errno == ENXIO ? " (is the nbd module loaded?)" : "");
		return 1;
	}
	if (s->nfds > 1)
		log_info("kernel", "the ioctl interface takes one connection: %d more unused",
			 s->nfds - 1);
	log_info("kernel", "%s: on the ioctl interface a reconnect loses in-flight I/O and "
		 "there is no dead-connection timeout", s->device);
	if (nbd_ioctl(fd, s, NBD_CLEAR_SOCK, "NBD_CLEAR_SOCK", 0, err, errlen) ||
	    nbd_ioctl(fd, s, NBD_SET_BLKSIZE, "NBD_SET_BLKSIZE", s->block_size, err, errlen))
		goto fail;
	/* Bytes when they fit an unsigned long (always on 64-bit), else blocks. */
	if ((uint64_t)size == s->size) {
		if (nbd_ioctl(fd, s, NBD_SET_SIZE, "NBD_SET_SIZE", size, err, errlen))
			goto fail;
	} else if (nbd_ioctl(fd, s, NBD_SET_SIZE_BLOCKS, "NBD_SET_SIZE_BLOCKS",
			     (unsigned long)(s->size / s->block_size), err, errlen)) {
		goto fail;
	}
	if (nbd_ioctl(fd, s, NBD_SET_TIMEOUT, "NBD_SET_TIMEOUT", s->timeout, err, errlen) ||
	    nbd_ioctl(fd, s, NBD_SET_FLAGS, "NBD_SET_FLAGS", (unsigned long)s->flags, err, errlen) ||
	    nbd_ioctl(fd, s, NBD_SET_SOCK, "NBD_SET_SOCK", (unsigned long)s->fds[0], err, errlen))
		goto fail;
	p = fork();
	if (p < 0) {
		snprintf(err, errlen, "cannot fork the NBD_DO_IT process: %s", errtext(errno));
		ioctl(fd, NBD_CLEAR_SOCK, NULL);
		close(fd);
		return 2;
	}
	if (p == 0)
		do_it(fd, s);
	/* the child's copy of fd keeps the device configured */
	close(fd);
	*child = p;
	return 0;
fail:
	ioctl(fd, NBD_CLEAR_SOCK, NULL);
	close(fd);
	return 1;
}
