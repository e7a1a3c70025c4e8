/* rootdev.c: the root device: which one root= names, and waiting until it (or its partition) is there. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "init.h"

#ifndef BLKRRPART
#define BLKRRPART _IO(0x12, 95)
#endif
#define DEVICE_WAIT_MS 10000

static const char *base(const char *dev)
{
	const char *b = strrchr(dev, '/');

	return b ? b + 1 : dev;
}

/* Read /sys/class/block/<dev>/<attr> (partitions too); "" when there is none. */
void sysblock(const char *dev, const char *attr, char *val, size_t size)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/class/block/%s/%s", base(dev), attr);
	if (read_file(path, val, size) < 0)
		val[0] = '\0';
}

/* nbd's nodes exist from module load on: only a non-zero size means attached. */
static int device_ready(const char *dev)
{
	struct stat st;
	char size[32];

	if (stat(dev, &st) < 0 || !S_ISBLK(st.st_mode))
		return 0;
	sysblock(dev, "size", size, sizeof(size));
	return size[0] && size[0] != '0';
}

/* The root device root= names; nbdroot's device when it names none of its own. */
const char *root_device(void)
{
	static char path[80];
	const char *r = opt.root;

	if (!r || !*r || strncmp(r, "nbd:", 4) == 0 || strcmp(r, "dhcp") == 0)
		return opt.dev;
	if (r[0] == '/')
		return r;
	if (strchr(r, '=') || strchr(r, ':') || strlen(r) > 60)
		die("root=%s: not supported here, expected /dev/<device> (such as /dev/nbd0 "
		    "or /dev/nbd0p1), nbd:... or dhcp", r);
	snprintf(path, sizeof(path), "/dev/%s", r);
	return path;
}

/* The partitions the kernel found on the NBD device, for the error message. */
static void list_partitions(char *out, size_t size)
{
	char path[96];
	DIR *d;
	struct dirent *e;
	size_t n = 0, len = strlen(base(opt.dev));

	out[0] = '\0';
	snprintf(path, sizeof(path), "/sys/class/block/%s", base(opt.dev));
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, base(opt.dev), len) != 0 || e->d_name[len] != 'p' ||
		    n + strlen(e->d_name) + 2 >= size)
			continue;
		n += (size_t)snprintf(out + n, size - n, "%s%s", n ? " " : "", e->d_name);
	}
	closedir(d);
}

void wait_device(const char *dev)
{
	char parts[128], maxpart[16];
	int waited, scanned = 0, fd;

	for (waited = 0; !device_ready(dev); waited += 50) {
		/* nbd marks the disk for a partition scan when it connects, but
		 * the scan happens on the next open: no udev here does one. */
		if (!scanned && strcmp(dev, opt.dev) != 0 && device_ready(opt.dev)) {
			scanned = 1;
			fd = open(opt.dev, O_RDONLY | O_CLOEXEC);
			if (fd >= 0) {
				ioctl(fd, BLKRRPART, NULL);
				close(fd);
			}
			continue;
		}
		if (waited >= DEVICE_WAIT_MS) {
			if (!device_ready(opt.dev))
				die("root device %s did not appear within %d s", dev, DEVICE_WAIT_MS / 1000);
			list_partitions(parts, sizeof(parts));
			if (read_file("/sys/module/nbd/parameters/max_part", maxpart, sizeof(maxpart)) < 0)
				maxpart[0] = '\0';
			die("root device %s did not appear within %d s (partitions on %s: %s%s)",
			    dev, DEVICE_WAIT_MS / 1000, opt.dev, parts[0] ? parts : "none",
			    strncmp(maxpart, "0\n", 2) == 0 ? "; nbd was loaded with max_part=0" : "");
		}
		usleep(50000);
	}
}

/* Reads the device's first 4 KiB and names its filesystem (NULL: unknown or unreadable). */
const char *probe_fs(const char *dev, const char **why)
{
	static unsigned char buf[4096];
	ssize_t n, have = 0;
	int fd = open(dev, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		*why = "cannot open it to read the superblock";
		return NULL;
	}
	while ((size_t)have < sizeof(buf) && (n = read(fd, buf + have, sizeof(buf) - (size_t)have)) > 0)
		have += n;
	close(fd);
	return fs_from_superblock(buf, (size_t)have, why);
}
