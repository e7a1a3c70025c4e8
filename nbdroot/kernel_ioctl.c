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
#include "session.h"

/* NBD_<name> of each ioctl kernel_attach_ioctl sends, in its order, packed;
 * then SET_SIZE's stand-in */
static const char ioctl_names[] = "CLEAR_SOCK\0SET_BLKSIZE\0SET_SIZE\0SET_TIMEOUT\0SET_FLAGS\0"
				  "SET_SOCK\0SET_SIZE_BLOCKS";

/* CLEAR_SOCK then the SET_* sequence, handing the driver sock; 0, or -1 with err set. */
static int setup(int fd, const struct kernel_setup *s, int sock, char *err, size_t errlen)
{
	const struct nbd_connect_req *q = &s->req;
	uint8_t nr[6] = { NBD_CLEAR_SOCK & 0xff, NBD_SET_BLKSIZE & 0xff, NBD_SET_SIZE & 0xff,
			  NBD_SET_TIMEOUT & 0xff, NBD_SET_FLAGS & 0xff, NBD_SET_SOCK & 0xff };
	unsigned long arg[6] = { 0, (unsigned long)q->block_size, (unsigned long)q->size,
				 (unsigned long)q->timeout, (unsigned long)q->server_flags,
				 (unsigned long)sock };
	const char *name;
	int i, k, blocks = 0;

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
		return -1;
	}
	return 0;
}

/* NBD_DO_IT sleeps interruptibly for the life of the device and tears the
 * device down when a signal arrives, so the child blocks every signal it
 * can; only SIGKILL can end it. When the link dies DO_IT returns and the
 * driver has already failed what was in flight: we reconnect like
 * nbd-client -persist. 6.1 returns 0 after NBD_DISCONNECT and after a lost
 * server alike (the dead socket clears DISCONNECT_REQUESTED before DO_IT
 * tests it), so a device disconnected on purpose is not told apart. DO_IT
 * failing ends the child: EBUSY when the device is open elsewhere (a mounted
 * root), as 6.1 keeps the dead connection until the last close. */
static void do_it(int fd, const struct kernel_setup *s)
{
	struct nbd_export ex;
	const char *stage;
	char e[256];
	sigset_t all;
	unsigned n = 0, delay;
	int i, dev, sock;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	setsid();
	for (i = 0; i < s->req.nfds; i++)
		close(s->req.fds[i]); /* the kernel holds its own reference */
	/* kmsg by descriptor: after switch_root our /dev is gone */
	i = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (i >= 0) {
		dup2(i, 2);
		log_to_kmsg(0);
	}
	dev = open("/dev", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* -ETIMEDOUT: a request timed out and the driver shut the socket */
	while (ioctl(fd, NBD_DO_IT, NULL) == 0 || errno == ETIMEDOUT) {
		log_err("kernel", "%s: link lost; in-flight I/O was lost (ioctl interface); "
			"reconnecting", s->device);
		/* the driver keeps the dead connection (and refuses a second
		 * DO_IT) until the last opener closes the device */
		close(fd);
		for (delay = 250;; delay = delay < 8000 ? delay * 2 : 16000) {
			usleep(delay * 1000);
			if (session_open(s->cfg, n++, &ex, &sock, &stage, e, sizeof(e)) == 0) {
				snprintf(e, sizeof(e), "%llu bytes, flags 0x%x",
					 (unsigned long long)ex.size, (unsigned)ex.flags);
				stage = "export changed";
				if (ex.size == s->ex->size && ex.flags == s->ex->flags) {
					stage = "ioctl";
					fd = openat(dev, s->device + 5, O_RDWR | O_CLOEXEC);
					if (!setup(fd, s, sock, e, sizeof(e)))
						break;
					close(fd);
				}
				close(sock);
			}
			log_err("kernel", "%s: %s: %s", s->device, stage, e);
		}
		close(sock);
		log_info("kernel", "%s: reconnected", s->device);
	}
	log_err("kernel", "%s: NBD_DO_IT: %s: the device is gone", s->device, errtext(errno));
	ioctl(fd, NBD_CLEAR_QUE, NULL);
	ioctl(fd, NBD_CLEAR_SOCK, NULL);
	_exit(1);
}

int kernel_attach_ioctl(const struct kernel_setup *s, pid_t *child, char *err, size_t errlen)
{
	const struct nbd_connect_req *q = &s->req;
	char pid[16];
	int fd, rc = 1;
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
	if (setup(fd, s, q->fds[0], err, errlen))
		goto fail;
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
