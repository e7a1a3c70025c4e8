/* switch_root.c: moves the API filesystems into the new root, frees the initramfs, and execs the real init. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "init.h"

#define INITRAMFS_RAMFS 0x858458f6u
#define INITRAMFS_TMPFS 0x01021994u


/* Free the initramfs's memory: it stays allocated under the new root otherwise.
 * A supervisor nbdroot left running keeps its own mapping of the binary. */
static void remove_tree(int dfd, dev_t rootdev)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;
	struct stat st;
	int sub;

	if (!d) {
		close(dfd);
		return;
	}
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    st.st_dev != rootdev)
			continue; /* a mount point, the new root among them */
		if (S_ISDIR(st.st_mode)) {
			sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub >= 0)
				remove_tree(sub, rootdev);
			unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);
		} else {
			unlinkat(dirfd(d), e->d_name, 0);
		}
	}
	closedir(d);
}

void switch_root(char **argv)
{
	static const char *const api[] = { "/dev", "/proc", "/sys", "/run" };
	char path[256];
	static char sbin_init[] = "/sbin/init";
	char *init = opt.init ? opt.init : sbin_init;
	struct stat st;
	struct statfs sfs;
	unsigned i;
	int fd;

	/* lstat: an absolute symlink (/sbin/init -> /lib/systemd/systemd) only
	 * resolves once we are inside the new root. */
	snprintf(path, sizeof(path), NEWROOT "%s", init);
	if (lstat(path, &st) < 0)
		die("init %s: not on the root filesystem: %s", init, strerror(errno));
	for (i = 0; i < sizeof(api) / sizeof(api[0]); i++) {
		snprintf(path, sizeof(path), NEWROOT "%s", api[i]);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			mount(api[i], path, NULL, MS_MOVE, NULL);
		else
			umount2(api[i], MNT_DETACH);
	}
	if (chdir(NEWROOT) < 0)
		die("chdir %s: %s", NEWROOT, strerror(errno));
	fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &st) == 0 && statfs("/", &sfs) == 0 &&
	    ((unsigned)sfs.f_type == INITRAMFS_RAMFS || (unsigned)sfs.f_type == INITRAMFS_TMPFS))
		remove_tree(fd, st.st_dev);
	else if (fd >= 0)
		close(fd);
	if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
		die("move %s to /: %s", NEWROOT, strerror(errno));
	if (chroot(".") < 0 || chdir("/") < 0)
		die("chroot %s: %s", NEWROOT, strerror(errno));
	argv[0] = init;
	execv(init, argv);
	die("exec init %s: %s", init, strerror(errno));
}
