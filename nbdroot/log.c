/* log.c: one-line messages "nbdroot: <context>: <what>" to stderr and /dev/kmsg. */
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
	/* stderr gets the line without the kmsg priority prefix "<N>" */
	if (write(2, line + 3, (size_t)n - 3) < 0) {
		/* nowhere else to report it */
	}
	if (!kmsg_on)
		return;
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, line, (size_t)n) < 0) {
		/* the console copy is best effort */
	}
	close(fd);
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
	va_start(ap, fmt);
	emit(7, context, fmt, ap);
	va_end(ap);
}
