/* leasefile.c: leases as shell-sourceable files: ours written klibc-style, klibc's and dracut's read. */
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "addr.h"
#include "cmdline.h"
#include "leasefile.h"
#include "netif.h"
#include "shquote.h"

/* Worst case: every byte of every value a quote, written as '\'' */
static char text_out[4 * (3 * 256 + DHCP_RECV_MAX + 16 * 14) + 256];

#define AT(f) offsetof(struct dhcp_reply, f)
#define STR 0x8000

int leasefile_write(const char *ifname, const struct dhcp_reply *r)
{
	static const char keys[] = "IPV4ADDR\0IPV4BROADCAST\0IPV4NETMASK\0IPV4GATEWAY\0"
				   "IPV4DNS0\0IPV4DNS1\0HOSTNAME\0DNSDOMAIN\0ROOTPATH\0filename";
	static const uint16_t at[] = {
		AT(yiaddr), AT(broadcast), AT(netmask), AT(router), AT(dns), AT(dns) + 4,
		AT(hostname) | STR, AT(domain) | STR, AT(root_path) | STR, AT(file) | STR,
	};
	const char *k = keys;
	char *p = text_out, t[16], path[48];
	int fd, rc;
	unsigned i;

	p = shquote_put(p, "DEVICE", ifname);
	p = shquote_put(p, "PROTO", "dhcp");
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++, k += strlen(k) + 1) {
		const char *v = (const char *)r + (at[i] & ~STR);

		p = shquote_put(p, k, at[i] & STR ? v : netif_ip((const uint8_t *)v, t));
	}
	p = shquote_put(p, "ROOTSERVER", netif_ip(r->siaddr[0] ? r->siaddr : r->server_id, t));
	snprintf(t, sizeof(t), "%u", (unsigned)dhcp_be32(r->lease));
	p = shquote_put(p, "DHCPLEASETIME", t);
	mkdir(LEASEFILE_DIR, 0755);
	snprintf(path, sizeof(path), LEASEFILE_DIR "/net-%s.conf", ifname);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	rc = shquote_write(fd, text_out, p);
	close(fd);
	return rc;
}

/* The value of the last word key=<value> in shell text, with '...' and \
 * quoting undone, into out. Returns its length, or -1 when there is none,
 * or the last one does not fit or holds a NUL. */
static int shvar(const char *s, size_t len, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key), i = 0;
	int found = -1;

	while (i < len) {
		size_t pos = 0;
		int q = 0, m = 1; /* m: 1 key= so far, 0 another word, 2 ours but unusable */

		while (i < len) {
			char c = s[i++];

			if (!q && (c == ' ' || c == '\t' || c == '\n' || c == ';'))
				break;
			if (c == '\'') {
				q = !q;
				continue;
			}
			if (!q && c == '\\' && i < len)
				c = s[i++];
			if (m != 1)
				continue;
			if (pos < klen ? c != key[pos] : pos == klen && c != '=')
				m = 0;
			else if (pos > klen && (pos - klen > size - 1 || !c))
				m = 2;
			else if (pos > klen)
				out[pos - klen - 1] = c;
			pos++;
		}
		if (m == 2)
			found = -1;
		if (m == 1 && pos > klen) {
			found = (int)(pos - klen - 1);
			out[found] = '\0';
		}
	}
	return found;
}

int leasefile_parse(const char *buf, size_t len, int kind, struct dhcp_reply *r)
{
	static const char *const keys[2][5] = {
		{ "IPV4ADDR", "ROOTSERVER", "", "ROOTPATH", "DHCPLEASETIME" },
		{ "new_ip_address", "new_next_server", "new_dhcp_server_identifier",
		  "new_root_path", "new_dhcp_lease_time" },
	};
	const char *const *k = keys[kind != 0];
	uint8_t *addrs[3] = { r->yiaddr, r->siaddr, r->server_id };
	struct nbdroot_addr a;
	char v[16];
	uint32_t secs;
	int i, n;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < 3; i++)
		if (k[i][0] && (n = shvar(buf, len, k[i], v, sizeof(v))) > 0 &&
		    addr_parse(v, (size_t)n, &a) == 0 && a.family == 4)
			memcpy(addrs[i], a.bytes, 4);
	if (shvar(buf, len, k[3], r->root_path, sizeof(r->root_path)) < 0) {
		r->root_path[0] = '\0';
		/* ipconfig always writes ROOTPATH; Ubuntu's dhclient and dhcpcd hooks
		 * write none, and their ROOTSERVER is the router, not a next server */
		if (!kind)
			memset(r->siaddr, 0, 4);
	}
	/* the lease's length, for the supervisor to keep it: not a number is none */
	if ((n = shvar(buf, len, k[4], v, sizeof(v))) > 0 &&
	    cmdline_number(v, (size_t)n, 0xffffffffu, &secs) == 0)
		for (i = 0; i < 4; i++)
			r->lease[i] = (uint8_t)(secs >> (24 - 8 * i));
	return r->yiaddr[0] ? 0 : -1;
}
