/* fmt.h: the printf subset nbdroot's messages use, in place of klibc's general vsnprintf (2.4 KB). */
#ifndef NBDROOT_FMT_H
#define NBDROOT_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* vsnprintf for the conversions nbdroot uses: %s (with a precision: %.64s,
 * no width), %d %u %x (with a '0' flag or a width: %08x, %5d) under the
 * length modifiers l, ll and z, and %%; anything else is copied as it is.
 * A NULL %s prints nothing (glibc prints "(null)"; no caller passes one). Writes
 * at most size bytes, the last a NUL when size > 0; returns the length the
 * whole text would have. The klcc build's vsnprintf and snprintf are this
 * function; the host build keeps glibc's, which the unit test compares it with. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...);

#endif
