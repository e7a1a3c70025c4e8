/* test-genl.c: exact bytes of the nbd netlink requests, and parsing of controller, nbd and ack replies, hostile ones included. */
#include <errno.h>
#include <stdint.h>

#include "genl.h"
#include "unit.h"

/* The expected bytes are written with literal numbers (from the 6.1 uapi
 * headers), not the macros under test, so a wrong constant shows. */
struct bytes {
	uint8_t b[2048];
	size_t n;
};

static void b16(struct bytes *x, uint16_t v)
{
	memcpy(x->b + x->n, &v, 2);
	x->n += 2;
}

static void b32(struct bytes *x, uint32_t v)
{
	memcpy(x->b + x->n, &v, 4);
	x->n += 4;
}

static void raw(struct bytes *x, const void *p, size_t n)
{
	memcpy(x->b + x->n, p, n);
	x->n += n;
}

static void pad(struct bytes *x)
{
	while (x->n % 4)
		x->b[x->n++] = 0;
}

static void nlhdr(struct bytes *x, uint32_t len, uint16_t type, uint16_t flags, uint32_t seq)
{
	b32(x, len);
	b16(x, type);
	b16(x, flags);
	b32(x, seq);
	b32(x, 0);
}

static void attr(struct bytes *x, uint16_t type, const void *p, size_t n)
{
	b16(x, (uint16_t)(4 + n));
	b16(x, type);
	raw(x, p, n);
	pad(x);
}

static void attr_u64(struct bytes *x, uint16_t type, uint64_t v)
{
	attr(x, type, &v, 8);
}

static void patch32(struct bytes *x, size_t at, uint32_t v)
{
	memcpy(x->b + at, &v, 4);
}

static void patch16(struct bytes *x, size_t at, uint16_t v)
{
	memcpy(x->b + at, &v, 2);
}

static void test_getfamily_bytes(void)
{
	uint8_t buf[64];
	struct bytes want = { .n = 0 };
	size_t n = genl_build_getfamily(buf, sizeof(buf), 77, "nbd");

	nlhdr(&want, 28, 0x10, 0x1 | 0x4, 77); /* GENL_ID_CTRL, REQUEST|ACK */
	raw(&want, "\x03\x01\x00\x00", 4); /* CTRL_CMD_GETFAMILY, version 1 */
	attr(&want, 2, "nbd", 4); /* CTRL_ATTR_FAMILY_NAME with its NUL */
	CHECK(n == want.n, "getfamily length %zu, expected %zu", n, want.n);
	CHECK(n == want.n && memcmp(buf, want.b, n) == 0, "getfamily bytes differ");
}

static void expect_connect(struct bytes *w, uint16_t family, uint32_t seq, const int *fds,
			   int nfds, const char *backend)
{
	size_t socks, item;
	uint32_t index = 3;
	int i;

	nlhdr(w, 0, family, 0x5, seq);
	raw(w, "\x01\x01\x00\x00", 4); /* NBD_CMD_CONNECT, NBD_GENL_VERSION */
	attr(w, 1, &index, 4); /* NBD_ATTR_INDEX */
	attr_u64(w, 2, 1ULL << 33); /* SIZE_BYTES */
	attr_u64(w, 3, 4096); /* BLOCK_SIZE_BYTES */
	attr_u64(w, 5, 0x103); /* SERVER_FLAGS */
	attr_u64(w, 4, 30); /* TIMEOUT */
	attr_u64(w, 8, 600); /* DEAD_CONN_TIMEOUT */
	attr_u64(w, 6, 0); /* CLIENT_FLAGS: never DESTROY_ON_DISCONNECT */
	socks = w->n;
	b16(w, 0);
	b16(w, 0x8000 | 7); /* NBD_ATTR_SOCKETS, nested; length patched */
	for (i = 0; i < nfds; i++) {
		uint32_t fd = (uint32_t)fds[i];

		item = w->n;
		b16(w, 0);
	b16(w, 0x8000 | 1); /* NBD_SOCK_ITEM */
		attr(w, 1, &fd, 4); /* NBD_SOCK_FD */
		patch16(w, item, (uint16_t)(w->n - item));
	}
	patch16(w, socks, (uint16_t)(w->n - socks));
	if (backend)
		attr(w, 10, backend, strlen(backend) + 1); /* BACKEND_IDENTIFIER */
	patch32(w, 0, (uint32_t)w->n);
}

static void test_connect_bytes(void)
{
	static const int fds[3] = { 5, 6, 1000 };
	const char *backends[] = { NULL, "x", "ab", "abc", "abcd", "nbdroot:10.0.0.1:10809/root" };
	size_t k;
	int nfds;

	for (nfds = 1; nfds <= 3; nfds++) {
		for (k = 0; k < sizeof(backends) / sizeof(backends[0]); k++) {
			struct nbd_connect_req req = {
				.index = 3, .size = 1ULL << 33, .block_size = 4096,
				.server_flags = 0x103, .timeout = 30, .dead_timeout = 600,
				.fds = fds, .nfds = nfds, .backend = backends[k],
			};
			struct bytes want = { .n = 0 };
			uint8_t buf[512];
			size_t n = genl_build_nbd_connect(buf, sizeof(buf), 0x1c, 9, &req);

			expect_connect(&want, 0x1c, 9, fds, nfds, backends[k]);
			CHECK(n == want.n, "connect (%d fds, backend %s): length %zu, expected %zu",
			      nfds, backends[k] ? backends[k] : "none", n, want.n);
			CHECK(n % 4 == 0, "connect length %zu not 4-aligned", n);
			CHECK(n == want.n && memcmp(buf, want.b, n) == 0,
			      "connect (%d fds, backend %s): bytes differ", nfds,
			      backends[k] ? backends[k] : "none");
		}
	}
}

/* Every buffer smaller than the message must fail cleanly and never be
 * written past its end (ASan watches the exact-size heap block). */
static void test_connect_overflow(void)
{
	static const int fds[2] = { 3, 4 };
	struct nbd_connect_req req = {
		.index = 0, .size = 1 << 20, .block_size = 512, .fds = fds, .nfds = 2,
		.backend = "nbdroot:[fd00::1]:10809/a-long-export-name",
	};
	uint8_t full[512];
	size_t need = genl_build_nbd_connect(full, sizeof(full), 0x1c, 1, &req), size;
	int failures = 0;

	CHECK(need > 0, "connect did not fit 512 bytes");
	for (size = 0; size < need; size++) {
		uint8_t *b = malloc(size ? size : 1);

		if (genl_build_nbd_connect(b, size, 0x1c, 1, &req) != 0)
			failures++;
		free(b);
	}
	CHECK(failures == 0, "%d too-small buffers produced a message", failures);
	{
		uint8_t *b = malloc(need);

		CHECK(genl_build_nbd_connect(b, need, 0x1c, 1, &req) == need,
		      "an exact-size buffer failed");
		CHECK(memcmp(b, full, need) == 0, "exact-size message differs");
		free(b);
	}
}

static void test_reconfigure_and_status_bytes(void)
{
	static const int fds[1] = { 7 };
	struct bytes want = { .n = 0 };
	uint8_t buf[256];
	uint32_t idx = 2, fd = 7;
	size_t n, item;

	n = genl_build_nbd_reconfigure(buf, sizeof(buf), 0x1c, 4, 2, fds, 1, "b");
	nlhdr(&want, 0, 0x1c, 0x5, 4);
	raw(&want, "\x03\x01\x00\x00", 4); /* NBD_CMD_RECONFIGURE */
	attr(&want, 1, &idx, 4);
	b16(&want, 16);
	b16(&want, 0x8000 | 7);
	item = want.n;
	b16(&want, 12);
	b16(&want, 0x8000 | 1);
	attr(&want, 1, &fd, 4);
	CHECK(want.n - item == 12, "test's own item length");
	attr(&want, 10, "b", 2);
	patch32(&want, 0, (uint32_t)want.n);
	CHECK(n == want.n && memcmp(buf, want.b, n) == 0,
	      "reconfigure bytes differ (length %zu, expected %zu)", n, want.n);

	want.n = 0;
	n = genl_build_nbd_status(buf, sizeof(buf), 0x1c, 5, 2);
	nlhdr(&want, 28, 0x1c, 0x5, 5);
	raw(&want, "\x05\x01\x00\x00", 4); /* NBD_CMD_STATUS */
	attr(&want, 1, &idx, 4);
	CHECK(n == want.n && memcmp(buf, want.b, n) == 0, "status bytes differ");
}

/* A CTRL_CMD_NEWFAMILY reply shaped like 6.1's for nbd, then the ack. */
static void family_reply(struct bytes *x, uint32_t seq, int with_mcast)
{
	uint16_t id = 0x1c;
	uint32_t v;
	size_t start = x->n, groups, grp;

	nlhdr(x, 0, 0x10, 0, seq);
	raw(x, "\x01\x02\x00\x00", 4); /* CTRL_CMD_NEWFAMILY */
	attr(x, 2, "nbd", 4); /* FAMILY_NAME */
	attr(x, 1, &id, 2); /* FAMILY_ID */
	v = 1;
	attr(x, 3, &v, 4); /* VERSION */
	v = 0;
	attr(x, 4, &v, 4); /* HDRSIZE */
	v = 10;
	attr(x, 5, &v, 4); /* MAXATTR */
	if (with_mcast) {
		groups = x->n;
		b16(x, 0);
	b16(x, 0x8000 | 7); /* MCAST_GROUPS */
		grp = x->n;
		b16(x, 0);
	b16(x, 0x8000 | 1);
		attr(x, 1, "nbd_mc_group", 13); /* GRP_NAME */
		v = 9;
		attr(x, 2, &v, 4); /* GRP_ID */
		patch16(x, grp, (uint16_t)(x->n - grp));
		patch16(x, groups, (uint16_t)(x->n - groups));
	}
	patch32(x, start, (uint32_t)(x->n - start));
}

static void ack(struct bytes *x, uint32_t seq, int32_t code, const char *ext)
{
	size_t start = x->n;

	nlhdr(x, 0, 2, 0x100 | (ext ? 0x200 : 0), seq); /* NLMSG_ERROR, CAPPED */
	b32(x, (uint32_t)code);
	nlhdr(x, 28, 0x10, 0x5, seq); /* our request's header, echoed */
	if (ext)
		attr(x, 1, ext, strlen(ext) + 1); /* NLMSGERR_ATTR_MSG */
	patch32(x, start, (uint32_t)(x->n - start));
}

static int parse(const struct bytes *x, uint32_t seq, uint16_t type, struct genl_reply *r,
		 char *err, size_t errlen)
{
	genl_reply_init(r);
	err[0] = '\0';
	return genl_parse(x->b, x->n, seq, type, "nbd_mc_group", r, err, errlen);
}

static void test_parse_family(void)
{
	struct bytes x = { .n = 0 };
	struct genl_reply r;
	char err[160];

	family_reply(&x, 5, 1);
	ack(&x, 5, 0, NULL);
	CHECK(parse(&x, 5, 0x10, &r, err, sizeof(err)) == 0, "family reply rejected: %s", err);
	CHECK(r.done && r.error == 0, "done %d error %d", r.done, r.error);
	CHECK(r.family_id == 0x1c, "family id %u", (unsigned)r.family_id);
	CHECK(r.mcast_group == 9, "multicast group %u", (unsigned)r.mcast_group);
	CHECK(r.cmd == 1, "cmd %d", r.cmd);

	/* The reply alone (ack in the next recv) is not done yet. */
	x.n = 0;
	family_reply(&x, 5, 0);
	CHECK(parse(&x, 5, 0x10, &r, err, sizeof(err)) == 0, "reply rejected: %s", err);
	CHECK(!r.done && r.family_id == 0x1c && r.mcast_group == 0,
	      "done %d id %u group %u", r.done, (unsigned)r.family_id, (unsigned)r.mcast_group);

	/* Messages for another seq or another family are not ours. */
	x.n = 0;
	family_reply(&x, 4, 1);
	ack(&x, 4, -EBUSY, NULL);
	ack(&x, 5, 0, NULL);
	CHECK(parse(&x, 5, 0x10, &r, err, sizeof(err)) == 0, "rejected: %s", err);
	CHECK(r.done && r.error == 0 && r.family_id == 0, "stale messages were taken as ours");
	CHECK(parse(&x, 5, 0x1c, &r, err, sizeof(err)) == 0 && r.family_id == 0,
	      "a controller message was read as nbd");
}

static void test_parse_errors(void)
{
	struct bytes x = { .n = 0 };
	struct genl_reply r;
	char err[160];
	size_t start;

	ack(&x, 8, -ENOENT, "Generic Netlink family not found");
	CHECK(parse(&x, 8, 0x10, &r, err, sizeof(err)) == 0, "rejected: %s", err);
	CHECK(r.done && r.error == ENOENT, "error %d", r.error);
	CHECK(strcmp(r.ext_msg, "Generic Netlink family not found") == 0, "ext \"%s\"",
	      r.ext_msg);

	/* Not capped: the whole request is echoed before the TLVs. */
	x.n = 0;
	start = x.n;
	nlhdr(&x, 0, 2, 0x200, 8);
	b32(&x, (uint32_t)-EBUSY);
	nlhdr(&x, 28, 0x1c, 0x5, 8);
	raw(&x, "\x01\x01\x00\x00" "\x08\x00\x01\x00" "\x00\x00\x00\x00", 12);
	attr(&x, 1, "busy\x01\xff", 7);
	patch32(&x, start, (uint32_t)(x.n - start));
	CHECK(parse(&x, 8, 0x1c, &r, err, sizeof(err)) == 0, "rejected: %s", err);
	CHECK(r.error == EBUSY && strcmp(r.ext_msg, "busy??") == 0,
	      "error %d ext \"%s\"", r.error, r.ext_msg);

	/* A connect's reply carries the index, then the ack. */
	x.n = 0;
	start = x.n;
	nlhdr(&x, 0, 0x1c, 0, 8);
	raw(&x, "\x01\x01\x00\x00", 4);
	attr(&x, 1, "\x03\x00\x00\x00", 4);
	patch32(&x, start, (uint32_t)(x.n - start));
	ack(&x, 8, 0, NULL);
	CHECK(parse(&x, 8, 0x1c, &r, err, sizeof(err)) == 0, "rejected: %s", err);
	CHECK(r.done && !r.error && r.has_index && r.index == 3, "index %u", (unsigned)r.index);

	/* STATUS: device list, first item. */
	x.n = 0;
	start = x.n;
	nlhdr(&x, 0, 0x1c, 0, 0);
	raw(&x, "\x05\x01\x00\x00", 4);
	b16(&x, 4 + 4 + 8 + 8);
	b16(&x, 0x8000 | 9); /* NBD_ATTR_DEVICE_LIST */
	b16(&x, 4 + 8 + 8);
	b16(&x, 0x8000 | 1); /* NBD_DEVICE_ITEM */
	attr(&x, 1, "\x02\x00\x00\x00", 4); /* INDEX */
	attr(&x, 2, "\x01", 1); /* CONNECTED */
	patch32(&x, start, (uint32_t)(x.n - start));
	CHECK(parse(&x, 0, 0x1c, &r, err, sizeof(err)) == 0, "status rejected: %s", err);
	CHECK(!r.done && r.cmd == 5 && r.index == 2 && r.connected == 1,
	      "status cmd %d index %u connected %d", r.cmd, (unsigned)r.index, r.connected);
}

/* Each hostile reply must be refused with a message that names it. */
static void hostile(const char *name, const struct bytes *x, uint16_t type, const char *needle)
{
	struct genl_reply r;
	char err[160];
	int rc = parse(x, 5, type, &r, err, sizeof(err));

	CHECK(rc == -1, "%s: accepted", name);
	CHECK(rc != -1 || strstr(err, needle) != NULL, "%s: message \"%s\" lacks \"%s\"", name,
	      err, needle);
}

static void test_hostile(void)
{
	struct bytes x;
	size_t cut, good;

	x.n = 0;
	nlhdr(&x, 12, 2, 0, 5);
	hostile("nlmsg_len below the header", &x, 0x10, "length 12");

	x.n = 0;
	nlhdr(&x, 400, 2, 0, 5);
	b32(&x, 0);
	hostile("nlmsg_len past the buffer", &x, 0x10, "length 400");

	x.n = 0;
	ack(&x, 5, 0, NULL);
	x.b[x.n++] = 0;
	hostile("stray trailing byte", &x, 0x10, "stray");

	x.n = 0;
	ack(&x, 5, 5, NULL);
	hostile("positive error code", &x, 0x10, "code 5");

	x.n = 0;
	ack(&x, 5, -70000, NULL);
	hostile("error code below -4095", &x, 0x10, "code -70000");

	x.n = 0;
	nlhdr(&x, 18, 2, 0, 5);
	b16(&x, 0);
	hostile("error payload of 2 bytes", &x, 0x10, "2 bytes");

	x.n = 0;
	nlhdr(&x, 16 + 4 + 16, 2, 0x200, 5); /* ACK_TLVS, not capped */
	b32(&x, 0);
	nlhdr(&x, 1000, 0x10, 0, 5);
	hostile("echoed request longer than the error", &x, 0x10, "echoes 1000");

	x.n = 0;
	nlhdr(&x, 16, 4, 0, 5); /* NLMSG_OVERRUN */
	hostile("overrun", &x, 0x10, "overrun");

	x.n = 0;
	nlhdr(&x, 18, 0x10, 0, 5);
	b16(&x, 0);
	hostile("genl header cut short", &x, 0x10, "4-byte header");

	x.n = 0;
	nlhdr(&x, 16 + 4 + 8, 0x10, 0, 5);
	raw(&x, "\x01\x02\x00\x00", 4);
	b16(&x, 8);
	b16(&x, 1); /* FAMILY_ID with 4 bytes */
	b32(&x, 0x1c);
	hostile("family id of 4 bytes", &x, 0x10, "attribute 1 has length 4");

	x.n = 0;
	nlhdr(&x, 16 + 4 + 8, 0x10, 0, 5);
	raw(&x, "\x01\x02\x00\x00", 4);
	b16(&x, 40); /* runs past the message */
	b16(&x, 2);
	b32(&x, 0);
	hostile("attribute past its message", &x, 0x10, "truncated");

	x.n = 0;
	nlhdr(&x, 16 + 4 + 4, 0x10, 0, 5);
	raw(&x, "\x01\x02\x00\x00", 4);
	b16(&x, 2); /* shorter than its own header */
	b16(&x, 2);
	hostile("attribute length 2", &x, 0x10, "truncated");

	x.n = 0;
	nlhdr(&x, 16 + 4 + 12, 0x10, 0, 5);
	raw(&x, "\x01\x02\x00\x00", 4);
	b16(&x, 12);
	b16(&x, 0x8000 | 7); /* MCAST_GROUPS */
	b16(&x, 8);
	b16(&x, 0x8000 | 1);
	b16(&x, 8); /* group attribute runs past the group */
	b16(&x, 2);
	hostile("multicast group cut short", &x, 0x10, "truncated");

	x.n = 0;
	nlhdr(&x, 16 + 4 + 8, 0x1c, 0, 5);
	raw(&x, "\x01\x01\x00\x00", 4);
	attr(&x, 1, "\x01\x02", 2); /* INDEX of 2 bytes */
	hostile("nbd index of 2 bytes", &x, 0x1c, "attribute 1 has length 2");

	/* Every cut of a valid reply either parses or is refused: never read past. */
	x.n = 0;
	family_reply(&x, 5, 1);
	ack(&x, 5, 0, "fine");
	good = x.n;
	for (cut = 0; cut < good; cut++) {
		struct genl_reply r;
		char err[160];
		uint8_t *b = malloc(cut ? cut : 1);

		memcpy(b, x.b, cut);
		genl_reply_init(&r);
		if (genl_parse(b, cut, 5, 0x10, "nbd_mc_group", &r, err, sizeof(err)) == 0)
			CHECK(cut == 0 || !r.done || r.family_id == 0x1c,
			      "cut at %zu parsed into nonsense", cut);
		free(b);
	}
}

static void test_backend_id(void)
{
	struct nbdroot_config cfg;
	char buf[GENL_BACKEND_ID_MAX];
	size_t i;

	memset(&cfg, 0, sizeof(cfg));
	cfg.server.family = 4;
	memcpy(cfg.server.bytes, "\x0a\x00\x00\x01", 4);
	cfg.port = 10809;
	strcpy(cfg.export_name, "root");
	genl_backend_id(&cfg, buf, sizeof(buf));
	CHECK(strcmp(buf, "nbdroot:10.0.0.1:10809/root") == 0, "got \"%s\"", buf);

	cfg.server.family = 6;
	memset(cfg.server.bytes, 0, 16);
	cfg.server.bytes[0] = 0xfd;
	cfg.server.bytes[15] = 1;
	strcpy(cfg.export_name, "a\nb\x7f");
	genl_backend_id(&cfg, buf, sizeof(buf));
	CHECK(strcmp(buf, "nbdroot:[fd00::1]:10809/a?b?") == 0, "got \"%s\"", buf);

	memset(cfg.export_name, 'e', NBDROOT_STRING_MAX);
	cfg.export_name[NBDROOT_STRING_MAX] = '\0';
	genl_backend_id(&cfg, buf, sizeof(buf));
	CHECK(strlen(buf) == sizeof(buf) - 1, "long export gives %zu bytes", strlen(buf));
	for (i = 0; buf[i]; i++)
		if ((unsigned char)buf[i] < 0x20)
			break;
	CHECK(buf[i] == '\0', "control byte at %zu", i);
}

int main(void)
{
	test_getfamily_bytes();
	test_connect_bytes();
	test_connect_overflow();
	test_reconfigure_and_status_bytes();
	test_parse_family();
	test_parse_errors();
	test_hostile();
	test_backend_id();
	return unit_done("test-genl");
}
