/* log.h: one-line messages "nbdroot: <context>: <what>" to /dev/kmsg at boot, else stderr. */
#ifndef NBDROOT_LOG_H
#define NBDROOT_LOG_H

#define NBDROOT_PROG "nbdroot"

/* Also copy messages to /dev/kmsg (at boot). */
void log_to_kmsg(int on);
void log_set_debug(int on);

void log_err(const char *context, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_info(const char *context, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_debug(const char *context, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
