/* supervise.h: the process that keeps an attached NBD device connected for the life of the machine. */
#ifndef NBDROOT_SUPERVISE_H
#define NBDROOT_SUPERVISE_H

#include "config.h"
#include "handshake.h"

/* Fork the supervisor of cfg->device, just attached by netlink with ex on
 * fds[0..nfds) to session_server(cfg, server). Everything it needs
 * (netlink sockets, /dev/kmsg, the status and sysfs directories) is opened
 * before the fork, so it survives the init's switch_root. The child keeps its copies of fds; the caller closes
 * its own. Returns in the caller only; the reason is logged when the device
 * cannot be supervised (ioctl interface, no netlink). */
void supervise_start(const struct nbdroot_config *cfg, const struct nbd_export *ex,
		     const int *fds, int nfds, unsigned server);

#endif
