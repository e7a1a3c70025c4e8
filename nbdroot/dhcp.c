/* dhcp.c: the DHCPv4 client: every candidate interface at once until one is bound (RFC 2131), then the lease kept. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
/* klibc's byteorder headers cast away const */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-qual"
#include <netinet/in.h>
#pragma GCC diagnostic pop

#include "clock.h"
#include "dhcp.h"
#include "dhcp_lease.h"
#include "errtext.h"
#include "leasefile.h"
#include "log.h"
#include "netif.h"

#define MAX_IFS 8
#define RENEW_MIN_MS 10000u

enum { SELECTING, REQUESTING, BOUND, RENEWING, REBINDING };
_Static_assert((REQUESTING & RENEWING & 1) && !((SELECTING | BOUND | REBINDING) & 1),
	       "receive() tells the states that asked one server by their low bit");

/* One interface while it looks for a lease, and the lease it keeps. */
struct dif {
	char name[IFNAMSIZ];
	uint8_t mac[6], addr[4], server[4];
	uint8_t state, tries;
	int fd;
	uint32_t xid;
	uint64_t next, t1, t2, end;
};

static struct dif ifs[MAX_IFS], kept = { .fd = -1 };
static const uint8_t bcast[4] = { 255, 255, 255, 255 };
static uint32_t seed;
static uint8_t buf[8192];
static struct dhcp_reply renewal;

static uint32_t rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 7;
}

/* DISCOVER while selecting, else REQUEST: with the offer while requesting,
 * from our address when renewing (unicast) or rebinding. */
static void transmit(struct dif *d)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(67) };
	struct dhcp_request q;
	uint8_t out[DHCP_BUILD_MAX];

	memset(&q, 0, sizeof(q));
	q.type = d->state == SELECTING ? DHCP_DISCOVER : DHCP_REQUEST;
	memcpy(q.mac, d->mac, 6);
	q.xid = d->xid;
	if (d->state == REQUESTING) {
		memcpy(q.requested, d->addr, 4);
		memcpy(q.server_id, d->server, 4);
	}
	if (d->state >= RENEWING)
		memcpy(q.ciaddr, d->addr, 4);
	memcpy(&sin.sin_addr, d->state == RENEWING ? d->server : bcast, 4);
	/* a lost request is what retransmission is for */
	sendto(d->fd, out, dhcp_build(out, &q), 0, (struct sockaddr *)&sin, sizeof(sin));
}

/* The type of a reply to d (from the server asked, once one was; an OFFER
 * while selecting, else an ACK or NAK), 0 for anything else, said why at
 * debug level, -1 when nothing is left to read. */
static int receive(struct dif *d, struct dhcp_reply *r, int flags)
{
	ssize_t n = recv(d->fd, buf, DHCP_RECV_MAX, flags);
	const char *why;

	if (n < 0)
		return -1;
	why = dhcp_parse(buf, (size_t)n, d->xid, d->mac, r);
	/* the odd states, REQUESTING and RENEWING, have asked one server */
	if (!why && (d->state & 1) && memcmp(r->server_id, d->server, 4))
		why = "wrong server";
	/* A DISCOVER (asking for Rapid Commit) is answered by an OFFER or by
	 * an ACK committed at once; a REQUEST by an ACK or a NAK, and never by
	 * a committed one: none was asked for. */
	if (!why && (r->type == DHCP_OFFER || (r->type == DHCP_ACK && r->rapid_commit)) !=
			    (d->state == SELECTING))
		why = r->rapid_commit ? "rapid commit not asked for" : "unexpected type";
	if (why) {
		log_debug("dhcp", "%s: dropped: %s", d->name, why);
		return 0;
	}
	return r->type;
}

/* A UDP socket on port 68 of d's interface alone, able to broadcast from
 * an interface without an address; the interface comes up. */
static int open_socket(struct dif *d, char *err, size_t errlen)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(68) };
	struct ifreq ifr;
	int one = 1, s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	d->fd = s;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, d->name);
	if (s < 0 || ioctl(s, SIOCGIFHWADDR, &ifr) < 0 ||
	    setsockopt(s, SOL_SOCKET, SO_BINDTODEVICE, d->name, IFNAMSIZ) < 0 ||
	    setsockopt(s, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0 ||
	    /* a DHCP client in the real root may bind port 68 too */
	    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(s, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		snprintf(err, errlen, "%s: %s", d->name, errtext(errno));
		return -1;
	}
	memcpy(d->mac, ifr.ifr_hwaddr.sa_data, 6);
	return netif_link_up(s, d->name, err, errlen);
}

static void restart(struct dif *d, uint64_t when)
{
	d->state = SELECTING;
	d->xid = rnd();
	d->tries = 0;
	d->next = when;
}

/* T1 and T2 as the server gave them, else RFC 2131's 1/2 and 7/8 of the
 * lease. An infinite lease needs no keeping. */
static void set_times(struct dif *d, const struct dhcp_reply *r, uint64_t now)
{
	uint32_t s = dhcp_be32(r->lease);
	uint64_t l = s * 1000ull, t1 = dhcp_be32(r->t1) * 1000ull, t2 = dhcp_be32(r->t2) * 1000ull;

	if (s == 0 || s == 0xffffffffu) {
		close(d->fd);
		d->fd = -1;
	}
	if (!t2 || t2 > l)
		t2 = l / 8 * 7;
	if (!t1 || t1 > t2)
		t1 = l / 2;
	d->t1 = now + t1;
	d->t2 = now + t2;
	d->end = now + l;
	d->state = BOUND;
	d->tries = 0;
	memcpy(d->server, r->server_id, 4);
}

static int bound(struct dif *d, const struct nbdroot_ipconf *ip, const struct dhcp_reply *r,
		 uint64_t start)
{
	char err[160], sid[16];

	if (netif_apply(d->name, r->yiaddr, r->netmask[0] ? r->netmask : NULL, r->router,
			ip->hostname[0] ? ip->hostname : r->hostname, err, sizeof(err))) {
		log_err("dhcp", "%s", err);
		return 1;
	}
	log_info("dhcp", "%s: lease from %s for %u s, after %u ms%s", d->name,
		 netif_ip(r->server_id, sid), (unsigned)dhcp_be32(r->lease),
		 (unsigned)(clock_ms() - start), r->rapid_commit ? ", rapid commit" : "");
	if (leasefile_write(d->name, r))
		log_err("dhcp", "cannot write the lease file: %s", errtext(errno));
	memcpy(d->addr, r->yiaddr, 4);
	kept = *d;
	d->fd = -1;
	set_times(&kept, r, clock_ms());
	return 0;
}

/* A lease klibc's ipconfig or dracut's dhclient took before us. */
static int lease_file(const char *name, struct dhcp_reply *r)
{
	static const char *const fmt[2] = { "/run/net-%s.conf", "/tmp/dhclient.%s.dhcpopts" };
	char path[48];
	ssize_t n;
	int kind, fd;

	for (kind = 0; kind < 2; kind++) {
		snprintf(path, sizeof(path), fmt[kind], name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		close(fd);
		if (n > 0 && leasefile_parse((const char *)buf, (size_t)n, kind, r) == 0) {
			log_info("dhcp", "%s: lease from %s", name, path);
			return 1;
		}
	}
	return 0;
}

/* Keep a lease the file named: its server and times are not known, so it is
 * rebound at once (RFC 2131 4.4.5, a broadcast REQUEST from the address),
 * and the ACK makes it ours. A file with no lease time (a static ip=) is
 * left alone. */
static void keep_file_lease(const char *name, const struct dhcp_reply *r)
{
	uint64_t now = clock_ms();
	char err[160];

	if (!dhcp_be32(r->lease))
		return;
	memcpy(kept.name, name, IFNAMSIZ);
	if (open_socket(&kept, err, sizeof(err))) {
		log_err("dhcp", "%s", err);
		if (kept.fd >= 0)
			close(kept.fd);
		kept.fd = -1;
		return;
	}
	memcpy(kept.addr, r->yiaddr, 4);
	set_times(&kept, r, now);
	kept.t1 = kept.t2 = kept.next = now;
	kept.state = REBINDING;
	kept.xid = rnd();
}

int dhcp_run(const struct nbdroot_ipconf *ip, const char *bootif, struct dhcp_reply *r)
{
	char names[MAX_IFS][IFNAMSIZ], err[160], tried[MAX_IFS * (IFNAMSIZ + 1)] = "";
	struct pollfd pfd[MAX_IFS];
	uint64_t start = clock_ms(), now;
	int n, k = 0, i, rc = 2;

	n = netif_find(ip->device, bootif, names, MAX_IFS, err, sizeof(err));
	if (n < 0) {
		log_err("dhcp", "%s", err);
		return 2;
	}
	seed ^= (uint32_t)start;
	for (i = 0; i < n; i++)
		if (lease_file(names[i], r)) {
			keep_file_lease(names[i], r);
			return 0;
		}
	for (i = 0; i < n; i++) {
		struct dif *d = &ifs[k];
		int j;

		strcat(strcat(tried, " "), names[i]);
		memcpy(d->name, names[i], IFNAMSIZ);
		if (open_socket(d, err, sizeof(err))) {
			log_err("dhcp", "%s", err);
			if (d->fd >= 0)
				close(d->fd);
			continue;
		}
		/* different machines booting at once pick different xids */
		for (j = 0; j < 6; j++)
			seed = seed * 31 + d->mac[j];
		restart(d, start);
		k++;
	}
	while (k && (now = clock_ms()) < start + DHCP_WAIT_MS) {
		int wait = (int)(start + DHCP_WAIT_MS - now);

		for (i = 0; i < k; i++) {
			struct dif *d = &ifs[i];
			struct ifreq ifr;

			memset(&ifr, 0, sizeof(ifr));
			strcpy(ifr.ifr_name, d->name);
			if (now < d->next) {
			} else if (!netif_carrier(d->name)) {
				/* sent before the carrier, a request is lost: 4 s wasted */
				d->next = now + 100;
			} else {
				/* a server that offered and went quiet: ask everyone again */
				if (d->tries >= 3 && d->state == REQUESTING)
					restart(d, now);
				transmit(d);
				/* RFC 2131 4.1: 4 s, doubling up to 64 s, each +-1 s */
				d->next = now + (4000u << (d->tries < 4 ? d->tries : 4)) - 1000 +
					  rnd() % 2000;
				/* The kernel says a new link runs (its operstate) up to a
				 * second after the carrier; until then what is sent may
				 * be dropped: again soon, not counted. */
				if (ioctl(d->fd, SIOCGIFFLAGS, &ifr) || !(ifr.ifr_flags & IFF_RUNNING))
					d->next = now + 250;
				else
					d->tries++;
			}
			if (d->next - now < (uint64_t)wait)
				wait = (int)(d->next - now);
			pfd[i].fd = d->fd;
			pfd[i].events = POLLIN;
		}
		if (poll(pfd, (nfds_t)k, wait) <= 0)
			continue;
		for (i = 0; i < k; i++) {
			struct dif *d = &ifs[i];
			int type;

			if (!(pfd[i].revents & POLLIN))
				continue;
			type = receive(d, r, 0);
			if (type == DHCP_OFFER) {
				memcpy(d->addr, r->yiaddr, 4);
				memcpy(d->server, r->server_id, 4);
				d->state = REQUESTING;
				d->tries = 0;
				d->next = now;
			} else if (type == DHCP_ACK) {
				rc = bound(d, ip, r, start);
				goto out;
			} else if (type == DHCP_NAK) {
				log_info("dhcp", "%s: NAK, starting over", d->name);
				/* a server that NAKs at once must not be hammered */
				restart(d, now + 1000 + rnd() % 2000);
			}
		}
	}
	log_err("dhcp", "no lease on%s within %u s", tried, DHCP_WAIT_MS / 1000);
out:
	for (i = 0; i < k; i++)
		if (ifs[i].fd >= 0)
			close(ifs[i].fd);
	return rc;
}

int dhcp_lease_fd(void)
{
	return kept.fd;
}

int dhcp_lease_pending_ms(uint64_t now)
{
	uint64_t due = kept.state == BOUND ? kept.t1 : kept.next;

	if (kept.fd < 0)
		return -1;
	if (due <= now)
		return 0;
	return due - now > 0x7fffffff ? 0x7fffffff : (int)(due - now);
}

void dhcp_lease_tick(uint64_t now)
{
	struct dif *d = &kept;
	uint64_t until;
	int type;

	while (d->fd >= 0 && (type = receive(d, &renewal, MSG_DONTWAIT)) >= 0) {
		if (d->state == BOUND)
			continue;
		/* a NAK changes nothing: the root needs the address, the lease runs out */
		if (type == DHCP_ACK && !memcmp(renewal.yiaddr, d->addr, 4)) {
			log_info("dhcp", "%s: lease renewed for %u s", d->name,
				 (unsigned)dhcp_be32(renewal.lease));
			set_times(d, &renewal, now);
		}
	}
	if (d->fd < 0)
		return;
	if (d->state == BOUND && now >= d->t1) {
		d->state = RENEWING;
		d->xid = rnd();
		d->next = now;
	}
	if (d->state == BOUND || now < d->next)
		return;
	if (now >= d->t2)
		d->state = REBINDING;
	if (now >= d->end && !d->tries++)
		log_err("dhcp", "%s: lease expired: keeping the address, still asking", d->name);
	transmit(d);
	/* RFC 2131 4.4.5: again at half the time left, but not too often */
	until = d->state == RENEWING ? d->t2 : d->end;
	d->next = now + (until > now + 2 * RENEW_MIN_MS ? (until - now) / 2 : RENEW_MIN_MS);
	if (d->state == RENEWING && d->next > d->t2)
		d->next = d->t2;
}
