/* status.c: the supervisor's /run/nbdroot/<device>.status file, and nbdroot --status. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "errtext.h"
#include "log.h"
#include "shquote.h"
#include "status.h"

/* "nbd0.status" for "/dev/nbd0" (or "nbd0") */
static void file_name(const char *device, char *buf, size_t size)
{
	const char *base = strrchr(device, '/');

	snprintf(buf, size, "%s.status", base ? base + 1 : device);
}

void status_write(int dirfd, const struct status *s)
{
	char tmp[48] = "."; /* the hidden name the file is written under */
	FILE *f;
	int fd;

	file_name(s->device, tmp + 1, sizeof(tmp) - 1);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return;
	}
	shquote_print(f, "STATE", s->state);
	shquote_print(f, "DEVICE", s->device);
	shquote_print(f, "SERVER", s->server);
	shquote_print_u64(f, "RECONNECTS", s->reconnects);
	shquote_print_u64(f, "LAST_RECONNECT", s->last_reconnect);
	shquote_print(f, "LAST_ERROR", s->error);
	shquote_print_u64(f, "PID", (unsigned long long)getpid());
	if (fclose(f) == 0)
		renameat(dirfd, tmp, dirfd, tmp + 1);
}

int status_print(const char *device)
{
	char name[48], path[64], buf[1024];
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
	return n <= 0 || write(1, buf, (size_t)n) != n;
}
