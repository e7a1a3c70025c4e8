/* init.c: the initramfs's PID 1: load modules, run nbdroot, mount the NBD root, switch to it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/vfs.h>
#include <sys/wait.h>

#ifdef __KLIBC__
/* klibc builds these stubs (klibc/havesyscall.h) but declares no prototype. */
extern int finit_module(int fd, const char *params, int flags);
extern int init_module(void *image, unsigned long len, const char *params);
#else
#include <sys/syscall.h>
#define finit_module(fd, p, f) ((int)syscall(SYS_finit_module, fd, p, f))
#define init_module(m, l, p) ((int)syscall(SYS_init_module, m, l, p))
#define reboot(cmd, arg) reboot(cmd)
#endif

#define PROG "nbdroot-init"
#define NBDROOT_BIN "/sbin/nbdroot"
#define NEWROOT "/newroot"
#define DEVICE_WAIT_MS 10000
#define REBOOT_DELAY_S 5
#define INITRAMFS_RAMFS 0x858458f6u
#define INITRAMFS_TMPFS 0x01021994u

static char cmdline[4096];
static char cfgout[8192];

/* What the kernel command line and nbdroot --print-config say about the root. */
static struct {
	char *root, *fstype, *flags, *init;
	int ro, shell;
	char dev[64], nbd_fstype[32], nbd_flags[256];
	int nbd_ro;
} opt;

static void say(int level, const char *fmt, va_list ap)
{
	char line[512];
	int n, m, fd;

	n = snprintf(line, sizeof(line), "<%d>" PROG ": ", level);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (m < 0)
		return;
	n += m;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	if (write(2, line + 3, (size_t)n - 3) < 0) {
		/* the kmsg copy below is all that is left */
	}
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, line, (size_t)n) < 0) {
			/* best effort: stderr already has it */
		}
		close(fd);
	}
}

static void info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(5, fmt, ap);
	va_end(ap);
}

/* Run and wait; outfd (if >= 0) becomes stdout; ctty gives it the console as controlling tty (ctrl-c). */
static int run(const char *path, char *const argv[], int outfd, int ctty)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (outfd >= 0)
			dup2(outfd, 1);
		if (ctty && setsid() >= 0)
			ioctl(0, TIOCSCTTY, (void *)1); /* 1: even if another session holds it */
		execv(path, argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Never return and never hang: PID 1 exiting would panic with no message. */
static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	static char *const shell[] = { "sh", NULL };
	va_list ap;

	va_start(ap, fmt);
	say(2, fmt, ap);
	va_end(ap);
	if (opt.shell) {
		if (access("/bin/sh", X_OK) == 0)
			run("/bin/sh", shell, -1, 1);
		else
			info("nbdroot.shell: no /bin/sh in this initramfs (build it with --shell)");
	}
	info("rebooting in %d s", REBOOT_DELAY_S);
	sleep(REBOOT_DELAY_S);
	sync();
	reboot(RB_AUTOBOOT, NULL);
	for (;;)
		pause();
}

static void mount_api(const char *src, const char *dir, const char *type)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, 0, NULL) < 0 && errno != EBUSY)
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

static ssize_t read_file(const char *path, char *buf, size_t size)
{
	ssize_t n, have = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((size_t)have < size - 1 && (n = read(fd, buf + have, size - 1 - (size_t)have)) > 0)
		have += n;
	close(fd);
	buf[have] = '\0';
	return have;
}

/* Split /proc/cmdline in place (double quotes group words, as the kernel does). */
static void parse_cmdline(void)
{
	char *p = cmdline, *w, *q;
	int quoted;

	if (read_file("/proc/cmdline", cmdline, sizeof(cmdline)) < 0)
		die("cannot read /proc/cmdline: %s", strerror(errno));
	while (*p) {
		while (*p == ' ' || *p == '\n' || *p == '\t')
			p++;
		if (!*p)
			break;
		for (w = q = p, quoted = 0; *p && (quoted || (*p != ' ' && *p != '\n' && *p != '\t')); p++) {
			if (*p == '"')
				quoted = !quoted;
			else
				*q++ = *p;
		}
		if (*p)
			p++;
		*q = '\0';
		if (strncmp(w, "root=", 5) == 0)
			opt.root = w + 5;
		else if (strncmp(w, "rootfstype=", 11) == 0)
			opt.fstype = w + 11;
		else if (strncmp(w, "rootflags=", 10) == 0)
			opt.flags = w + 10;
		else if (strncmp(w, "init=", 5) == 0)
			opt.init = w + 5;
		else if (strcmp(w, "ro") == 0 || strcmp(w, "rw") == 0)
			opt.ro = w[1] == 'o'; /* the last one wins, as in the kernel */
		else if (strcmp(w, "nbdroot.shell") == 0 || strcmp(w, "rd.shell") == 0)
			opt.shell = 1;
	}
}

static void load_modules(void)
{
	static char list[4096];
	char *line, *next, *img;
	int fd, rc, n = 0;
	struct stat st;

	if (read_file("/etc/modules", list, sizeof(list)) < 0)
		return; /* a kernel with everything built in */
	for (line = list; *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (!*line || *line == '#')
			continue;
		fd = open(line, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die("module %s: %s", line, strerror(errno));
		rc = finit_module(fd, "", 0) == 0 ? 0 : errno;
		if (rc == ENOSYS) {
			/* kernels before 3.8 only take the image from memory */
			if (fstat(fd, &st) < 0 || !(img = malloc((size_t)st.st_size)) ||
			    read(fd, img, (size_t)st.st_size) != st.st_size)
				die("module %s: cannot read it", line);
			rc = init_module(img, (unsigned long)st.st_size, "") == 0 ? 0 : errno;
			free(img);
		}
		if (rc && rc != EEXIST)
			die("module %s: %s", line, strerror(rc));
		close(fd);
		n++;
	}
	info("loaded %d modules", n);
}

/* Decode one KEY='value' line of shquote output (' is written as '\''). */
static void shvalue(const char *out, const char *key, char *dst, size_t size)
{
	size_t klen = strlen(key), n = 0;
	const char *p;

	for (p = out; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen) != 0 || p[klen] != '=' || p[klen + 1] != '\'')
			continue;
		for (p += klen + 2; *p; p++) {
			if (p[0] == '\'' && p[1] == '\\' && p[2] == '\'' && p[3] == '\'') {
				p += 3;
			} else if (*p == '\'') {
				break;
			}
			if (n + 1 < size)
				dst[n++] = *p;
		}
		break;
	}
	dst[n] = '\0';
}

/* The device, fstype and flags nbdroot's own parser derived (dracut's root=nbd:... form). */
static void nbdroot_config(void)
{
	static char *const argv[] = { "nbdroot", "--print-config", NULL };
	char ro[8];
	int fds[2];
	ssize_t n, have = 0;

	if (pipe(fds) < 0)
		return;
	/* The output is a few hundred bytes: it fits in the pipe before we read it. */
	if (run(NBDROOT_BIN, argv, fds[1], 0) == 0) {
		close(fds[1]);
		while ((size_t)have < sizeof(cfgout) - 1 &&
		       (n = read(fds[0], cfgout + have, sizeof(cfgout) - 1 - (size_t)have)) > 0)
			have += n;
	} else {
		close(fds[1]);
	}
	close(fds[0]);
	cfgout[have] = '\0';
	shvalue(cfgout, "NBDROOT_DEVICE", opt.dev, sizeof(opt.dev));
	shvalue(cfgout, "NBDROOT_FSTYPE", opt.nbd_fstype, sizeof(opt.nbd_fstype));
	shvalue(cfgout, "NBDROOT_ROOTFLAGS", opt.nbd_flags, sizeof(opt.nbd_flags));
	shvalue(cfgout, "NBDROOT_READONLY", ro, sizeof(ro));
	opt.nbd_ro = strcmp(ro, "1") == 0;
}

/* Read /sys/block/<dev>/<attr>; "" when there is no such attribute. */
static void sysblock(const char *dev, const char *attr, char *val, size_t size)
{
	char path[96];
	const char *base = strrchr(dev, '/');

	snprintf(path, sizeof(path), "/sys/block/%s/%s", base ? base + 1 : dev, attr);
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
	return size[0] != '0';
}

static void mount_root(void)
{
	const char *dev, *fstype, *flags;
	unsigned long mflags = 0;
	char ro[8];
	int waited;

	if (opt.root && opt.root[0] == '/')
		dev = opt.root;
	else
		dev = opt.dev[0] ? opt.dev : "/dev/nbd0";
	fstype = opt.fstype ? opt.fstype : opt.nbd_fstype[0] ? opt.nbd_fstype : "ext4";
	flags = opt.flags ? opt.flags : opt.nbd_flags[0] ? opt.nbd_flags : NULL;
	for (waited = 0; !device_ready(dev); waited += 100) {
		if (waited >= DEVICE_WAIT_MS)
			die("root device %s is not there (or has size 0) after %d s",
			    dev, DEVICE_WAIT_MS / 1000);
		usleep(100000);
	}
	sysblock(dev, "ro", ro, sizeof(ro));
	if (opt.ro || opt.nbd_ro || ro[0] == '1')
		mflags |= MS_RDONLY;
	mkdir(NEWROOT, 0755);
	if (mount(dev, NEWROOT, fstype, mflags, flags) < 0) {
		if (!(mflags & MS_RDONLY) && (errno == EROFS || errno == EACCES)) {
			info("%s refuses writes: mounting it read-only", dev);
			mflags |= MS_RDONLY;
			if (mount(dev, NEWROOT, fstype, mflags, flags) == 0)
				goto mounted;
		}
		die("mount %s (%s%s%s) on %s: %s", dev, fstype, flags ? ", " : "",
		    flags ? flags : "", NEWROOT, strerror(errno));
	}
mounted:
	info("root %s mounted (%s, %s)", dev, fstype, (mflags & MS_RDONLY) ? "ro" : "rw");
}

/* Free the initramfs's memory: it stays allocated under the new root otherwise. */
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

static void switch_root(char **argv)
{
	static const char *const api[] = { "/dev", "/proc", "/sys", "/run" };
	char path[256];
	static char sbin_init[] = "/sbin/init";
	char *init = opt.init ? opt.init : sbin_init;
	struct stat st;
	struct statfs sfs;
	unsigned i;
	int fd;

	snprintf(path, sizeof(path), NEWROOT "%s", init);
	if (lstat(path, &st) < 0)
		die("no %s on the root filesystem: %s", init, strerror(errno));
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
	die("exec %s: %s", init, strerror(errno));
}

int main(int argc, char **argv)
{
	static char *const nbdroot_argv[] = { "nbdroot", NULL };
	int rc;

	(void)argc;
	mount_api("devtmpfs", "/dev", "devtmpfs");
	console_stdio();
	mount_api("proc", "/proc", "proc");
	mount_api("sysfs", "/sys", "sysfs");
	mount_api("tmpfs", "/run", "tmpfs");
	parse_cmdline();
	load_modules();
	rc = run(NBDROOT_BIN, nbdroot_argv, -1, 0);
	if (rc != 0)
		die("%s failed (exit %d): no NBD root", NBDROOT_BIN, rc);
	nbdroot_config();
	mount_root();
	switch_root(argv);
	return 1;
}
