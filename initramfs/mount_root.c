/* mount_root.c: mounts the root filesystem: its type (rootfstype= or each one the kernel knows) and rootflags=. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "init.h"

#ifndef MS_RELATIME
#define MS_RELATIME (1 << 21)
#endif
#ifndef MS_STRICTATIME
#define MS_STRICTATIME (1 << 24)
#endif
#ifndef MS_LAZYTIME
#define MS_LAZYTIME (1 << 25)
#endif

static char fslist[1024];

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
static int try_mount(const char *dev, const char *target, const char *type, unsigned long *flags,
		     const char *data)
{
	if (mount(dev, target, type, *flags, data) == 0)
		return 0;
	if (!(*flags & MS_RDONLY) && (errno == EROFS || errno == EACCES)) {
		info("%s refuses writes: mounting it read-only", dev);
		if (mount(dev, target, type, *flags | MS_RDONLY, data) == 0) {
			*flags |= MS_RDONLY;
			return 0;
		}
	}
	return errno;
}

/* The type to mount: rootfstype=, else nbdroot's (dracut's root=nbd:...:fstype),
 * else the superblock's; NULL: try each one. */
static const char *choose_fs(const char *dev)
{
	const char *why;
	const char *fs;

	if (opt.fstype && *opt.fstype && strcmp(opt.fstype, "auto") != 0) {
		info("root %s: %s (rootfstype=%s)", dev, opt.fstype, opt.fstype);
		return opt.fstype;
	}
	if (opt.nbd_fstype[0] && strcmp(opt.nbd_fstype, "auto") != 0) {
		info("root %s: %s (nbdroot's fstype)", dev, opt.nbd_fstype);
		return opt.nbd_fstype;
	}
	fs = probe_fs(dev, &why);
	if (fs)
		info("root %s: %s (superblock: %s)", dev, fs, why);
	else
		info("root %s: filesystem not told by its superblock (%s): trying each one", dev, why);
	return fs;
}

void mount_root(const char *target, int force_ro, struct root_mount *rm)
{
	static char data[256];
	char ro[8], fs[32];
	const char *dev = root_device(), *fstype, *flags, *p, *end, *sb, *why;
	unsigned long mflags;
	size_t len;
	int err = 0;

	flags = opt.flags ? opt.flags : opt.nbd_flags;
	wait_device(dev);
	mflags = mount_options(flags, data, sizeof(data));
	sysblock(dev, "ro", ro, sizeof(ro));
	if (opt.nbd_ro || ro[0] == '1' || force_ro)
		mflags |= MS_RDONLY;
	mkdir(NEWROOT, 0755);
	if (strcmp(target, NEWROOT) != 0) {
		mkdir("/run/nbdroot", 0755);
		mkdir(target, 0755);
	}
	block_filesystems();
	fstype = choose_fs(dev);
	if (fstype) {
		if (!known_fs(fstype))
			die("root filesystem type \"%s\" is unknown to this kernel and no module "
			    "for it is in this initramfs (build it with --fs %s); known: %s",
			    fstype, fstype, fslist[0] ? fslist : "none");
		err = try_mount(dev, target, fstype, &mflags, data);
		if (err) {
			/* A forced type that is not the image's: say what the image is. */
			sb = probe_fs(dev, &why);
			die("mount %s (%s%s%s) on %s: %s%s%s%s", dev, fstype, data[0] ? ", " : "", data,
			    target, strerror(err), sb && strcmp(sb, fstype) != 0 ? " (its superblock says " : "",
			    sb && strcmp(sb, fstype) != 0 ? sb : "", sb && strcmp(sb, fstype) != 0 ? ")" : "");
		}
	} else {
		/* As the kernel does without rootfstype=: try each one; EINVAL means "not mine". */
		for (p = fslist; *p; p = end + (*end == ' ')) {
			end = strchr(p, ' ');
			if (!end)
				end = p + strlen(p);
			len = (size_t)(end - p) < sizeof(fs) ? (size_t)(end - p) : sizeof(fs) - 1;
			memcpy(fs, p, len);
			fs[len] = '\0';
			err = try_mount(dev, target, fs, &mflags, data);
			if (!err)
				break;
			if (err != EINVAL && err != ENODEV)
				die("mount %s (%s) on %s: %s", dev, fs, target, strerror(err));
		}
		if (err || !fslist[0])
			die("mount %s on %s: no filesystem recognises it (tried: %s)", dev, target,
			    fslist[0] ? fslist : "none");
		fstype = fs;
	}
	info("root %s mounted (%s, %s)%s%s", dev, fstype, (mflags & MS_RDONLY) ? "ro" : "rw",
	     strcmp(target, NEWROOT) != 0 ? " on " : "", strcmp(target, NEWROOT) != 0 ? target : "");
	rm->dev = dev;
	snprintf(rm->fstype, sizeof(rm->fstype), "%s", fstype);
	rm->ro = (mflags & MS_RDONLY) != 0;
}
