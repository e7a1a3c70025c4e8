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

/* NBD_<name> of each ioctl kernel_attach_ioctl sends, in its order, packed;
 * then SET_SIZE's stand-in */
static const char ioctl_names[] = "CLEAR_SOCK\0SET_BLKSIZE\0SET_SIZE\0SET_TIMEOUT\0SET_FLAGS\0"
				  "SET_SOCK\0SET_SIZE_BLOCKS";

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
	for (i = 0; i < s->req.nfds; i++)
		close(s->req.fds[i]); /* the kernel holds its own reference */
	rc = ioctl(fd, NBD_DO_IT, NULL);
	log_err("kernel", "%s: NBD_DO_IT ended (%s): the device is gone", s->device,
		rc < 0 ? errtext(errno) : "disconnected");
	ioctl(fd, NBD_CLEAR_QUE, NULL);
	ioctl(fd, NBD_CLEAR_SOCK, NULL);
	_exit(rc < 0 ? 1 : 0);
}

int kernel_attach_ioctl(const struct kernel_setup *s, pid_t *child, char *err, size_t errlen)
{
	const struct nbd_connect_req *q = &s->req;
	/* NBD_CLEAR_SOCK, then the SET_* sequence */
	uint8_t nr[6] = { NBD_CLEAR_SOCK & 0xff, NBD_SET_BLKSIZE & 0xff, NBD_SET_SIZE & 0xff,
			  NBD_SET_TIMEOUT & 0xff, NBD_SET_FLAGS & 0xff, NBD_SET_SOCK & 0xff };
	unsigned long arg[6] = { 0, (unsigned long)q->block_size, (unsigned long)q->size,
				 (unsigned long)q->timeout, (unsigned long)q->server_flags,
				 (unsigned long)q->fds[0] };
	const char *name;
	char pid[16];
	int fd, i, k, blocks = 0, rc = 1;
	pid_t p;

	/* A device some other process is serving must not be cleared under it. */
	if (kernel_sysfs_read(q->index, "pid", pid, sizeof(pid)) == 0) {
		snprintf(err, errlen, "%s is in use by pid %s: pick another with "
			 "nbdroot.device=", s->device, pid);
		return 1;
	}
	fd = open(s->device, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s%s", s->device, errtext(errno),
			 errno == ENOENT || errno == ENXIO ? " (is the nbd module loaded?)" : "");
		return 1;
	}
	log_info("kernel", "%s: with ioctls a reconnect loses in-flight I/O, no "
		 "dead-connection timeout, 1 of %d connections used", s->device, q->nfds);
	/* Bytes when they fit an unsigned long (always on 64-bit), else blocks. */
	if ((uint64_t)arg[2] != q->size) {
		blocks = 1;
		nr[2] = NBD_SET_SIZE_BLOCKS & 0xff;
		arg[2] = (unsigned long)(q->size / q->block_size);
	}
	for (i = 0; i < 6; i++) {
		/* klibc declares ioctl(int, int, void *), glibc (int, unsigned long, ...) */
		if (ioctl(fd, _IO(0xab, nr[i]), (void *)arg[i]) == 0)
			continue;
		for (name = ioctl_names, k = i == 2 && blocks ? 6 : i; k; k--)
			name += strlen(name) + 1;
		snprintf(err, errlen, "NBD_%s on %s (argument %lu): %s", name, s->device, arg[i],
			 errtext(errno));
		goto fail;
	}
	p = fork();
	if (p < 0) {
		snprintf(err, errlen, "fork: %s", errtext(errno));
		rc = 2;
		goto fail;
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
	return rc;
}
