/* log.c: one-line messages "nbdroot: <context>: <what>" to /dev/kmsg at boot, else stderr. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static int kmsg_on;
static int debug_on;

void log_to_kmsg(int on)
{
	kmsg_on = on;
}

void log_set_debug(int on)
{
	debug_on = on;
}

static void emit(int level, const char *context, const char *fmt, va_list ap)
{
	char line[1024];
	int n, m;
	int fd;

	n = snprintf(line, sizeof(line), "<%d>" NBDROOT_PROG ": %s: ", level, context);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (m < 0)
		return;
	n += m;
	if ((size_t)n >= sizeof(line) - 1)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	/* At boot the console shows kmsg: writing stderr too would print every
	 * line twice. stderr is the fallback when kmsg cannot be had (the
	 * supervisor after switch_root, whose /dev moved away). */
	if (kmsg_on) {
		fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			m = (int)write(fd, line, (size_t)n);
			close(fd);
			if (m == n)
				return;
		}
	}
	/* stderr gets the line without the kmsg priority prefix "<N>" */
	if (write(2, line + 3, (size_t)n - 3) < 0) {
		/* nowhere else to report it */
	}
}

void log_err(const char *context, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(3, context, fmt, ap);
	va_end(ap);
}

void log_info(const char *context, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(5, context, fmt, ap);
	va_end(ap);
}

void log_debug(const char *context, const char *fmt, ...)
{
	va_list ap;

	if (!debug_on)
		return;
	/* KERN_INFO, not KERN_DEBUG: nbdroot.debug is asked for to be seen on
	 * the console, which hides KERN_DEBUG at the default loglevel */
	va_start(ap, fmt);
	emit(6, context, fmt, ap);
	va_end(ap);
}
