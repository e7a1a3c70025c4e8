/* test-dhcp-packet.c: DHCP replies dnsmasq really sent (tests/unit/vectors/dhcp) and hostile variants parse as stated; requests are built byte for byte. */
#include <stdint.h>

#include "dhcp_packet.h"
#include "unit.h"

#define VECTORS "tests/unit/vectors/dhcp/"

static uint8_t pkt[4096];
static size_t pkt_len;
static struct dhcp_reply r;

static uint32_t xid_of(const uint8_t *p)
{
	return (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
}

static int load(const char *name)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), VECTORS "%s", name);
	f = fopen(path, "rb");
	CHECK(f != NULL, "cannot open %s", path);
	if (!f)
		return -1;
	pkt_len = fread(pkt, 1, sizeof(pkt), f);
	fclose(f);
	return 0;
}

static const char *parse(void)
{
	return dhcp_parse(pkt, pkt_len, xid_of(pkt), pkt + 28, &r);
}

static const char *ip(const uint8_t *a)
{
	static char buf[4][16];
	static int n;

	n = (n + 1) % 4;
	snprintf(buf[n], sizeof(buf[n]), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	return buf[n];
}

/* What each captured reply holds (capture.sh says how dnsmasq was told). */
static const struct {
	const char *file;
	int type;
	const char *yiaddr, *siaddr, *router, *root_path, *boot_file;
	unsigned lease, t1, t2;
} vectors[] = {
	{ "basic-1-offer.bin", DHCP_OFFER, "10.78.0.10", "10.78.0.1", "10.78.0.1",
	  "10.78.0.1:10809/root", "", 600, 300, 525 },
	{ "basic-2-ack.bin", DHCP_ACK, "10.78.0.10", "10.78.0.1", "10.78.0.1",
	  "10.78.0.1:10809/root", "", 600, 300, 525 },
	/* option 52 = 1: the root-path is only in the file field */
	{ "overload-1-offer.bin", DHCP_OFFER, "10.78.0.10", "10.78.0.1", "10.78.0.1",
	  "10.78.0.1:10809/root", "", 600, 300, 525 },
	{ "overload-2-ack.bin", DHCP_ACK, "10.78.0.10", "10.78.0.1", "10.78.0.1",
	  "10.78.0.1:10809/root", "", 600, 300, 525 },
	/* dhcp-boot: siaddr elsewhere, option 67 with a trailing NUL */
	{ "next-server-1-offer.bin", DHCP_OFFER, "10.78.0.10", "10.78.0.2", "10.78.0.1", "",
	  "pxelinux.0", 600, 300, 525 },
	{ "next-server-2-ack.bin", DHCP_ACK, "10.78.0.10", "10.78.0.2", "10.78.0.1", "",
	  "pxelinux.0", 600, 300, 525 },
	{ "no-next-server-2-ack.bin", DHCP_ACK, "10.78.0.10", "0.0.0.0", "10.78.0.1", "", "",
	  600, 300, 525 },
	{ "nak-1-offer.bin", DHCP_OFFER, "10.78.0.10", "10.78.0.1", "10.78.0.1", "", "", 600,
	  300, 525 },
	{ "nak-2-nak.bin", DHCP_NAK, "0.0.0.0", "0.0.0.0", "0.0.0.0", "", "", 0, 0, 0 },
	/* dhcp-rapid-commit: the ACK answers the DISCOVER */
	{ "rapid-1-ack.bin", DHCP_ACK, "10.78.0.10", "10.78.0.1", "10.78.0.1",
	  "10.78.0.1:10809/root", "", 600, 300, 525 },
};

static void real_replies(void)
{
	size_t i;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const char *why;

		if (load(vectors[i].file))
			continue;
		why = parse();
		CHECK(why == NULL, "%s: %s", vectors[i].file, why);
		if (why)
			continue;
		CHECK(r.type == vectors[i].type, "%s: type %d", vectors[i].file, r.type);
		CHECK(!strcmp(ip(r.yiaddr), vectors[i].yiaddr), "%s: yiaddr %s", vectors[i].file,
		      ip(r.yiaddr));
		CHECK(!strcmp(ip(r.siaddr), vectors[i].siaddr), "%s: siaddr %s", vectors[i].file,
		      ip(r.siaddr));
		CHECK(!strcmp(ip(r.server_id), "10.78.0.1"), "%s: server id %s", vectors[i].file,
		      ip(r.server_id));
		CHECK(!strcmp(ip(r.router), vectors[i].router), "%s: router %s", vectors[i].file,
		      ip(r.router));
		CHECK(!strcmp(r.root_path, vectors[i].root_path), "%s: root-path \"%s\"",
		      vectors[i].file, r.root_path);
		CHECK(!strcmp(r.file, vectors[i].boot_file), "%s: file \"%s\"", vectors[i].file,
		      r.file);
		CHECK(dhcp_be32(r.lease) == vectors[i].lease && dhcp_be32(r.t1) == vectors[i].t1 &&
		      dhcp_be32(r.t2) == vectors[i].t2, "%s: lease %u t1 %u t2 %u", vectors[i].file,
		      (unsigned)dhcp_be32(r.lease), (unsigned)dhcp_be32(r.t1),
		      (unsigned)dhcp_be32(r.t2));
		CHECK(r.rapid_commit == !strncmp(vectors[i].file, "rapid-", 6),
		      "%s: rapid commit %d", vectors[i].file, r.rapid_commit);
		if (vectors[i].type != DHCP_NAK)
			CHECK(!strcmp(ip(r.netmask), "255.255.255.0") &&
			      !strcmp(ip(r.broadcast), "10.78.0.255"), "%s: mask %s bcast %s",
			      vectors[i].file, ip(r.netmask), ip(r.broadcast));
	}
	if (!load("basic-2-ack.bin") && !parse()) {
		CHECK(!strcmp(r.domain, "lab.example"), "domain \"%s\"", r.domain);
		CHECK(!strcmp(ip(r.dns), "10.78.0.53") && !strcmp(ip(r.dns + 4), "10.78.0.54"),
		      "dns %s %s", ip(r.dns), ip(r.dns + 4));
		/* the transaction and the client are checked */
		CHECK(dhcp_parse(pkt, pkt_len, xid_of(pkt) + 1, pkt + 28, &r) != NULL, "other xid");
		pkt[33] ^= 1;
		CHECK(dhcp_parse(pkt, pkt_len, xid_of(pkt), (const uint8_t *)"\x52\x54\0\x12\x34\x56",
				 &r) != NULL, "other chaddr");
	}
}

/* A reply built option by option. */
static const uint8_t MAC[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
#define XID 0x01020304u

static void begin(void)
{
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 2;
	pkt[1] = 1;
	pkt[2] = 6;
	pkt[4] = 1, pkt[5] = 2, pkt[6] = 3, pkt[7] = 4;
	memcpy(pkt + 16, "\x0a\x00\x00\x0a", 4);
	memcpy(pkt + 28, MAC, 6);
	memcpy(pkt + 236, "\x63\x82\x53\x63", 4);
	pkt_len = 240;
}

static void raw(const void *p, size_t n)
{
	memcpy(pkt + pkt_len, p, n);
	pkt_len += n;
}

/* one option at the end of the options field */
static void opt(uint8_t code, const char *val, size_t n)
{
	pkt[pkt_len++] = code;
	pkt[pkt_len++] = (uint8_t)n;
	raw(val, n);
}

#define OPT(code, s) opt(code, s, sizeof(s) - 1)

static void ack(void)
{
	begin();
	OPT(53, "\x05");
	OPT(54, "\x0a\x00\x00\x01");
}

static const char *run(void)
{
	return dhcp_parse(pkt, pkt_len, XID, MAC, &r);
}

static void expect_reject(const char *what, const char *want)
{
	const char *why = run();

	CHECK(why != NULL && strstr(why, want) != NULL, "%s: got \"%s\", expected \"%s\"", what,
	      why ? why : "(accepted)", want);
}

static void hostile(void)
{
	const char *why;
	size_t i;

	ack();
	pkt[pkt_len++] = 255;
	CHECK(run() == NULL && r.type == DHCP_ACK && !r.rapid_commit, "minimal ACK: %s", run());

	/* Rapid Commit (RFC 4039): option 80, empty, wherever it comes */
	ack();
	OPT(80, "");
	pkt[pkt_len++] = 255;
	CHECK(run() == NULL && r.rapid_commit == 1, "ACK with an empty option 80: %s", run());
	ack();
	OPT(80, "\x01");
	expect_reject("option 80 with a value", "bad options");
	ack();
	pkt[pkt_len++] = 80;
	expect_reject("option 80 without its length", "bad options");

	ack();
	pkt_len = 239;
	expect_reject("239 bytes", "not for us");
	ack();
	pkt[0] = 1;
	expect_reject("a BOOTREQUEST", "not for us");
	ack();
	pkt[2] = 16;
	expect_reject("hlen 16", "not for us");
	ack();
	pkt[238] = 0;
	expect_reject("no cookie", "not for us");
	ack();
	pkt[7] ^= 1;
	expect_reject("another transaction", "wrong xid");
	ack();
	pkt[33] ^= 1;
	expect_reject("another client", "wrong chaddr");

	/* lengths: the length byte itself, then the value, each checked */
	ack();
	pkt[pkt_len++] = 17;
	expect_reject("code without length", "bad options");
	ack();
	raw("\x11\x05" "ab", 4);
	expect_reject("value past the end", "bad options");
	ack();
	OPT(1, "\xff\xff\xff");
	expect_reject("netmask of 3", "bad options");
	ack();
	OPT(51, "\0\0\x02\x58\0");
	expect_reject("lease of 5", "bad options");
	ack();
	OPT(3, "\x0a\0\0\x01\x0a");
	expect_reject("router list of 5", "bad options");
	ack();
	OPT(53, "\x05");
	expect_reject("two message types", "bad options");
	ack();
	OPT(3, "\x0a\0\0\x01\x0a\0\0\x02");
	CHECK(run() == NULL && !strcmp(ip(r.router), "10.0.0.1"), "two routers: the first");

	/* strings */
	ack();
	OPT(17, "10.0.0.1:10809/root\0");
	CHECK(run() == NULL && !strcmp(r.root_path, "10.0.0.1:10809/root"),
	      "trailing NUL trimmed: \"%s\"", r.root_path);
	ack();
	OPT(17, "10.0.0.1:10809/ro\0ot");
	CHECK(run() == NULL && !strcmp(r.root_path, "10.0.0.1:10809/ro"),
	      "a NUL inside ends the string: \"%s\"", r.root_path);
	ack();
	OPT(17, "10.0.0.1:");
	OPT(3, "\x0a\0\0\x01");
	OPT(17, "10809/root");
	CHECK(run() == NULL && !strcmp(r.root_path, "10.0.0.1:10809/root"),
	      "RFC 3396 concatenation: \"%s\"", r.root_path);
	ack();
	OPT(12, "client");
	OPT(12, "client");
	CHECK(run() == NULL && !strcmp(r.hostname, "clientclient"), "hostname \"%s\"",
	      r.hostname);

	/* overload: options, then file, then sname, as one stream */
	ack();
	OPT(52, "\x03");
	OPT(17, "10.0.0.1:");
	memcpy(pkt + 108, "\x11\x05" "10809\xff", 8);
	memcpy(pkt + 44, "\x11\x05/root\xff", 8);
	CHECK(run() == NULL && !strcmp(r.root_path, "10.0.0.1:10809/root") && !r.file[0],
	      "overload 3: \"%s\" file \"%s\"", r.root_path, r.file);
	ack();
	OPT(52, "\x02");
	memcpy(pkt + 108, "boot.img", 8);
	memcpy(pkt + 44, "\x11\x04/abc\xff", 7);
	CHECK(run() == NULL && !strcmp(r.root_path, "/abc") && !strcmp(r.file, "boot.img"),
	      "overload 2: \"%s\" file \"%s\"", r.root_path, r.file);
	ack();
	memcpy(pkt + 108, "\x11\x04/abc\xff", 7);
	CHECK(run() == NULL && !r.root_path[0], "no overload: file is a name, not options");
	ack();
	OPT(52, "\x01");
	memcpy(pkt + 108, "\x34\x01\x02\x11\x02/a\xff", 8);
	memcpy(pkt + 44, "\x11\x02/b\xff", 5);
	CHECK(run() == NULL && !strcmp(r.root_path, "/a"), "option 52 inside file ignored: \"%s\"",
	      r.root_path);
	ack();
	OPT(52, "\x01");
	memset(pkt + 108, 0, 128);
	pkt[235] = 17;
	expect_reject("file field ends in a code", "bad options");
	ack();
	OPT(52, "\x01");
	memcpy(pkt + 108, "\x11\x7f", 2);
	expect_reject("file field option longer than the field", "bad options");
	ack();
	OPT(52, "\x01");
	memcpy(pkt + 108, "pxelinux.0", 10);
	expect_reject("overload 1 over a boot file name (option 112 of 120, then pad)",
		      "bad options");
	ack();
	OPT(52, "\x02");
	memcpy(pkt + 44, "\x11\x04/abc", 6);
	expect_reject("overloaded sname without END", "bad options");
	ack();
	OPT(52, "\x04");
	expect_reject("overload 4", "bad options");
	ack();
	OPT(52, "\x01\x01");
	expect_reject("overload of 2 bytes", "bad options");

	/* what a reply must say */
	begin();
	OPT(54, "\x0a\x00\x00\x01");
	expect_reject("no type", "incomplete");
	begin();
	OPT(53, "\x05");
	expect_reject("no server id", "incomplete");
	ack();
	memset(pkt + 16, 0, 4);
	expect_reject("ACK without an address", "incomplete");
	begin();
	OPT(53, "\x06");
	OPT(54, "\x0a\x00\x00\x01");
	memset(pkt + 16, 0, 4);
	CHECK(run() == NULL && r.type == DHCP_NAK, "NAK without an address");
	/* no END, padding instead: accepted */
	ack();
	raw("\0\0\0", 3);
	CHECK(run() == NULL, "no END: %s", run());

	/* the biggest root-path a 1500-byte reply can carry fits; more is cut, not overrun */
	ack();
	for (i = 0; pkt_len + 2 + 255 <= DHCP_RECV_MAX; i += 255) {
		pkt[pkt_len++] = 17;
		pkt[pkt_len++] = 255;
		memset(pkt + pkt_len, 'a', 255);
		pkt_len += 255;
	}
	why = run();
	CHECK(why == NULL && strlen(r.root_path) == i, "long root-path: %s %zu", why,
	      strlen(r.root_path));
	ack();
	while (pkt_len < 3000) {
		pkt[pkt_len++] = 17;
		pkt[pkt_len++] = 255;
		memset(pkt + pkt_len, 'a', 255);
		pkt_len += 255;
	}
	CHECK(run() == NULL && strlen(r.root_path) == DHCP_RECV_MAX - 1, "root-path over the cap: %zu",
	      strlen(r.root_path));
	ack();
	for (i = 0; i < 3; i++)
		OPT(12, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
			"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	CHECK(run() == NULL && strlen(r.hostname) == 255, "hostname cut at 255: %zu",
	      strlen(r.hostname));
}

static void build(void)
{
	uint8_t b[DHCP_BUILD_MAX];
	static const uint8_t params[] = { 55, 13, 1, 3, 6, 12, 15, 17, 28, 51, 54, 58, 59, 66, 67 };
	struct dhcp_request q;
	size_t n, i;

	memset(&q, 0, sizeof(q));
	q.type = DHCP_DISCOVER;
	memcpy(q.mac, MAC, 6);
	q.xid = 0xa1b2c3d4;
	n = dhcp_build(b, &q);
	CHECK(n == DHCP_MIN_LEN, "DISCOVER padded to 300: %zu", n);
	CHECK(b[0] == 1 && b[1] == 1 && b[2] == 6 && b[3] == 0, "op htype hlen hops");
	CHECK(!memcmp(b + 4, "\xa1\xb2\xc3\xd4\0\0\x80\0", 8), "xid, secs 0, broadcast flag");
	for (i = 12; i < 28; i++)
		CHECK(b[i] == 0, "ciaddr..giaddr zero at %zu", i);
	CHECK(!memcmp(b + 28, MAC, 6) && b[34] == 0, "chaddr");
	CHECK(!memcmp(b + 236, "\x63\x82\x53\x63", 4), "not for us");
	CHECK(!memcmp(b + 240, "\x35\x01\x01", 3), "option 53 first");
	CHECK(!memcmp(b + 243, "\x50\x00", 2), "option 80, empty: Rapid Commit asked for");
	CHECK(!memcmp(b + 245, params, sizeof(params)), "option 55: the list asked for");
	CHECK(b[245 + sizeof(params)] == 255, "END after 55 when there is nothing else");

	q.type = DHCP_REQUEST;
	memcpy(q.requested, "\x0a\0\0\x0a", 4);
	memcpy(q.server_id, "\x0a\0\0\x01", 4);
	n = dhcp_build(b, &q);
	CHECK(!memcmp(b + 240, "\x35\x01\x03\x32\x04\x0a\0\0\x0a\x36\x04\x0a\0\0\x01", 15),
	      "53, 50, 54 in a SELECTING REQUEST");
	CHECK(!memcmp(b + 255, params, sizeof(params)) && b[255 + sizeof(params)] == 255 &&
	      n == DHCP_MIN_LEN, "then 55 and END, no option 80 in a REQUEST");

	/* renewing: ciaddr, no broadcast flag, no 50 or 54 */
	memset(&q.requested, 0, 4);
	memset(&q.server_id, 0, 4);
	memcpy(q.ciaddr, "\x0a\0\0\x0a", 4);
	n = dhcp_build(b, &q);
	CHECK(b[10] == 0 && !memcmp(b + 12, "\x0a\0\0\x0a", 4), "renewing: ciaddr, unicast");
	CHECK(!memcmp(b + 240, "\x35\x01\x03\x37", 4), "renewing: 53 then 55");
	CHECK(n <= DHCP_BUILD_MAX, "fits DHCP_BUILD_MAX: %zu", n);
}

int main(void)
{
	real_replies();
	hostile();
	build();
	return unit_done("test-dhcp-packet");
}
