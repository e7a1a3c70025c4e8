/* init.c: the initramfs's PID 1: load modules, run nbdroot, mount the NBD root, switch to it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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
#else
#include <sys/syscall.h>
#define finit_module(fd, p, f) ((int)syscall(SYS_finit_module, fd, p, f))
#define reboot(cmd, arg) reboot(cmd)
#endif
#ifndef BLKRRPART
#define BLKRRPART _IO(0x12, 95)
#endif
#ifndef MS_RELATIME
#define MS_RELATIME (1 << 21)
#endif
#ifndef MS_STRICTATIME
#define MS_STRICTATIME (1 << 24)
#endif
#ifndef MS_LAZYTIME
#define MS_LAZYTIME (1 << 25)
#endif

#define PROG "nbdroot-init"
#define NBDROOT_BIN "/sbin/nbdroot"
#define NEWROOT "/newroot"
#define DEVICE_WAIT_MS 10000
#define REBOOT_DELAY_S 5
/* nbdroot bounds its own waits (about 30 s of retries); this only catches a hang. */
#define NBDROOT_LIMIT_S 300
/* Temporary failures (exit 2: server not up yet) are retried this many times in all. */
#define NBDROOT_TRIES 3
#define INITRAMFS_RAMFS 0x858458f6u
#define INITRAMFS_TMPFS 0x01021994u

static char cmdline[4096];
static char cfgout[8192];
static char fslist[1024];
static volatile sig_atomic_t alarmed;

/* What the kernel command line and nbdroot --print-config say about the root. */
static struct {
	char *root, *fstype, *flags, *init;
	int ro, shell;
	char dev[64], nbd_fstype[32], nbd_flags[256];
	int nbd_ro;
} opt;

/* To /dev/kmsg, which the kernel also prints on the console (so no second
 * copy to stderr); stderr only when there is no kmsg. */
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
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd >= 0 && write(fd, line, (size_t)n) == n) {
		close(fd);
		return;
	}
	if (fd >= 0)
		close(fd);
	if (write(2, line + 3, (size_t)n - 3) < 0) {
		/* nowhere left to report it */
	}
}

static void note(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(level, fmt, ap);
	va_end(ap);
}

#define info(...) note(5, __VA_ARGS__)
#define warn(...) note(3, __VA_ARGS__)

static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

/* Run and wait, at most limit_s seconds when limit_s > 0 (then SIGKILL and
 * return -2); outfd (if >= 0) becomes stdout; ctty gives it the console as
 * controlling tty (ctrl-c). */
static int run(const char *path, char *const argv[], int outfd, int ctty, unsigned limit_s)
{
	struct sigaction sa;
	int status, rc;
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
	if (limit_s) {
		/* No SA_RESTART: the alarm must interrupt waitpid. */
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm;
		sigaction(SIGALRM, &sa, NULL);
		alarmed = 0;
		alarm(limit_s);
	}
	while ((rc = waitpid(pid, &status, 0)) < 0 && errno == EINTR && !alarmed)
		;
	if (limit_s)
		alarm(0);
	if (rc < 0 && alarmed) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return -2;
	}
	if (rc < 0)
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
		if (access("/bin/sh", X_OK) == 0) {
			info("nbdroot.shell: starting /bin/sh; exit it to reboot");
			run("/bin/sh", shell, -1, 1, 0);
		} else {
			info("nbdroot.shell: no /bin/sh in this initramfs (built with --shell none)");
		}
	}
	info("rebooting in %d s", REBOOT_DELAY_S);
	sleep(REBOOT_DELAY_S);
	sync();
	reboot(RB_AUTOBOOT, NULL);
	for (;;)
		pause();
}

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
		if (strcmp(w, "--") == 0)
			break; /* the rest belongs to init */
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

/* /etc/modules: "<path> [parameters]" per line, dependencies first. A module
 * that fails is reported and skipped: a NIC driver for absent hardware or a
 * CPU-specific crc32c may refuse to load, and whatever really needed it
 * fails next with its own message. */
static void load_modules(void)
{
	static char list[8192];
	char *line, *next, *params;
	int fd, n = 0;

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
		params = strchr(line, ' ');
		if (params)
			*params++ = '\0';
		fd = open(line, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			warn("module %s: %s", line, strerror(errno));
			continue;
		}
		if (finit_module(fd, params ? params : "", 0) == 0)
			n++;
		else if (errno == ENODEV)
			note(6, "module %s: no device for it here, skipped", line);
		else if (errno != EEXIST)
			warn("module %s: %s", line, strerror(errno));
		close(fd);
	}
	info("loaded %d modules", n);
}

/* nbdroot attaches the device and exits; a supervisor it forks stays behind. */
static void start_nbdroot(void)
{
	static char *const argv[] = { "nbdroot", NULL };
	int rc, i;

	for (i = 1;; i++) {
		rc = run(NBDROOT_BIN, argv, -1, 0, NBDROOT_LIMIT_S);
		if (rc == 0)
			return;
		if (rc == -2)
			die("%s still running after %d s: killed, no NBD root", NBDROOT_BIN,
			    NBDROOT_LIMIT_S);
		if (rc != 2 || i >= NBDROOT_TRIES)
			break;
		info("%s: temporary failure, trying again (%d of %d)", NBDROOT_BIN, i + 1,
		     NBDROOT_TRIES);
	}
	die("%s failed (exit %d%s): no NBD root", NBDROOT_BIN, rc,
	    rc == 1 ? ": permanent error" : rc == 2 ? ": server unreachable" : "");
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
	if (run(NBDROOT_BIN, argv, fds[1], 0, 30) == 0) {
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
	if (!opt.dev[0])
		strcpy(opt.dev, "/dev/nbd0");
}

static const char *base(const char *dev)
{
	const char *b = strrchr(dev, '/');

	return b ? b + 1 : dev;
}

/* Read /sys/class/block/<dev>/<attr> (partitions too); "" when there is none. */
static void sysblock(const char *dev, const char *attr, char *val, size_t size)
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
static const char *root_device(void)
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

static void wait_device(const char *dev)
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

/* Generic mount options become flags; the rest is the filesystem's data. */
static unsigned long mount_options(const char *in, char *data, size_t size)
{
	static const struct {
		char name[12];
		unsigned long set, clear;
	} table[] = {
		{ "ro", MS_RDONLY, 0 }, { "rw", 0, MS_RDONLY },
		{ "nosuid", MS_NOSUID, 0 }, { "suid", 0, MS_NOSUID },
		{ "nodev", MS_NODEV, 0 }, { "dev", 0, MS_NODEV },
		{ "noexec", MS_NOEXEC, 0 }, { "exec", 0, MS_NOEXEC },
		{ "sync", MS_SYNCHRONOUS, 0 }, { "async", 0, MS_SYNCHRONOUS },
		{ "dirsync", MS_DIRSYNC, 0 }, { "noatime", MS_NOATIME, 0 },
		{ "nodiratime", MS_NODIRATIME, 0 }, { "relatime", MS_RELATIME, 0 },
		{ "strictatime", MS_STRICTATIME, 0 }, { "lazytime", MS_LAZYTIME, 0 },
		{ "defaults", 0, 0 },
	};
	unsigned long flags = opt.ro ? MS_RDONLY : 0;
	size_t n = 0, len, i;
	const char *p = in, *end;

	data[0] = '\0';
	while (p && *p) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
			if (strlen(table[i].name) == len && strncmp(table[i].name, p, len) == 0)
				break;
		if (i < sizeof(table) / sizeof(table[0])) {
			flags = (flags | table[i].set) & ~table[i].clear;
		} else if (len && n + len + 2 < size) {
			if (n)
				data[n++] = ',';
			memcpy(data + n, p, len);
			n += len;
			data[n] = '\0';
		}
		p = end ? end + 1 : NULL;
	}
	return flags;
}

/* The block filesystems the kernel knows now (built in or loaded), space-separated. */
static void block_filesystems(void)
{
	static char raw[2048];
	char *line, *next;
	size_t n = 0;

	if (read_file("/proc/filesystems", raw, sizeof(raw)) < 0)
		raw[0] = '\0';
	for (line = raw; *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (strncmp(line, "nodev", 5) == 0 || *line != '\t')
			continue;
		if (n + strlen(line + 1) + 2 < sizeof(fslist))
			n += (size_t)snprintf(fslist + n, sizeof(fslist) - n, "%s%s", n ? " " : "",
					      line + 1);
	}
}

static int known_fs(const char *type)
{
	size_t len = strlen(type);
	const char *p;

	for (p = fslist; (p = strstr(p, type)); p += len)
		if ((p == fslist || p[-1] == ' ') && (p[len] == ' ' || !p[len]))
			return 1;
	return 0;
}

/* 0 or errno; a device that refuses writes is mounted read-only instead. */
static int try_mount(const char *dev, const char *type, unsigned long *flags, const char *data)
{
	if (mount(dev, NEWROOT, type, *flags, data) == 0)
		return 0;
	if (!(*flags & MS_RDONLY) && (errno == EROFS || errno == EACCES)) {
		info("%s refuses writes: mounting it read-only", dev);
		if (mount(dev, NEWROOT, type, *flags | MS_RDONLY, data) == 0) {
			*flags |= MS_RDONLY;
			return 0;
		}
	}
	return errno;
}

static void mount_root(void)
{
	static char data[256];
	char ro[8], fs[32];
	const char *dev = root_device(), *fstype, *flags, *p, *end;
	unsigned long mflags;
	size_t len;
	int err = 0;

	fstype = opt.fstype ? opt.fstype : opt.nbd_fstype[0] ? opt.nbd_fstype : NULL;
	flags = opt.flags ? opt.flags : opt.nbd_flags;
	wait_device(dev);
	mflags = mount_options(flags, data, sizeof(data));
	sysblock(dev, "ro", ro, sizeof(ro));
	if (opt.nbd_ro || ro[0] == '1')
		mflags |= MS_RDONLY;
	mkdir(NEWROOT, 0755);
	block_filesystems();
	if (fstype && *fstype && strcmp(fstype, "auto") != 0) {
		if (!known_fs(fstype))
			die("root filesystem type \"%s\" is unknown to this kernel and no module "
			    "for it is in this initramfs (build it with --fs %s); known: %s",
			    fstype, fstype, fslist[0] ? fslist : "none");
		err = try_mount(dev, fstype, &mflags, data);
		if (err)
			die("mount %s (%s%s%s) on %s: %s", dev, fstype, data[0] ? ", " : "", data,
			    NEWROOT, strerror(err));
	} else {
		/* As the kernel does without rootfstype=: try each one; EINVAL means "not mine". */
		for (p = fslist; *p; p = end + (*end == ' ')) {
			end = strchr(p, ' ');
			if (!end)
				end = p + strlen(p);
			len = (size_t)(end - p) < sizeof(fs) ? (size_t)(end - p) : sizeof(fs) - 1;
			memcpy(fs, p, len);
			fs[len] = '\0';
			err = try_mount(dev, fs, &mflags, data);
			if (!err)
				break;
			if (err != EINVAL && err != ENODEV)
				die("mount %s (%s) on %s: %s", dev, fs, NEWROOT, strerror(err));
		}
		if (err || !fslist[0])
			die("mount %s on %s: no filesystem recognises it (tried: %s)", dev, NEWROOT,
			    fslist[0] ? fslist : "none");
		fstype = fs;
	}
	info("root %s mounted (%s, %s)", dev, fstype, (mflags & MS_RDONLY) ? "ro" : "rw");
}

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

int main(int argc, char **argv)
{
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
	mount_root();
	switch_root(argv);
	return 1;
}
