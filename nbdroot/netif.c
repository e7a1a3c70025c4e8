/* netif.c: interface bring-up (static ip= or a DHCP lease), with the ioctls the kernel's own ipconfig uses. */
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

#include "addr.h"
#include "errtext.h"
#include "clock.h"
#include "log.h"
#include "netif.h"
#include "sysfs.h"

/* How long to wait for the interface to appear (drivers probe late), and
 * then for its carrier; the kernel's ipconfig waits on the same scale. */
#define APPEAR_WAIT_MS 10000u
#define CARRIER_WAIT_MS 10000u

#ifdef __KLIBC__
typedef struct dirent dirent64_t;
#define getdents64(fd, buf, len) getdents(fd, (struct dirent *)(void *)(buf), len)
#else
typedef struct dirent64 dirent64_t;
#endif

static int sysfs_net(const char *ifname, const char *attr, char *buf, size_t size)
{
	char path[80];

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", ifname, attr);
	return sysfs_read(AT_FDCWD, path, buf, size);
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

/* One name from /sys/class/net into names[0..max), kept sorted by name:
 * deterministic, unlike the directory's order. Returns the new count. */
static int add_name(const char *name, const char *dev, const char *mac,
		    char (*names)[IFNAMSIZ], int max, int n)
{
	char buf[32];
	int i;

	if (strlen(name) >= IFNAMSIZ ||
	    (dev[0] ? strcmp(name, dev) != 0 :
	     !eligible(name) || (mac[0] && (sysfs_net(name, "address", buf, sizeof(buf)) ||
					    strncmp(buf, mac, 17) != 0))))
		return n;
	for (i = n; i > 0 && strcmp(name, names[i - 1]) < 0; i--)
		if (i < max)
			memcpy(names[i], names[i - 1], IFNAMSIZ);
	if (i < max)
		strcpy(names[i], name);
	return n + (n < max);
}

int netif_find(const char *dev, const char *mac, char (*names)[IFNAMSIZ], int max,
	       char *err, size_t errlen)
{
	/* getdents64 itself: opendir's malloc would be the program's only
	 * allocator (about 700 bytes of klibc). klibc's struct dirent is the
	 * kernel's linux_dirent64, as glibc's struct dirent64 is. */
	static char dents[4096] __attribute__((aligned(8)));
	uint64_t deadline = clock_ms() + APPEAR_WAIT_MS;
	int n, fd, got, off;

	for (;;) {
		n = 0;
		fd = open("/sys/class/net", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		while (fd >= 0 && (got = getdents64(fd, dents, sizeof(dents))) > 0) {
			for (off = 0; off < got; off += ((dirent64_t *)(dents + off))->d_reclen)
				n = add_name(((dirent64_t *)(dents + off))->d_name, dev, mac, names,
					     max, n);
		}
		if (fd >= 0)
			close(fd);
		if (n || clock_left_ms(deadline) == 0)
			break;
		usleep(100000);
	}
	if (!n)
		snprintf(err, errlen, "interface %s did not appear within %u s (is its driver in "
			 "the initramfs?)", dev[0] ? dev : mac[0] ? mac : "(any)",
			 APPEAR_WAIT_MS / 1000);
	return n ? n : -1;
}

static void ifr_init(struct ifreq *ifr, const char *ifname)
{
	memset(ifr, 0, sizeof(*ifr));
	snprintf(ifr->ifr_name, IFNAMSIZ, "%s", ifname);
}

int netif_link_up(int s, const char *ifname, char *err, size_t errlen)
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

char *netif_ip(const uint8_t *a, char *buf)
{
	return addr_ip4(a, buf); /* the one formatter addr_format uses too */
}

/* The interface's address or netmask, or (SIOCADDRT) the default route via
 * a: a gateway off the interface's network fails with ENETUNREACH. */
static int set_addr(int s, const char *ifname, int req, const char *what, const uint8_t *a,
		    char *err, size_t errlen)
{
	static const uint8_t any[4];
	union {
		struct ifreq ifr;
		struct rtentry rt;
	} u;
	char text[16];

	memset(&u, 0, sizeof(u));
	if (req == SIOCADDRT) {
		sin_of(&u.rt.rt_dst, any);
		sin_of(&u.rt.rt_gateway, a);
		u.rt.rt_flags = RTF_UP | RTF_GATEWAY;
	} else {
		strcpy(u.ifr.ifr_name, ifname);
		sin_of(&u.ifr.ifr_addr, a);
	}
	if (ioctl(s, req, &u) == 0 || (req == SIOCADDRT && errno == EEXIST))
		return 0;
	snprintf(err, errlen, "%s: %s %s: %s", ifname, what, netif_ip(a, text), errtext(errno));
	return 1;
}

int netif_carrier(const char *ifname)
{
	char buf[8];

	return sysfs_net(ifname, "carrier", buf, sizeof(buf)) == 0 && buf[0] == '1';
}

static void wait_carrier(const char *ifname)
{
	uint64_t start = clock_ms(), deadline = start + CARRIER_WAIT_MS;
	int said = 0;

	for (;;) {
		if (netif_carrier(ifname))
			return;
		if (clock_left_ms(deadline) == 0)
			break;
		if (!said && clock_ms() - start >= 1000) {
			log_info("ip", "%s: waiting for carrier", ifname);
			said = 1;
		}
		usleep(50000);
	}
	log_info("ip", "%s: no carrier: going on", ifname);
}

int netif_apply(const char *ifname, const uint8_t *addr, const uint8_t *mask,
		const uint8_t *gw, const char *hostname, char *err, size_t errlen)
{
	char text[2][16], lo_err[128];
	uint8_t m[4] = { 255, 0, 0, 0 };
	int s, rc, has_gw = gw[0] != 0;

	/* no netmask: the address class's, as the kernel's ipconfig derives it */
	if (!mask) {
		if (addr[0] >= 224) {
			snprintf(err, errlen, "ip=: %s is not class A, B or C: give its netmask",
				 netif_ip(addr, text[0]));
			return 1;
		}
		m[1] = addr[0] >= 128 ? 255 : 0;
		m[2] = addr[0] >= 192 ? 255 : 0;
		mask = m;
	}
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		snprintf(err, errlen, "cannot open an IPv4 socket: %s", errtext(errno));
		return 1;
	}
	/* Local services and "localhost" in the real root expect lo up. */
	if (netif_link_up(s, "lo", lo_err, sizeof(lo_err)))
		log_err("ip", "%s", lo_err);
	rc = netif_link_up(s, ifname, err, errlen) ||
	     set_addr(s, ifname, SIOCSIFADDR, "address", addr, err, errlen) ||
	     set_addr(s, ifname, SIOCSIFNETMASK, "netmask", mask, err, errlen) ||
	     (has_gw && set_addr(s, ifname, SIOCADDRT, "default route via", gw, err, errlen));
	close(s);
	if (rc)
		return 1;
	if (hostname[0] && sethostname(hostname, strlen(hostname)) < 0)
		log_err("ip", "cannot set the hostname to \"%s\": %s", hostname, errtext(errno));
	log_info("ip", "%s: %s netmask %s%s", ifname, netif_ip(addr, text[0]),
		 netif_ip(mask, text[1]), has_gw ? " with a default route" : "");
	wait_carrier(ifname);
	return 0;
}

int netif_static(const struct nbdroot_ipconf *ip, char *err, size_t errlen)
{
	char name[1][IFNAMSIZ];

	if (ip->client.family == 0) {
		snprintf(err, errlen, "ip=: no client address for a static configuration");
		return 1;
	}
	if (netif_find(ip->device, "", name, 1, err, errlen) < 0)
		return 2;
	/* ip=...:0.0.0.0:... means no gateway, as for the kernel; so does none */
	return netif_apply(name[0], ip->client.bytes, ip->netmask.family ? ip->netmask.bytes : NULL,
			   ip->gateway.bytes, ip->hostname, err, errlen);
}
