/* sysfs.h: reading one small sysfs attribute. */
#ifndef NBDROOT_SYSFS_H
#define NBDROOT_SYSFS_H

#include <stddef.h>

/* Read path (relative to dirfd, or AT_FDCWD) into buf as a string without
 * its trailing newlines. Returns 0, or -1 with errno set. */
int sysfs_read(int dirfd, const char *path, char *buf, size_t size);

#endif
