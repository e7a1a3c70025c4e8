/* net.c: TCP connection to the NBD server with deadlines, over klibc's plain socket calls. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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

static void set_int(int fd, int level, int name, int value)
{
	/* Best effort: an old kernel without one of these still works. */
	if (setsockopt(fd, level, name, &value, sizeof(value)) < 0) {
		/* nothing to do */
	}
}

static int connect_error(int fd, char *err, size_t errlen, const char *what, int e)
{
	if (what)
		snprintf(err, errlen, "%s: %s", what, errtext(e));
	else
		snprintf(err, errlen, "%s", errtext(e));
	close(fd);
	return -1;
}

int net_connect(const struct nbdroot_addr *addr, uint16_t port, unsigned timeout_ms,
		char *err, size_t errlen)
{
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;
	struct sockaddr *sa;
	socklen_t salen;
	struct pollfd p;
	uint64_t deadline = clock_ms() + timeout_ms;
	int fd, rc, e;
	socklen_t elen = sizeof(e);

	if (addr->family == 4) {
		memset(&s4, 0, sizeof(s4));
		s4.sin_family = AF_INET;
		s4.sin_port = htons(port);
		memcpy(&s4.sin_addr, addr->bytes, 4);
		sa = (struct sockaddr *)&s4;
		salen = sizeof(s4);
	} else if (addr->family == 6) {
		memset(&s6, 0, sizeof(s6));
		s6.sin6_family = AF_INET6;
		s6.sin6_port = htons(port);
		memcpy(&s6.sin6_addr, addr->bytes, 16);
		sa = (struct sockaddr *)&s6;
		salen = sizeof(s6);
	} else {
		snprintf(err, errlen, "no server address");
		return -1;
	}
	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_TCP);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", errtext(errno));
		return -1;
	}
	set_int(fd, IPPROTO_TCP, TCP_NODELAY, 1);
	set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
	set_int(fd, IPPROTO_TCP, TCP_KEEPIDLE, KEEPIDLE_S);
	set_int(fd, IPPROTO_TCP, TCP_KEEPINTVL, KEEPINTVL_S);
	set_int(fd, IPPROTO_TCP, TCP_KEEPCNT, KEEPCNT);
	set_int(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, USER_TIMEOUT_MS);
	/* Nonblocking so that an unanswered SYN costs timeout_ms, not the
	 * kernel's two minutes of retransmissions. */
	if (connect(fd, sa, salen) < 0) {
		if (errno != EINPROGRESS)
			return connect_error(fd, err, errlen, NULL, errno);
		p.fd = fd;
		p.events = POLLOUT;
		for (;;) {
			p.revents = 0;
			rc = poll(&p, 1, clock_left_ms(deadline));
			if (rc > 0)
				break;
			if (rc == 0) {
				snprintf(err, errlen, "no answer within %u ms", timeout_ms);
				close(fd);
				return -1;
			}
			if (errno != EINTR)
				return connect_error(fd, err, errlen, "poll", errno);
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &elen) < 0)
			return connect_error(fd, err, errlen, "getsockopt", errno);
		if (e)
			return connect_error(fd, err, errlen, NULL, e);
	}
	/* Blocking from here: the kernel's nbd driver takes the socket as is,
	 * and our own reads and writes poll with MSG_DONTWAIT. */
	rc = fcntl(fd, F_GETFL);
	if (rc < 0 || fcntl(fd, F_SETFL, rc & ~O_NONBLOCK) < 0)
		return connect_error(fd, err, errlen, "fcntl", errno);
	return fd;
}

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

int net_read_full(int fd, void *buf, size_t len, uint64_t deadline)
{
	uint8_t *p = buf;
	int n;

	while (len) {
		n = recv(fd, p, len, MSG_DONTWAIT);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n == 0) {
			errno = 0;
			return -1;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		if (wait_ready(fd, POLLIN, deadline))
			return -1;
	}
	return 0;
}

int net_write_full(int fd, const void *buf, size_t len, uint64_t deadline)
{
	const uint8_t *p = buf;
	int n;

	while (len) {
		/* MSG_NOSIGNAL: a peer that went away is an error, not SIGPIPE. */
		n = send(fd, p, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		if (wait_ready(fd, POLLOUT, deadline))
			return -1;
	}
	return 0;
}
