/* genl.h: generic-netlink messages for the kernel's "nbd" family, built and parsed over plain buffers. */
#ifndef NBDROOT_GENL_H
#define NBDROOT_GENL_H

#include <stddef.h>
#include <stdint.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/nbd-netlink.h>

#include "config.h"

/* CTRL_CMD_GETFAMILY for `name`, to GENL_ID_CTRL. */
size_t genl_build_getfamily(void *buf, size_t size, uint32_t seq, const char *name);

/* What NBD_CMD_CONNECT carries. Client flags are always sent as 0 so that
 * a DESTROY_ON_DISCONNECT left on the device by another tool is cleared:
 * the device must outlive us. */
struct nbd_connect_req {
	uint32_t index;
	uint64_t size;
	uint64_t block_size;
	uint64_t server_flags;
	uint64_t timeout; /* seconds */
	uint64_t dead_timeout; /* seconds */
	const int *fds;
	int nfds;
	const char *backend; /* NULL: none */
};
size_t genl_build_nbd_connect(void *buf, size_t size, uint16_t family, uint32_t seq,
			      const struct nbd_connect_req *req);

/* NBD_CMD_RECONFIGURE with INDEX, SOCKETS and, when the device was connected
 * with one, the same BACKEND_IDENTIFIER (the kernel refuses it otherwise). */
size_t genl_build_nbd_reconfigure(void *buf, size_t size, uint16_t family, uint32_t seq,
				  uint32_t index, const int *fds, int nfds,
				  const char *backend);

/* The backend identifier nbdroot gives a device, "nbdroot:<server>:<port>/<export>"
 * ([v6] in brackets), at most size - 1 bytes, control bytes as '?'. Pure and
 * deterministic: RECONFIGURE must repeat it byte for byte. size >= 64. */
void genl_backend_id(const struct nbdroot_config *cfg, char *buf, size_t size);
#define GENL_BACKEND_ID_MAX 256

/* NBD_CMD_STATUS for one device. */
size_t genl_build_nbd_status(void *buf, size_t size, uint16_t family, uint32_t seq,
			     uint32_t index);

/* What the replies to one request (or a multicast batch) said. Fields are
 * only ever set, never cleared, so a caller can feed successive recv()
 * buffers into the same struct. */
struct genl_reply {
	int done; /* the NLMSG_ERROR/ack (or NLMSG_DONE) for seq arrived */
	int error; /* positive errno from that ack, 0 for success */
	char ext_msg[128]; /* the kernel's extended-ack text, if any */
	uint16_t family_id; /* CTRL_CMD_NEWFAMILY: 0 when absent */
	uint32_t mcast_group; /* its group named mcast_name: 0 when absent */
	int cmd; /* last message's genl command, -1 before any */
	int has_index;
	uint32_t index; /* NBD_ATTR_INDEX, or the first status item's index */
	int connected; /* NBD_DEVICE_CONNECTED of that item, -1 when absent */
};

void genl_reply_init(struct genl_reply *r);

/* Parse one recv() worth of netlink messages: those whose nlmsg_seq is not
 * seq are skipped, as are genl messages whose type is not `type` (the family
 * the request went to). Pure: no I/O, no globals, no allocation. Returns 0,
 * or -1 with err naming what was malformed. */
int genl_parse(const void *buf, size_t len, uint32_t seq, uint16_t type,
	       const char *mcast_name, struct genl_reply *r, char *err, size_t errlen);

#endif
