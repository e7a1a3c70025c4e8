/* run.c: running a program under a time limit, reading small files, and dying without hanging (rescue shell, reboot). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/wait.h>

#include "init.h"

#define REBOOT_DELAY_S 5

static volatile sig_atomic_t alarmed;

static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

/* Run and wait, at most limit_s seconds when limit_s > 0 (then SIGKILL and
 * return -2); outfd (if >= 0) becomes stdout; ctty gives it the console as
 * controlling tty (ctrl-c). */
int run(const char *path, char *const argv[], int outfd, int ctty, unsigned limit_s)
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
void die(const char *fmt, ...)
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

ssize_t read_file(const char *path, char *buf, size_t size)
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
