/* kernel.h: handing a negotiated socket to the kernel's nbd driver (netlink, else ioctl). */
#ifndef NBDROOT_KERNEL_H
#define NBDROOT_KERNEL_H

#include <stddef.h>

#include "config.h"
#include "handshake.h"

/* Attach the export on the sockets fds[0..nfds) to cfg->device with
 * cfg's timeouts; read-only when the export or cfg says so. Prefers the
 * generic-netlink family "nbd", falls back to ioctls (and says so) only
 * when the family is missing. Returns 0, or 1/2 (permanent/temporary) with
 * err set. On the ioctl path a child stays in NBD_DO_IT. */
int kernel_attach(const struct nbdroot_config *cfg, const struct nbd_export *ex,
		  const int *fds, int nfds, char *err, size_t errlen);

#endif
