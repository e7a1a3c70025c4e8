/* shquote.h: shell-sourceable KEY='value' lines for values that came from untrusted input. */
#ifndef NBDROOT_SHQUOTE_H
#define NBDROOT_SHQUOTE_H

#include <stddef.h>

/* The most bytes one line can take: every byte of value a quote ('\''). */
#define SHQUOTE_MAX(keylen, valuelen) ((keylen) + 4 * (valuelen) + 4)

/* Append KEY='value' and a newline at p, a ' in value becoming '\'';
 * return the new end. The caller sizes the buffer with SHQUOTE_MAX. */
char *shquote_put(char *p, const char *key, const char *value);
char *shquote_put_u64(char *p, const char *key, unsigned long long value);

/* Write buf[0..end) to fd in full: 0, or -1. */
int shquote_write(int fd, const char *buf, const char *end);

#endif
