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

/* pid 0: the kernel, for bind() (an address of its choosing) and sendto() */
static const struct sockaddr_nl kernel_nl = { .nl_family = AF_NETLINK };

int nbdnl_open(char *err, size_t errlen)
{
	int one = 1;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd < 0 || bind(fd, (const struct sockaddr *)&kernel_nl, sizeof(kernel_nl)) < 0) {
		snprintf(err, errlen, "generic netlink %s: %s", fd < 0 ? "socket" : "bind",
			 errtext(errno));
		if (fd >= 0)
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
	struct sockaddr_nl from;
	uint64_t deadline = clock_ms() + timeout_ms;
	char perr[160];

	genl_reply_init(r);
	/* a builder's 0 is a request that did not fit its buffer */
	if (len == 0)
		errno = EMSGSIZE;
	if (len == 0 || sendto(fd, msg, len, 0, (const struct sockaddr *)&kernel_nl,
			       sizeof(kernel_nl)) != (ssize_t)len)
		goto fail;
	while (!r->done) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		socklen_t fromlen = sizeof(from);
		ssize_t n;
		int p = poll(&pfd, 1, clock_left_ms(deadline));

		if (p == 0)
			errno = ETIMEDOUT;
		/* MSG_TRUNC makes a reply too big for buf show its real size */
		n = p <= 0 ? -1 : recvfrom(fd, buf, sizeof(buf), MSG_TRUNC,
					   (struct sockaddr *)&from, &fromlen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if ((size_t)n > sizeof(buf)) {
			errno = EMSGSIZE;
			goto fail;
		}
		if (from.nl_pid != 0)
			continue; /* only the kernel speaks for the family */
		if (genl_parse(buf, (size_t)n, seq, type, mcast_name, r, perr, sizeof(perr))) {
			snprintf(err, errlen, "malformed netlink reply: %s", perr);
			return -1;
		}
	}
	return 0;
fail:
	snprintf(err, errlen, "netlink: %s", errtext(errno));
	return -1;
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
	if (r.error || r.family_id == 0) {
		snprintf(err, errlen, "generic netlink family nbd: %s",
			 r.error ? errtext(r.error) : "no family id in the reply");
		return -1;
	}
	*family = r.family_id;
	*mcast_group = r.mcast_group;
	return 0;
}

int kernel_attach_netlink(const struct kernel_setup *s, char *err, size_t errlen)
{
	uint8_t msg[1024];
	struct genl_reply r;
	const char *hint = "";
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
	seq = nbdnl_seq();
	len = genl_build_nbd_connect(msg, sizeof(msg), family, seq, &s->req);
	rc = nbdnl_transact(fd, msg, len, seq, family, NULL, &r, NL_TIMEOUT_MS, err, errlen);
	close(fd);
	if (rc)
		return 2;
	if (r.error) {
		rc = 1;
		switch (r.error) {
		case EBUSY:
			hint = " (already in use: pick another with nbdroot.device=)";
			break;
		case EPERM:
		case EACCES:
			hint = " (needs CAP_SYS_ADMIN)";
			break;
		case EINVAL:
			hint = " (see dmesg)";
			break;
		case ENOMEM:
		case ENOBUFS:
		case EAGAIN:
		case EINTR:
			rc = 2;
			break;
		}
		snprintf(err, errlen, "NBD_CMD_CONNECT %s (%llu bytes, block %u, flags 0x%x, "
			 "%d sockets): %s%s%s%s", s->device, (unsigned long long)s->req.size,
			 (unsigned)s->req.block_size, (unsigned)s->req.server_flags, s->req.nfds,
			 errtext(r.error), hint, r.ext_msg[0] ? ": " : "", r.ext_msg);
		return rc;
	}
	log_debug("kernel", "%s: connected by netlink", s->device);
	return 0;
}
