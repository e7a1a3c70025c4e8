/* dhcp_packet.c: BOOTP/DHCP messages built and parsed over plain buffers (RFC 2131, 2132, 3396, 4039). */
#include <stddef.h>
#include <string.h>

#include "dhcp_packet.h"

static const uint8_t cookie[4] = { 99, 130, 83, 99 };
/* option 55: what we ask for, 58 and 59 to renew when the server says */
static const uint8_t params[] = { 55, 13, 1, 3, 6, 12, 15, 17, 28, 51, 54, 58, 59, 66, 67 };

static int zero4(const uint8_t *v)
{
	return !(v[0] | v[1] | v[2] | v[3]);
}

static uint8_t *opt4(uint8_t *p, uint8_t code, const uint8_t *v)
{
	if (zero4(v))
		return p;
	p[0] = code;
	p[1] = 4;
	memcpy(p + 2, v, 4);
	return p + 6;
}

size_t dhcp_build(uint8_t *b, const struct dhcp_request *q)
{
	uint8_t *p = b + DHCP_HEADER_LEN;
	size_t n;
	int i;

	memset(b, 0, DHCP_BUILD_MAX);
	memcpy(b, "\1\1\6", 3); /* BOOTREQUEST, Ethernet, 6-byte address */
	for (i = 0; i < 4; i++)
		b[4 + i] = (uint8_t)(q->xid >> (24 - 8 * i));
	/* without an address the interface cannot take a unicast reply */
	b[10] = zero4(q->ciaddr) ? 0x80 : 0;
	memcpy(b + 12, q->ciaddr, 4);
	memcpy(b + 28, q->mac, 6);
	memcpy(b + 236, cookie, 4);
	*p++ = 53;
	*p++ = 1;
	*p++ = q->type;
	p = opt4(opt4(p, 50, q->requested), 54, q->server_id);
	if (q->type == DHCP_DISCOVER) {
		/* Rapid Commit: a server that does it answers with the ACK */
		*p++ = 80;
		*p++ = 0;
	}
	memcpy(p, params, sizeof(params));
	p += sizeof(params);
	*p++ = 255;
	n = (size_t)(p - b);
	return n < DHCP_MIN_LEN ? DHCP_MIN_LEN : n;
}

#define AT(f) offsetof(struct dhcp_reply, f)
#define LIST 0x40 /* 4-byte items, the first ones kept */
#define STR 0x80 /* a string: 255 bytes, the root-path more */

/* The options we keep: code, kind | exact size, where. */
static const struct {
	uint8_t code, kind;
	uint16_t at;
} fields[] = {
	{ 53, 1, AT(type) }, { 54, 4, AT(server_id) }, { 1, 4, AT(netmask) },
	{ 3, LIST | 4, AT(router) }, { 28, 4, AT(broadcast) }, { 6, LIST | 8, AT(dns) },
	{ 51, 4, AT(lease) }, { 58, 4, AT(t1) }, { 59, 4, AT(t2) },
	{ 12, STR, AT(hostname) }, { 15, STR, AT(domain) }, { 67, STR, AT(file) },
	{ 17, STR, AT(root_path) },
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))
#define FILE_FIELD 11

struct ctx {
	struct dhcp_reply *r;
	size_t have[NFIELDS]; /* bytes seen, all instances of the option together */
	int overload;
};

static size_t room(unsigned i)
{
	if (!(fields[i].kind & STR))
		return fields[i].kind & 15;
	return fields[i].code == 17 ? DHCP_RECV_MAX - 1 : 255;
}

/* One option region: code, length, value, with the remaining bytes
 * checked before every read. Option 52 counts only in the options field.
 * An overloaded file or sname field must end in END, as dnsmasq ends it: a
 * boot file name left there ("pxelinux.0": option 112 of 120 bytes, then
 * pad) would parse as options otherwise. */
static int walk(struct ctx *c, const uint8_t *p, size_t left, int region)
{
	while (left > 0) {
		unsigned code = *p++, len, i;

		left--;
		if (code == 255)
			return 0;
		if (code == 0)
			continue;
		if (left < 1 || (len = *p++, --left < len))
			return -1;
		if (code == 52 && !region)
			c->overload = len == 1 ? p[0] : 4;
		if (code == 80) {
			if (len)
				return -1;
			c->r->rapid_commit = 1;
		}
		for (i = 0; i < NFIELDS; i++) {
			size_t have = c->have[i], size = room(i);

			if (fields[i].code != code)
				continue;
			if (have < size)
				memcpy((uint8_t *)c->r + fields[i].at + have, p,
				       size - have < len ? size - have : len);
			c->have[i] = have + len;
		}
		p += len;
		left -= len;
	}
	return -region;
}

const char *dhcp_parse(const uint8_t *buf, size_t len, uint32_t xid, const uint8_t *mac,
		       struct dhcp_reply *r)
{
	struct ctx c;
	unsigned i;

	memset(r, 0, sizeof(*r));
	memset(&c, 0, sizeof(c));
	c.r = r;
	if (len < DHCP_HEADER_LEN || memcmp(buf, "\2\1\6", 3) || memcmp(buf + 236, cookie, 4))
		return "not for us";
	if (dhcp_be32(buf + 4) != xid)
		return "wrong xid";
	if (memcmp(buf + 28, mac, 6))
		return "wrong chaddr";
	memcpy(r->yiaddr, buf + 16, 8); /* yiaddr, siaddr */
	/* RFC 3396: options, then file, then sname, as one stream */
	if (walk(&c, buf + DHCP_HEADER_LEN, len - DHCP_HEADER_LEN, 0) || c.overload > 3 ||
	    ((c.overload & 1) && walk(&c, buf + 108, 128, 1)) ||
	    ((c.overload & 2) && walk(&c, buf + 44, 64, 1)))
		return "bad options";
	if (!(c.overload & 1) && !c.have[FILE_FIELD])
		memcpy(r->file, buf + 108, strnlen((const char *)buf + 108, 128));
	/* Strings need no check: a NUL ends them where a C server meant it to,
	 * and a root-path is judged by the command-line grammar anyway. */
	for (i = 0; i < NFIELDS; i++) {
		size_t n = c.have[i];

		if (n && !(fields[i].kind & STR) && (fields[i].kind & LIST ? n % 4 : n != room(i)))
			return "bad options";
	}
	if (!r->type || !c.have[1] || (r->type != DHCP_NAK && zero4(r->yiaddr)))
		return "incomplete";
	return NULL;
}
