/* netif.h: static interface bring-up from the kernel's ip= parameter. */
#ifndef NBDROOT_NETIF_H
#define NBDROOT_NETIF_H

#include <stddef.h>

#include "config.h"

/* Bring the interface of a static ip= up: link up, address/netmask, default
 * route via the gateway when given. An empty device means the first
 * non-loopback interface. Returns 0, or 1/2 with err set. */
int netif_static(const struct nbdroot_ipconf *ip, char *err, size_t errlen);

#endif
