/* test-addr.c: addr_parse accepts exactly the RFC 4291 / strict dotted-quad literals, and addr_format prints RFC 5952. */
#include <arpa/inet.h>

#include "addr.h"
#include "unit.h"

struct addr_case {
	const char *in;
	int family; /* 0: must be rejected */
	const char *canon; /* addr_format of the parsed address */
};

static const struct addr_case cases[] = {
	/* IPv4: strict dotted quad */
	{ "10.0.0.1", 4, "10.0.0.1" },
	{ "0.0.0.0", 4, "0.0.0.0" },
	{ "255.255.255.255", 4, "255.255.255.255" },
	{ "192.168.100.200", 4, "192.168.100.200" },
	{ "1.2.3.4", 4, "1.2.3.4" },
	{ "010.0.0.1", 0, NULL }, /* octal to inet_aton */
	{ "10.0.0.01", 0, NULL },
	{ "00.0.0.0", 0, NULL },
	{ "1.2.3", 0, NULL },
	{ "1.2.3.4.5", 0, NULL },
	{ "256.0.0.1", 0, NULL },
	{ "1.2.3.256", 0, NULL },
	{ "1.2.3.1000", 0, NULL },
	{ "1..2.3", 0, NULL },
	{ ".1.2.3", 0, NULL },
	{ "1.2.3.4.", 0, NULL },
	{ "1.2.3.-4", 0, NULL },
	{ "+1.2.3.4", 0, NULL },
	{ " 1.2.3.4", 0, NULL },
	{ "1.2.3.4 ", 0, NULL },
	{ "0x1.2.3.4", 0, NULL },
	{ "16909060", 0, NULL }, /* a single number is an address to inet_aton, not to us */
	{ "", 0, NULL },
	{ "nbd.example.com", 0, NULL },
	/* IPv6 (RFC 4291 section 2.2) */
	{ "::", 6, "::" },
	{ "::1", 6, "::1" },
	{ "1::", 6, "1::" },
	{ "fd00::1", 6, "fd00::1" },
	{ "FD00::ABCD", 6, "fd00::abcd" },
	{ "2001:db8:0:0:0:0:2:1", 6, "2001:db8::2:1" },
	{ "2001:0db8:0000:0000:0000:0000:0002:0001", 6, "2001:db8::2:1" },
	{ "2001:db8:0:1:1:1:1:1", 6, "2001:db8:0:1:1:1:1:1" }, /* a lone zero group stays */
	{ "2001:db8::1:0:0:1", 6, "2001:db8::1:0:0:1" }, /* first of equal runs */
	{ "2001:0:0:1:0:0:0:1", 6, "2001:0:0:1::1" }, /* longest run */
	{ "1:2:3:4:5:6:7:8", 6, "1:2:3:4:5:6:7:8" },
	{ "1:2:3:4:5:6:7::", 6, "1:2:3:4:5:6:7:0" }, /* "::" for one group is legal input */
	{ "::2:3:4:5:6:7:8", 6, "0:2:3:4:5:6:7:8" },
	{ "0:0:0:0:0:0:0:0", 6, "::" },
	{ "fe80::", 6, "fe80::" },
	{ "::ffff:1.2.3.4", 6, "::ffff:1.2.3.4" },
	{ "::FFFF:192.0.2.1", 6, "::ffff:192.0.2.1" },
	{ "0:0:0:0:0:ffff:c000:0201", 6, "::ffff:192.0.2.1" },
	{ "::1.2.3.4", 6, "::102:304" },
	{ "64:ff9b::192.0.2.33", 6, "64:ff9b::c000:221" },
	{ "1:2:3:4:5:6:1.2.3.4", 6, "1:2:3:4:5:6:102:304" },
	{ ":::", 0, NULL },
	{ "::::", 0, NULL },
	{ "1:::2", 0, NULL },
	{ "1::2::3", 0, NULL },
	{ ":1::2", 0, NULL },
	{ "1::2:", 0, NULL },
	{ "1:2:3:4:5:6:7", 0, NULL },
	{ "1:2:3:4:5:6:7:8:9", 0, NULL },
	{ "1:2:3:4:5:6:7:8::", 0, NULL },
	{ "::1:2:3:4:5:6:7:8", 0, NULL },
	{ "12345::1", 0, NULL },
	{ "fd00::g", 0, NULL },
	{ "fe80::1%eth0", 0, NULL },
	{ "[fd00::1]", 0, NULL },
	{ "1:2:3:4:5:6:7:1.2.3.4", 0, NULL },
	{ "::1.2.3.4:5", 0, NULL },
	{ "::1.2.3", 0, NULL },
	{ "::01.2.3.4", 0, NULL },
	{ "::ffff:256.1.1.1", 0, NULL },
	{ "1.2.3.4::", 0, NULL },
	{ "fd00: :1", 0, NULL },
};

static void test_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct addr_case *c = &cases[i];
		struct nbdroot_addr a, b;
		char buf[64];
		int rc;

		memset(&a, 0x5a, sizeof(a));
		rc = addr_parse(c->in, strlen(c->in), &a);
		if (!c->family) {
			CHECK(rc == -1, "\"%s\" should be rejected", c->in);
			CHECK(a.family == 0x5a5a5a5a, "\"%s\": rejected parse wrote out", c->in);
			continue;
		}
		CHECK(rc == 0, "\"%s\" should parse", c->in);
		if (rc)
			continue;
		CHECK(a.family == c->family, "\"%s\": family %d", c->in, a.family);
		addr_format(&a, buf, sizeof(buf));
		CHECK(strcmp(buf, c->canon) == 0, "\"%s\" formats as \"%s\", expected \"%s\"",
		      c->in, buf, c->canon);
		/* round trip: the canonical text parses back to the same bytes */
		CHECK(addr_parse(buf, strlen(buf), &b) == 0 && b.family == a.family &&
		      memcmp(a.bytes, b.bytes, a.family == 4 ? 4 : 16) == 0,
		      "\"%s\" does not round-trip", buf);
	}
}

/* The parser must honour len, not a NUL: cmdline values are not terminated. */
static void test_length_bound(void)
{
	struct nbdroot_addr a;
	char buf[64];

	CHECK(addr_parse("10.0.0.1999", 8, &a) == 0 && a.family == 4, "prefix of a longer text");
	addr_format(&a, buf, sizeof(buf));
	CHECK(strcmp(buf, "10.0.0.1") == 0, "got %s", buf);
	CHECK(addr_parse("fd00::1:10809", 7, &a) == 0 && a.family == 6, "bounded IPv6");
	addr_format(&a, buf, sizeof(buf));
	CHECK(strcmp(buf, "fd00::1") == 0, "got %s", buf);
	CHECK(addr_parse("1.2.3.4", 5, &a) == -1, "\"1.2.3\" of \"1.2.3.4\"");
	CHECK(addr_parse("1.2\0003.4", 7, &a) == -1, "embedded NUL");
}

/* Every pattern of zero groups round-trips and compresses at most once. */
static void test_zero_run_patterns(void)
{
	unsigned mask;
	int bad = 0;

	for (mask = 0; mask < 256; mask++) {
		struct nbdroot_addr a, b;
		char buf[64];
		int g;

		memset(&a, 0, sizeof(a));
		a.family = 6;
		for (g = 0; g < 8; g++)
			if (mask & (1u << g))
				a.bytes[2 * g + 1] = (uint8_t)(g + 1);
		addr_format(&a, buf, sizeof(buf));
		if (addr_parse(buf, strlen(buf), &b) || memcmp(a.bytes, b.bytes, 16) ||
		    strstr(buf, ":::") || (strstr(buf, "::") && strstr(strstr(buf, "::") + 1, "::")))
			bad++;
	}
	CHECK(bad == 0, "%d of 256 zero-run patterns fail to round-trip", bad);
}

static void test_format_edges(void)
{
	struct nbdroot_addr a;
	char buf[64], small[5];

	memset(&a, 0, sizeof(a));
	addr_format(&a, buf, sizeof(buf));
	CHECK(buf[0] == '\0', "family 0 formats as \"\", got \"%s\"", buf);
	CHECK(addr_parse("192.168.1.1", 11, &a) == 0, "parse");
	memset(small, 'x', sizeof(small));
	addr_format(&a, small, sizeof(small));
	CHECK(memcmp(small, "192.\0", 5) == 0, "truncated to the buffer, got \"%s\"", small);
	CHECK(addr_parse("1111:2222:3333:4444:5555:6666:7777:8888", 39, &a) == 0, "parse");
	addr_format(&a, buf, sizeof(buf));
	CHECK(strcmp(buf, "1111:2222:3333:4444:5555:6666:7777:8888") == 0, "got %s", buf);
	CHECK(addr_parse("::ffff:255.255.255.255", 22, &a) == 0, "parse");
	addr_format(&a, buf, 46);
	CHECK(strcmp(buf, "::ffff:255.255.255.255") == 0, "got %s", buf);
}

static unsigned rnd(unsigned *seed, unsigned n)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) % n;
}

/* Near-valid IPv6 text: 0..9 groups of 0..5 hex digits, maybe a "::",
 * maybe a dotted tail, so that most edge cases are one step from valid. */
static size_t structured(char *out, unsigned *seed)
{
	static const char hex[] = "0123456789abcdefABCDEF";
	unsigned groups = rnd(seed, 10), gap = rnd(seed, 12), g, d;
	size_t n = 0;

	for (g = 0; g < groups && n < 38; g++) {
		if (g == gap)
			out[n++] = ':';
		if (g > 0)
			out[n++] = ':';
		for (d = rnd(seed, 6) ? 1 + rnd(seed, 4) : rnd(seed, 6); d > 0 && n < 38; d--)
			out[n++] = hex[rnd(seed, sizeof(hex) - 1)];
	}
	if (gap >= groups && gap < 11 && n < 38) {
		out[n++] = ':';
		out[n++] = ':';
	}
	if (rnd(seed, 4) == 0 && n < 30) {
		unsigned o;

		if (n && out[n - 1] != ':')
			out[n++] = ':';
		for (o = 0; o < 4; o++) {
			unsigned v = rnd(seed, 300);

			if (o)
				out[n++] = '.';
			if (v >= 100)
				out[n++] = (char)('0' + v / 100);
			if (v >= 10)
				out[n++] = (char)('0' + v / 10 % 10);
			out[n++] = (char)('0' + v % 10);
		}
	}
	if (n == 0)
		out[n++] = ':';
	out[n] = '\0';
	return n;
}

/* glibc's inet_pton/inet_ntop (host only) as an independent reference over
 * random strings of the characters that matter. */
static void test_against_libc(void)
{
	static const char alphabet[] = "0123456789abcdefABCDEF:.:.:0";
	unsigned seed = 12345, n, disagree = 0, accepted = 0;

	for (n = 0; n < 200000; n++) {
		char in[48], mine[64], ref[64];
		unsigned char bin[16];
		struct nbdroot_addr a;
		size_t len, i;
		int af, rc, ref_rc;

		if (n & 1) {
			len = structured(in, &seed);
		} else {
			seed = seed * 1103515245u + 12345u;
			len = 1 + (seed >> 16) % 40;
			for (i = 0; i < len; i++) {
				seed = seed * 1103515245u + 12345u;
				in[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
			}
			in[len] = '\0';
		}
		af = strchr(in, ':') ? AF_INET6 : AF_INET;
		rc = addr_parse(in, len, &a);
		ref_rc = inet_pton(af, in, bin) == 1 ? 0 : -1;
		if (rc != ref_rc) {
			if (disagree++ < 5)
				fprintf(stderr, "\"%s\": addr_parse %d, inet_pton %d\n", in, rc, ref_rc);
			continue;
		}
		if (rc)
			continue;
		accepted++;
		if (memcmp(a.bytes, bin, af == AF_INET ? 4 : 16) != 0) {
			disagree++;
			continue;
		}
		addr_format(&a, mine, sizeof(mine));
		inet_ntop(af, bin, ref, sizeof(ref));
		/* glibc prints the deprecated IPv4-compatible ::a.b.c.d; RFC 5952 keeps
		 * dotted tails for mapped addresses only */
		if (strcmp(mine, ref) != 0 && !(af == AF_INET6 && strchr(ref, '.') &&
						 !strstr(ref, "ffff:"))) {
			if (disagree++ < 5)
				fprintf(stderr, "\"%s\": formats as %s, inet_ntop %s\n", in, mine, ref);
		}
	}
	CHECK(disagree == 0, "%u of 200000 random literals disagree with libc", disagree);
	printf("test-addr: %u of 200000 random literals valid, all agree with libc\n", accepted);
	CHECK(accepted > 1000, "only %u random literals were valid: the test is too weak", accepted);
}

int main(void)
{
	test_table();
	test_length_bound();
	test_zero_run_patterns();
	test_format_edges();
	test_against_libc();
	return unit_done("test-addr");
}
