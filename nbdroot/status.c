/* status.c: the supervisor's /run/nbdroot/<device>.status file, and nbdroot --status. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/vfs.h>

#include "errtext.h"
#include "log.h"
#include "shquote.h"
#include "status.h"

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

/* "nbd0.status" for "/dev/nbd0" (or "nbd0") */
static void file_name(const char *device, char *buf, size_t size)
{
	const char *base = strrchr(device, '/');

	snprintf(buf, size, "%s.status", base ? base + 1 : device);
}

void status_write(int dirfd, const struct status *s)
{
	char tmp[48] = "."; /* the hidden name the file is written under */
	char text[SHQUOTE_MAX(20, 256) * 9];
	char *p = text;
	int fd, rc;

	file_name(s->device, tmp + 1, sizeof(tmp) - 1);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	p = shquote_put(p, "STATE", s->state);
	p = shquote_put(p, "DEVICE", s->device);
	p = shquote_put(p, "SERVER", s->server);
	p = shquote_put(p, "IMAGE", s->image);
	p = shquote_put_u64(p, "RECONNECTS", s->reconnects);
	p = shquote_put_u64(p, "LAST_RECONNECT", s->last_reconnect);
	p = shquote_put_u64(p, "SUPERVISOR_RESTARTS", s->restarts);
	p = shquote_put(p, "LAST_ERROR", s->error);
	p = shquote_put_u64(p, "PID", (unsigned long long)getpid());
	rc = shquote_write(fd, text, p);
	if (close(fd) == 0 && rc == 0)
		renameat(dirfd, tmp, dirfd, tmp + 1);
}

int status_print(const char *device)
{
	char name[48], path[64], buf[1024], *p;
	struct statfs fs;
	ssize_t n;
	int fd;

	file_name(device, name, sizeof(name));
	snprintf(path, sizeof(path), STATUS_DIR "/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_err("status", "%s: %s", path, errtext(errno));
		return 1;
	}
	/* a few hundred bytes, replaced by rename: one read has it all */
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0 || write(1, buf, (size_t)n) != n)
		return 1;
	/* the init's RAM layer (nbdroot.overlay=tmpfs) is its own tmpfs */
	p = buf;
	if (statfs(STATUS_DIR "/overlay", &fs) == 0 && (unsigned)fs.f_type == TMPFS_MAGIC) {
		p = shquote_put(p, "OVERLAY", "tmpfs");
		p = shquote_put_u64(p, "OVERLAY_USED",
				    (unsigned long long)(fs.f_blocks - fs.f_bfree) * fs.f_bsize);
	} else {
		p = shquote_put(p, "OVERLAY", "");
	}
	return shquote_write(1, buf, p) != 0;
}
