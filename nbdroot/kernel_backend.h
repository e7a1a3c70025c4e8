/* kernel_backend.h: the two ways into the nbd driver (netlink, ioctl) and the netlink socket helpers the supervisor reuses. */
#ifndef NBDROOT_KERNEL_BACKEND_H
#define NBDROOT_KERNEL_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "genl.h"
#include "handshake.h"

/* kernel_attach_netlink's answer when the "nbd" family does not exist. */
#define KERNEL_FAMILY_MISSING 3

/* What both paths hand the driver, already decided by kernel.c: the
 * netlink request as is (server_flags with READ_ONLY added when
 * cfg->readonly), which the ioctl path reads too. */
struct kernel_setup {
	struct nbd_connect_req req;
	const char *device; /* cfg->device, for messages */
	/* main()'s, still valid in the ioctl child, which reconnects with them */
	const struct nbdroot_config *cfg;
	const struct nbd_export *ex;
};

/* Return 0, 1/2 (permanent/temporary) with err set, or KERNEL_FAMILY_MISSING. */
int kernel_attach_netlink(const struct kernel_setup *s, char *err, size_t errlen);

/* Return 0 with *child the pid now inside NBD_DO_IT, or 1/2 with err set. */
int kernel_attach_ioctl(const struct kernel_setup *s, pid_t *child, char *err, size_t errlen);

/* /sys/block/nbd<index>/<attr> without its newline; -1 (errno set) when unreadable. */
int kernel_sysfs_read(unsigned index, const char *attr, char *buf, size_t size);

/* A NETLINK_GENERIC socket bound to the kernel, with capped and extended
 * acks where the kernel has them. Returns the fd, or -1 with err set. */
int nbdnl_open(char *err, size_t errlen);

/* Resolve the "nbd" family and its multicast group (0 when absent).
 * Returns 0, KERNEL_FAMILY_MISSING, or -1 with err set. */
int nbdnl_resolve(int fd, uint16_t *family, uint32_t *mcast_group, char *err, size_t errlen);

/* A fresh sequence number for a request. */
uint32_t nbdnl_seq(void);

/* Send msg and read until the ack for seq (genl_parse with type and
 * mcast_name fills r), within timeout_ms. Returns 0 (r->error holds the
 * kernel's errno) or -1 with err set when the exchange itself failed. */
int nbdnl_transact(int fd, const void *msg, size_t len, uint32_t seq, uint16_t type,
		   const char *mcast_name, struct genl_reply *r, unsigned timeout_ms,
		   char *err, size_t errlen);

#endif
