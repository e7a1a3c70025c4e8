/* addr.h: IPv4 and IPv6 literal parsing and formatting (klibc's inet_pton is broken for IPv6). */
#ifndef NBDROOT_ADDR_H
#define NBDROOT_ADDR_H

#include <stddef.h>

#include "config.h"

/* Parse exactly len bytes as a dotted-quad IPv4 literal (no leading zeros
 * that could be read as octal, each part 0..255) or an RFC 4291 IPv6 literal
 * (without brackets). Pure: no I/O, no allocation. Returns 0 or -1. */
int addr_parse(const char *s, size_t len, struct nbdroot_addr *out);

/* Dotted-quad text of 4 bytes into buf (16 bytes); returns buf. */
char *addr_ip4(const uint8_t *b, char *buf);

/* Canonical text (RFC 5952 for IPv6); "" for family 0. buf >= 46 bytes. */
void addr_format(const struct nbdroot_addr *a, char *buf, size_t size);

#endif
