/* say.c: the init's log lines, "nbdroot-init: ..." on /dev/kmsg (the console) or stderr. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "init.h"

/* To /dev/kmsg, which the kernel also prints on the console (so no second
 * copy to stderr); stderr only when there is no kmsg. */
void say(int level, const char *fmt, va_list ap)
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

void note(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(level, fmt, ap);
	va_end(ap);
}
