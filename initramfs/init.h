/* init.h: what the initramfs init's files share: limits, the boot options, and each file's entry points. */
#ifndef NBDROOT_INIT_H
#define NBDROOT_INIT_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#ifdef __KLIBC__
/* klibc builds these stubs (klibc/havesyscall.h) but declares no prototype. */
extern int finit_module(int fd, const char *params, int flags);
#else
#include <sys/syscall.h>
#define finit_module(fd, p, f) ((int)syscall(SYS_finit_module, fd, p, f))
#define reboot(cmd, arg) reboot(cmd)
#endif

#define PROG "nbdroot-init"
#define NBDROOT_BIN "/sbin/nbdroot"
#define NEWROOT "/newroot"
/* Both overlay layers stay visible here after switch_root (/run moves along). */
#define OVERLAY_LOWER "/run/nbdroot/lower"
#define OVERLAY_RW "/run/nbdroot/overlay"

/* What the kernel command line and nbdroot --print-config say about the root. */
struct boot_options {
	char *root, *fstype, *flags, *init;
	int ro, shell;
	char dev[64], nbd_fstype[32], nbd_flags[256];
	int nbd_ro;
	char overlay[16], overlay_size[32];
};
extern struct boot_options opt;

/* say.c */
void say(int level, const char *fmt, va_list ap);
void note(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define info(...) note(5, __VA_ARGS__)
#define warn(...) note(3, __VA_ARGS__)

/* run.c */
int run(const char *path, char *const argv[], int outfd, int ctty, unsigned limit_s);
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
ssize_t read_file(const char *path, char *buf, size_t size);

/* config.c */
void parse_cmdline(void);
void start_nbdroot(void);
void nbdroot_config(void);
void shvalue(const char *out, const char *key, char *dst, size_t size);

/* modules.c */
void load_modules(void);

/* rootdev.c */
const char *root_device(void);
void wait_device(const char *dev);
void sysblock(const char *dev, const char *attr, char *val, size_t size);
const char *probe_fs(const char *dev, const char **why);

/* superblock.c */
const char *fs_from_superblock(const unsigned char *b, size_t len, const char **why);

/* mount_root.c */
/* The root filesystem as mounted: on NEWROOT, or read-only as the overlay's lower layer. */
struct root_mount {
	const char *dev;
	char fstype[32];
	int ro;
};
void mount_root(const char *target, int force_ro, struct root_mount *rm);

/* overlay.c */
void mount_overlay(const struct root_mount *rm);

/* switch_root.c */
void switch_root(char **argv);

#endif
