/* cmdline_ip.c: the kernel's ip= (and dracut's <dev>:<autoconf>) and PXELINUX's BOOTIF=, each value -> its struct. */
#include <string.h>

#include "addr.h"
#include "cmdline.h"

#define X_AUTOCONF "off, none, on, any, dhcp, bootp, rarp, both, dhcp6, auto6, either6, " \
	"link6, ibft or single-dhcp"
#define X_IPV4 "a dotted quad such as 10.0.0.1 (ip= is IPv4 only)"
#define X_NAME "at most 15 (device) or 64 (hostname) letters, digits, '-', '.' or '_'"

static int is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

static const char *const autoconf_names[] = {
	"off", "none", "on", "any", "dhcp", "bootp", "rarp", "both",
	"dhcp6", "auto6", "either6", "link6", "ibft", "single-dhcp",
};

static int ip_autoconf(const struct cmdline_ctx *c, const char *s, size_t len,
		       struct nbdroot_ipconf *ip)
{
	size_t i;

	for (i = 0; i < sizeof(autoconf_names) / sizeof(autoconf_names[0]); i++) {
		if (is(s, len, autoconf_names[i])) {
			memcpy(ip->autoconf, s, len);
			ip->autoconf[len] = '\0';
			return 0;
		}
	}
	return cmdline_fail(c, "autoconf %q is not known", s, len, X_AUTOCONF);
}

static int ip_name(const struct cmdline_ctx *c, const char *what, const char *s, size_t len,
		   char *dst, size_t size)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char ch = (char)(s[i] | 0x20);

		if (!((ch >= 'a' && ch <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '-' || s[i] == '.' || s[i] == '_'))
			break;
	}
	if (i < len || len >= size)
		return cmdline_fail(c, what, s, len, X_NAME);
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

/* ones then zeros: the inverted mask plus one is a power of two (or zero) */
static int netmask_ok(const struct nbdroot_addr *m)
{
	uint32_t v = ~((uint32_t)m->bytes[0] << 24 | (uint32_t)m->bytes[1] << 16 |
		       (uint32_t)m->bytes[2] << 8 | m->bytes[3]);

	return (v & (v + 1)) == 0;
}

/* ip=<client>:<server>:<gw>:<netmask>:<host>:<dev>:<autoconf>[:<dns0>[:<dns1>[:<ntp0>]]]
 * (the kernel's), ip=<autoconf>, ip=<dev>:<autoconf> (dracut's). */
int cmdline_ip(const struct cmdline_ctx *c, const char *v, size_t len, struct nbdroot_ipconf *ip)
{
	static const char *const addr_msg[] = {
		"client address %q is not an IPv4 address",
		"server address %q is not an IPv4 address",
		"gateway %q is not an IPv4 address",
		"netmask %q is not an IPv4 address",
	};
	struct nbdroot_addr *addrs[4];
	const char *f[10];
	size_t flen[10], n = 0, i = 0;
	struct nbdroot_addr unused;

	memset(ip, 0, sizeof(*ip));
	ip->present = 1;
	/* the kernel reads an empty ip= as "off" */
	if (len == 0)
		return ip_autoconf(c, "off", 3, ip);
	if (memchr(v, '[', len))
		return cmdline_fail(c, "%q has a bracketed IPv6 address", v, len,
				    "IPv4 addresses only (the kernel's ip= grammar)");
	for (;;) {
		const char *colon = memchr(v + i, ':', len - i);

		if (n == 10)
			return cmdline_fail(c, "%q has more than 10 fields", v, len,
					    "<client>:<server>:<gw>:<netmask>:<host>:<dev>:"
					    "<autoconf>[:<dns0>[:<dns1>[:<ntp0>]]]");
		f[n] = v + i;
		flen[n] = colon ? (size_t)(colon - (v + i)) : len - i;
		n++;
		if (!colon)
			break;
		i = (size_t)(colon - v) + 1;
	}
	if (n == 1 && !memchr(v, '.', len))
		return ip_autoconf(c, v, len, ip);
	/* dracut's <dev>:<autoconf>: a first field without dots is no address */
	if (flen[0] > 0 && !memchr(f[0], '.', flen[0])) {
		if (n > 2)
			return cmdline_fail(c, "%q has extra fields", v, len,
					    "<dev>:<autoconf> (mtu and macaddr are not supported)");
		return ip_name(c, "device %q is not a valid interface name", f[0], flen[0],
			       ip->device, sizeof(ip->device)) ||
		       ip_autoconf(c, f[1], flen[1], ip);
	}
	while (n < 10) {
		f[n] = v + len;
		flen[n++] = 0;
	}
	addrs[0] = &ip->client;
	addrs[1] = &ip->server;
	addrs[2] = &ip->gateway;
	addrs[3] = &ip->netmask;
	for (i = 0; i < 10; i++) {
		struct nbdroot_addr *a = i < 4 ? addrs[i] : &unused;

		if (!flen[i] || (i >= 4 && i <= 6))
			continue;
		if (addr_parse(f[i], flen[i], a) || a->family != 4)
			return cmdline_fail(c, i < 4 ? addr_msg[i] :
					    "dns or ntp server %q is not an IPv4 address",
					    f[i], flen[i], X_IPV4);
	}
	if (ip->netmask.family && !netmask_ok(&ip->netmask))
		return cmdline_fail(c, "netmask %q is not contiguous", f[3], flen[3],
				    "ones then zeros such as 255.255.255.0");
	if ((flen[4] && ip_name(c, "hostname %q is not valid", f[4], flen[4], ip->hostname,
				sizeof(ip->hostname))) ||
	    (flen[5] && ip_name(c, "device %q is not a valid interface name", f[5], flen[5],
				ip->device, sizeof(ip->device))) ||
	    (flen[6] && ip_autoconf(c, f[6], flen[6], ip)))
		return -1;
	return 0;
}

/* PXELINUX's BOOTIF=01-<mac>: 01 is Ethernet; a bare MAC is taken too, with -
 * or :. Kept as sysfs writes it (lowercase, colons), to compare with. */
int cmdline_bootif(const struct cmdline_ctx *c, const char *val, size_t vlen, char *dst)
{
	const char *s = val;
	size_t len = vlen, i;

	if (len == 20 && memcmp(s, "01-", 3) == 0) {
		s += 3;
		len = 17;
	}
	for (i = 0; len == 17 && i < 17; i++) {
		char ch = (char)(s[i] | 0x20);

		if (i % 3 == 2 ? s[i] != '-' && s[i] != ':' :
		    !((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
			break;
		dst[i] = i % 3 == 2 ? ':' : ch;
	}
	dst[i == 17 ? 17 : 0] = '\0';
	if (i != 17)
		return cmdline_fail(c, "%q is not an Ethernet MAC address", val, vlen,
				    "01-xx-xx-xx-xx-xx-xx");
	return 0;
}
