/* sysfs.c: reading one small sysfs attribute. */
#include <fcntl.h>
#include <unistd.h>

#include "sysfs.h"

int sysfs_read(int dirfd, const char *path, char *buf, size_t size)
{
	ssize_t n = -1;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = read(fd, buf, size - 1);
		close(fd);
	}
	if (n < 0)
		return -1;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return 0;
}
