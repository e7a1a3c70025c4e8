/* net.c: TCP connection to the NBD server with deadlines, over klibc's plain socket calls. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
/* klibc's byteorder helpers cast away const inside its own headers. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-qual"
#include <netinet/in.h>
#include <netinet/tcp.h>
#ifdef __KLIBC__
#include <netinet/in6.h>
#endif
#pragma GCC diagnostic pop

#include "errtext.h"
#include "clock.h"
#include "net.h"

#ifndef TCP_USER_TIMEOUT
#define TCP_USER_TIMEOUT 18
#endif

/* The supervisor relies on the kernel noticing a peer that went silent
 * (no RST, no FIN): keepalive probes after 10 s idle, 5 s apart, 3 of them,
 * and unacknowledged data fails the socket after 30 s. */
#define KEEPIDLE_S 10
#define KEEPINTVL_S 5
#define KEEPCNT 3
#define USER_TIMEOUT_MS 30000

_Static_assert(offsetof(struct sockaddr_in, sin_port) ==
	       offsetof(struct sockaddr_in6, sin6_port), "one port store serves both");

/* Best effort: an old kernel without one of these still works. */
static const struct {
	uint16_t level;
	uint8_t name;
	uint16_t value;
} sockopts[] = {
	{ IPPROTO_TCP, TCP_NODELAY, 1 },
	{ SOL_SOCKET, SO_KEEPALIVE, 1 },
	{ IPPROTO_TCP, TCP_KEEPIDLE, KEEPIDLE_S },
	{ IPPROTO_TCP, TCP_KEEPINTVL, KEEPINTVL_S },
	{ IPPROTO_TCP, TCP_KEEPCNT, KEEPCNT },
	{ IPPROTO_TCP, TCP_USER_TIMEOUT, USER_TIMEOUT_MS },
};

/* Wait until fd is ready for `events` or the deadline passes. */
static int wait_ready(int fd, short events, uint64_t deadline)
{
	struct pollfd p;
	int rc;

	p.fd = fd;
	p.events = events;
	for (;;) {
		p.revents = 0;
		rc = poll(&p, 1, clock_left_ms(deadline));
		if (rc > 0)
			return 0; /* errors and hangups show up in the next call */
		if (rc == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (errno != EINTR)
			return -1;
	}
}

int net_connect(const struct nbdroot_addr *addr, uint16_t port, unsigned timeout_ms,
		char *err, size_t errlen)
{
	union {
		struct sockaddr sa;
		struct sockaddr_in s4;
		struct sockaddr_in6 s6;
	} u;
	socklen_t salen = sizeof(u.s4), elen = sizeof(int);
	uint64_t deadline = clock_ms() + timeout_ms;
	int fd, e;
	size_t i;

	memset(&u, 0, sizeof(u));
	u.s4.sin_port = htons(port); /* sin6_port too */
	if (addr->family == 4) {
		u.s4.sin_family = AF_INET;
		memcpy(&u.s4.sin_addr, addr->bytes, 4);
	} else if (addr->family == 6) {
		u.s6.sin6_family = AF_INET6;
		memcpy(&u.s6.sin6_addr, addr->bytes, 16);
		salen = sizeof(u.s6);
	}
	/* family 0 (no server address) fails here with EAFNOSUPPORT */
	fd = socket(u.sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_TCP);
	if (fd < 0)
		goto fail;
	for (i = 0; i < sizeof(sockopts) / sizeof(sockopts[0]); i++) {
		e = sockopts[i].value;
		setsockopt(fd, sockopts[i].level, sockopts[i].name, &e, sizeof(e));
	}
	/* Nonblocking so that an unanswered SYN costs timeout_ms, not the
	 * kernel's two minutes of retransmissions. */
	if (connect(fd, &u.sa, salen) < 0) {
		if (errno != EINPROGRESS || wait_ready(fd, POLLOUT, deadline) ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &elen) < 0)
			goto fail;
		errno = e;
		if (e)
			goto fail;
	}
	/* Blocking from here: the kernel's nbd driver takes the socket as is,
	 * and our own reads and writes poll with MSG_DONTWAIT. O_NONBLOCK is
	 * the only status flag a socket of ours has. */
	if (fcntl(fd, F_SETFL, 0) == 0)
		return fd;
fail:
	/* a SYN unanswered within timeout_ms is ETIMEDOUT too */
	snprintf(err, errlen, "%s", errtext(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Move exactly len bytes into rbuf, or out of wbuf when rbuf is NULL. */
static int xfer(int fd, uint8_t *rbuf, const uint8_t *wbuf, size_t len, uint64_t deadline)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		/* MSG_NOSIGNAL: a peer that went away is an error, not SIGPIPE. */
		n = rbuf ? recv(fd, rbuf + done, len - done, MSG_DONTWAIT) :
			   send(fd, wbuf + done, len - done, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n == 0 && rbuf) {
			errno = 0;
			return -1;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		if (wait_ready(fd, rbuf ? POLLIN : POLLOUT, deadline))
			return -1;
	}
	return 0;
}

int net_read_full(int fd, void *buf, size_t len, uint64_t deadline)
{
	return xfer(fd, buf, NULL, len, deadline);
}

int net_write_full(int fd, const void *buf, size_t len, uint64_t deadline)
{
	return xfer(fd, NULL, buf, len, deadline);
}
