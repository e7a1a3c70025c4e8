/* init.c: the initramfs's PID 1: wires the steps: API mounts, modules, nbdroot, the root mount, switch_root. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "init.h"

static void mount_api(const char *src, const char *dir, const char *type, const char *data)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, MS_NOSUID, data) < 0 && errno != EBUSY)
		die("mount %s on %s: %s", type, dir, strerror(errno));
}

static void console_stdio(void)
{
	int fd;

	if (fcntl(2, F_GETFD) >= 0)
		return;
	/* No /dev/console in the image: the kernel started us without stdio. */
	fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

int main(int argc, char **argv)
{
	struct root_mount rm;

	(void)argc;
	mount_api("devtmpfs", "/dev", "devtmpfs", "mode=0755");
	console_stdio();
	mount_api("proc", "/proc", "proc", NULL);
	mount_api("sysfs", "/sys", "sysfs", NULL);
	mount_api("tmpfs", "/run", "tmpfs", "mode=0755");
	parse_cmdline();
	load_modules();
	start_nbdroot();
	nbdroot_config();
	if (opt.overlay[0]) {
		mount_root(OVERLAY_LOWER, 1, &rm);
		mount_overlay(&rm);
	} else {
		mount_root(NEWROOT, 0, &rm);
	}
	switch_root(argv);
	return 1;
}
