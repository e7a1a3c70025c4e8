/* netif.c: static interface bring-up from the kernel's ip= parameter, with the ioctls the kernel's own ipconfig uses. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <net/route.h>
/* klibc's byteorder headers cast away const */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-qual"
#include <netinet/in.h>
#pragma GCC diagnostic pop

#include "errtext.h"
#include "addr.h"
#include "clock.h"
#include "log.h"
#include "netif.h"

/* How long to wait for the interface to appear (drivers probe late), and
 * then for its carrier; the kernel's ipconfig waits on the same scale. */
#define APPEAR_WAIT_MS 10000u
#define CARRIER_WAIT_MS 10000u

static int sysfs_net(const char *ifname, const char *attr, char *buf, size_t size)
{
	char path[80];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", ifname, attr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* The kernel's rule (ic_is_init_dev): not loopback, able to broadcast or
 * point-to-point, not a dummy. That skips lo, sit0, tunl0 and friends. */
static int eligible(const char *name)
{
	char buf[32];
	unsigned long f = 0;
	const char *p = buf;

	if (sysfs_net(name, "flags", buf, sizeof(buf)))
		return 0;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	for (; *p && *p != '\n'; p++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0' :
			*p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;

		if (d < 0)
			return 0;
		f = f * 16 + (unsigned long)d;
	}
	return !(f & IFF_LOOPBACK) && (f & (IFF_BROADCAST | IFF_POINTOPOINT)) &&
	       strncmp(name, "dummy", 5) != 0;
}

/* The alphabetically first eligible interface: deterministic, unlike the
 * directory order. Returns 0 with out set, -1 when there is none. */
static int first_interface(char *out, size_t size)
{
	DIR *d = opendir("/sys/class/net");
	struct dirent *e;

	out[0] = '\0';
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strlen(e->d_name) >= size || !eligible(e->d_name))
			continue;
		if (!out[0] || strcmp(e->d_name, out) < 0)
			strcpy(out, e->d_name);
	}
	closedir(d);
	return out[0] ? 0 : -1;
}

static int find_interface(const struct nbdroot_ipconf *ip, char *ifname, char *err,
			  size_t errlen)
{
	uint64_t deadline = clock_ms() + APPEAR_WAIT_MS;
	char buf[32];

	for (;;) {
		if (ip->device[0]) {
			snprintf(ifname, IFNAMSIZ, "%s", ip->device);
			if (sysfs_net(ifname, "flags", buf, sizeof(buf)) == 0)
				return 0;
		} else if (first_interface(ifname, IFNAMSIZ) == 0) {
			return 0;
		}
		if (clock_left_ms(deadline) == 0)
			break;
		usleep(100000);
	}
	if (ip->device[0])
		snprintf(err, errlen, "interface \"%s\" did not appear within %u s",
			 ip->device, APPEAR_WAIT_MS / 1000);
	else
		snprintf(err, errlen, "no network interface besides loopback appeared within "
			 "%u s (is its driver in the initramfs?)", APPEAR_WAIT_MS / 1000);
	return 2;
}

static void ifr_init(struct ifreq *ifr, const char *ifname)
{
	memset(ifr, 0, sizeof(*ifr));
	snprintf(ifr->ifr_name, IFNAMSIZ, "%s", ifname);
}

static int link_up(int s, const char *ifname, char *err, size_t errlen)
{
	struct ifreq ifr;

	ifr_init(&ifr, ifname);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		snprintf(err, errlen, "%s: cannot read its flags: %s", ifname, errtext(errno));
		return 1;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) {
		snprintf(err, errlen, "%s: cannot bring it up: %s", ifname, errtext(errno));
		return 1;
	}
	return 0;
}

static void sin_of(struct sockaddr *sa, const uint8_t *a4)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	memcpy(&sin.sin_addr, a4, 4);
	memcpy(sa, &sin, sizeof(sin));
}

static int set_addr(int s, const char *ifname, int req, const char *what,
		    const struct nbdroot_addr *a, char *err, size_t errlen)
{
	struct ifreq ifr;
	char text[48];

	ifr_init(&ifr, ifname);
	sin_of(&ifr.ifr_addr, a->bytes);
	if (ioctl(s, req, &ifr) == 0)
		return 0;
	addr_format(a, text, sizeof(text));
	snprintf(err, errlen, "%s: cannot set %s %s: %s", ifname, what, text, errtext(errno));
	return 1;
}

/* ip= leaves the netmask out: derive it from the address class, as the
 * kernel's ipconfig does (ic_defaults), so both readings of ip= agree. */
static int classful_mask(const struct nbdroot_addr *client, struct nbdroot_addr *mask,
			 char *err, size_t errlen)
{
	uint8_t b = client->bytes[0];
	char text[48];

	memset(mask, 0, sizeof(*mask));
	mask->family = 4;
	mask->bytes[0] = 255;
	if (b >= 128)
		mask->bytes[1] = 255;
	if (b >= 192)
		mask->bytes[2] = 255;
	if (b < 224)
		return 0;
	addr_format(client, text, sizeof(text));
	snprintf(err, errlen, "ip=: cannot derive a netmask for %s (not class A, B or C): "
		 "expected one in ip=<client>:<server>:<gw>:<netmask>:...", text);
	return 1;
}

static int default_route(int s, const char *ifname, const struct nbdroot_addr *client,
			 const struct nbdroot_addr *mask, const struct nbdroot_addr *gw,
			 char *err, size_t errlen)
{
	struct rtentry rt;
	static const uint8_t any[4];
	char gtext[48], ctext[48], mtext[48];
	int i;

	addr_format(gw, gtext, sizeof(gtext));
	for (i = 0; i < 4; i++) {
		if ((gw->bytes[i] ^ client->bytes[i]) & mask->bytes[i]) {
			addr_format(client, ctext, sizeof(ctext));
			addr_format(mask, mtext, sizeof(mtext));
			snprintf(err, errlen, "%s: gateway %s is not on the network of %s/%s",
				 ifname, gtext, ctext, mtext);
			return 1;
		}
	}
	memset(&rt, 0, sizeof(rt));
	sin_of(&rt.rt_dst, any);
	sin_of(&rt.rt_genmask, any);
	sin_of(&rt.rt_gateway, gw->bytes);
	rt.rt_flags = RTF_UP | RTF_GATEWAY;
	if (ioctl(s, SIOCADDRT, &rt) == 0 || errno == EEXIST)
		return 0;
	snprintf(err, errlen, "%s: cannot add the default route via %s: %s", ifname, gtext,
		 errtext(errno));
	return 1;
}

static void wait_carrier(const char *ifname)
{
	uint64_t start = clock_ms(), deadline = start + CARRIER_WAIT_MS;
	int said = 0;
	char buf[8];

	for (;;) {
		if (sysfs_net(ifname, "carrier", buf, sizeof(buf)) == 0 && buf[0] == '1') {
			if (said)
				log_info("ip", "%s: carrier after %u ms", ifname,
					 (unsigned)(clock_ms() - start));
			return;
		}
		if (clock_left_ms(deadline) == 0)
			break;
		if (!said && clock_ms() - start >= 1000) {
			log_info("ip", "%s: waiting up to %u s for carrier", ifname,
				 CARRIER_WAIT_MS / 1000);
			said = 1;
		}
		usleep(50000);
	}
	log_info("ip", "%s: no carrier after %u s: going on, connecting will tell", ifname,
		 CARRIER_WAIT_MS / 1000);
}

static int check_v4(const struct nbdroot_addr *a, const char *what, char *err, size_t errlen)
{
	if (a->family == 0 || a->family == 4)
		return 0;
	snprintf(err, errlen, "ip=: the %s must be an IPv4 address (ip= is IPv4 only)", what);
	return 1;
}

int netif_static(const struct nbdroot_ipconf *ip, char *err, size_t errlen)
{
	char ifname[IFNAMSIZ], text[48], lo_err[128];
	struct nbdroot_addr mask;
	int s, rc, has_gw;

	if (ip->client.family == 0) {
		snprintf(err, errlen, "ip=: no client address for a static configuration");
		return 1;
	}
	if (check_v4(&ip->client, "client address", err, errlen) ||
	    check_v4(&ip->gateway, "gateway", err, errlen) ||
	    check_v4(&ip->netmask, "netmask", err, errlen))
		return 1;
	if (ip->netmask.family)
		mask = ip->netmask;
	else if (classful_mask(&ip->client, &mask, err, errlen))
		return 1;
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		snprintf(err, errlen, "cannot open an IPv4 socket: %s", errtext(errno));
		return 1;
	}
	/* Local services and "localhost" in the real root expect lo up. */
	if (link_up(s, "lo", lo_err, sizeof(lo_err)))
		log_err("ip", "%s", lo_err);
	rc = find_interface(ip, ifname, err, errlen);
	if (rc == 0)
		rc = link_up(s, ifname, err, errlen);
	if (rc == 0)
		rc = set_addr(s, ifname, SIOCSIFADDR, "address", &ip->client, err, errlen);
	if (rc == 0)
		rc = set_addr(s, ifname, SIOCSIFNETMASK, "netmask", &mask, err, errlen);
	/* ip=...:0.0.0.0:... means no gateway, as for the kernel */
	has_gw = ip->gateway.family && memcmp(ip->gateway.bytes, "\0\0\0\0", 4) != 0;
	if (rc == 0 && has_gw)
		rc = default_route(s, ifname, &ip->client, &mask, &ip->gateway, err, errlen);
	close(s);
	if (rc)
		return rc;
	if (ip->hostname[0] && sethostname(ip->hostname, strlen(ip->hostname)) < 0)
		log_err("ip", "cannot set the hostname to \"%s\": %s", ip->hostname,
			errtext(errno));
	addr_format(&ip->client, text, sizeof(text));
	log_info("ip", "%s: %s netmask %u.%u.%u.%u%s", ifname, text, mask.bytes[0],
		 mask.bytes[1], mask.bytes[2], mask.bytes[3],
		 has_gw ? " with a default route" : "");
	wait_carrier(ifname);
	return 0;
}
