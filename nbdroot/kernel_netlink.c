/* kernel_netlink.c: NBD_CMD_CONNECT over a NETLINK_GENERIC socket, written directly (no libnl). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errtext.h"
#include "clock.h"
#include "kernel_backend.h"
#include "log.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270 /* klibc's headers lack it */
#endif

#define NL_TIMEOUT_MS 5000u

int nbdnl_open(char *err, size_t errlen)
{
	struct sockaddr_nl sa;
	int one = 1;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd < 0) {
		snprintf(err, errlen, "cannot open a generic netlink socket: %s", errtext(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		snprintf(err, errlen, "cannot bind the generic netlink socket: %s", errtext(errno));
		close(fd);
		return -1;
	}
	/* Best effort (4.3 and 4.12): acks without our request echoed back,
	 * and with the kernel's own reason when it gives one. */
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return fd;
}

uint32_t nbdnl_seq(void)
{
	static uint32_t seq;

	/* distinct per process, so a stale ack from a parent cannot match */
	if (seq == 0)
		seq = (uint32_t)getpid() << 12;
	return ++seq;
}

int nbdnl_transact(int fd, const void *msg, size_t len, uint32_t seq, uint16_t type,
		   const char *mcast_name, struct genl_reply *r, unsigned timeout_ms,
		   char *err, size_t errlen)
{
	uint8_t buf[16384];
	struct sockaddr_nl to, from;
	uint64_t deadline = clock_ms() + timeout_ms;
	char perr[160];

	genl_reply_init(r);
	memset(&to, 0, sizeof(to));
	to.nl_family = AF_NETLINK;
	if (sendto(fd, msg, len, 0, (struct sockaddr *)&to, sizeof(to)) != (ssize_t)len) {
		snprintf(err, errlen, "netlink send: %s", errtext(errno));
		return -1;
	}
	while (!r->done) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		socklen_t fromlen = sizeof(from);
		ssize_t n;
		int p = poll(&pfd, 1, clock_left_ms(deadline));

		if (p < 0 && errno == EINTR)
			continue;
		if (p <= 0) {
			snprintf(err, errlen, "no netlink answer within %u ms%s", timeout_ms,
				 p < 0 ? ": poll failed" : "");
			return -1;
		}
		/* MSG_TRUNC makes a reply too big for buf show its real size */
		n = recvfrom(fd, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &fromlen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "netlink receive: %s", errtext(errno));
			return -1;
		}
		if ((size_t)n > sizeof(buf)) {
			snprintf(err, errlen, "netlink reply of %zd bytes exceeds %zu", n, sizeof(buf));
			return -1;
		}
		if (from.nl_pid != 0)
			continue; /* only the kernel speaks for the family */
		if (genl_parse(buf, (size_t)n, seq, type, mcast_name, r, perr, sizeof(perr))) {
			snprintf(err, errlen, "malformed netlink reply: %s", perr);
			return -1;
		}
	}
	return 0;
}

int nbdnl_resolve(int fd, uint16_t *family, uint32_t *mcast_group, char *err, size_t errlen)
{
	uint8_t msg[64];
	struct genl_reply r;
	uint32_t seq = nbdnl_seq();
	size_t len = genl_build_getfamily(msg, sizeof(msg), seq, NBD_GENL_FAMILY_NAME);

	if (nbdnl_transact(fd, msg, len, seq, GENL_ID_CTRL, NBD_GENL_MCAST_GROUP_NAME, &r,
			   NL_TIMEOUT_MS, err, errlen))
		return -1;
	if (r.error == ENOENT)
		return KERNEL_FAMILY_MISSING;
	if (r.error) {
		snprintf(err, errlen, "looking up the generic netlink family \"nbd\": %s",
			 errtext(r.error));
		return -1;
	}
	if (r.family_id == 0) {
		snprintf(err, errlen, "the netlink controller acknowledged \"nbd\" without a family id");
		return -1;
	}
	*family = r.family_id;
	*mcast_group = r.mcast_group;
	return 0;
}

static int connect_error(const struct kernel_setup *s, const struct genl_reply *r,
			 char *err, size_t errlen)
{
	const char *why;
	int rc = 1;

	switch (r->error) {
	case EBUSY:
		why = "the device is already in use (another export is attached; "
		      "pick another with nbdroot.device=)";
		break;
	case EPERM:
	case EACCES:
		why = "permission denied (nbdroot needs CAP_SYS_ADMIN)";
		break;
	case EINVAL:
		why = "the driver rejected the configuration (its reason is in dmesg)";
		break;
	case ENOMEM:
	case ENOBUFS:
	case EAGAIN:
	case EINTR:
		why = errtext(r->error);
		rc = 2;
		break;
	default:
		why = errtext(r->error);
		break;
	}
	snprintf(err, errlen, "NBD_CMD_CONNECT %s (size %llu, block size %u, flags 0x%llx, "
		 "%d socket%s): %s%s%s", s->device, (unsigned long long)s->size,
		 (unsigned)s->block_size, (unsigned long long)s->flags, s->nfds,
		 s->nfds == 1 ? "" : "s", why, r->ext_msg[0] ? ": " : "", r->ext_msg);
	return rc;
}

int kernel_attach_netlink(const struct kernel_setup *s, char *err, size_t errlen)
{
	uint8_t msg[1024];
	struct nbd_connect_req req;
	struct genl_reply r;
	uint16_t family;
	uint32_t mcast, seq;
	size_t len;
	int fd, rc;

	fd = nbdnl_open(err, errlen);
	if (fd < 0)
		return 1;
	rc = nbdnl_resolve(fd, &family, &mcast, err, errlen);
	if (rc) {
		close(fd);
		return rc == KERNEL_FAMILY_MISSING ? rc : 1;
	}
	memset(&req, 0, sizeof(req));
	req.index = s->index;
	req.size = s->size;
	req.block_size = s->block_size;
	req.server_flags = s->flags;
	req.timeout = s->timeout;
	req.dead_timeout = s->dead_timeout;
	req.fds = s->fds;
	req.nfds = s->nfds;
	req.backend = s->backend;
	seq = nbdnl_seq();
	len = genl_build_nbd_connect(msg, sizeof(msg), family, seq, &req);
	if (len == 0) {
		snprintf(err, errlen, "NBD_CMD_CONNECT for %d sockets does not fit %zu bytes",
			 s->nfds, sizeof(msg));
		close(fd);
		return 1;
	}
	rc = nbdnl_transact(fd, msg, len, seq, family, NULL, &r, NL_TIMEOUT_MS, err, errlen);
	close(fd);
	if (rc)
		return 2;
	if (r.error)
		return connect_error(s, &r, err, errlen);
	log_debug("kernel", "%s: connected by netlink (family %u, multicast group %u, "
		  "timeout %us, dead-connection timeout %us, backend \"%s\")", s->device,
		  (unsigned)family, (unsigned)mcast, (unsigned)s->timeout,
		  (unsigned)s->dead_timeout, s->backend);
	return 0;
}
