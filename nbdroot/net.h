/* net.h: TCP connection to the NBD server with deadlines, over klibc's plain socket calls. */
#ifndef NBDROOT_NET_H
#define NBDROOT_NET_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* Connect to addr:port within timeout_ms. Returns the fd (TCP_NODELAY,
 * keepalive) or -1 with err set; every connect failure (refused,
 * unreachable, timeout) counts as temporary. */
int net_connect(const struct nbdroot_addr *addr, uint16_t port, unsigned timeout_ms,
		char *err, size_t errlen);

/* Read or write exactly len bytes before deadline (clock_ms() time).
 * Return 0, or -1 with errno (ETIMEDOUT at the deadline, 0 at EOF). */
int net_read_full(int fd, void *buf, size_t len, uint64_t deadline);
int net_write_full(int fd, const void *buf, size_t len, uint64_t deadline);

#endif
