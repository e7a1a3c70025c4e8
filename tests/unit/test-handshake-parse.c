/* test-handshake-parse.c: table-driven tests of the pure parsers of NBD handshake bytes, hostile inputs included. */
#include <stdint.h>

#include "handshake.h"
#include "handshake_parse.h"
#include "nbd_proto.h"
#include "unit.h"

#define NBDMAGIC "4e42444d41474943"
#define IHAVEOPT "49484156454f5054"
#define OLDMAGIC "0000420281861253"
#define REPMAGIC "0003e889045565a9"

/* Hex text (spaces ignored) to bytes; returns the length. */
static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1, v;

	for (; *s; s++) {
		if (*s == ' ')
			continue;
		v = (*s >= 'a') ? *s - 'a' + 10 : *s - '0';
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == cap) {
			fprintf(stderr, "unhex: test vector too long\n");
			exit(2);
		}
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return n;
}

static const struct {
	const char *name;
	const char *hex;
	int rc;
	int oldstyle;
	unsigned flags;
	const char *err;
} greetings[] = {
	{ "fixed newstyle with no-zeroes", NBDMAGIC IHAVEOPT "0003", 0, 0, 3, "" },
	{ "plain newstyle", NBDMAGIC IHAVEOPT "0000", 0, 0, 0, "" },
	{ "unknown handshake flag kept for the caller", NBDMAGIC IHAVEOPT "8001", 0, 0, 0x8001, "" },
	{ "oldstyle", NBDMAGIC OLDMAGIC "0000", 0, 1, 0, "" },
	{ "not an NBD server", "485454502f312e31" IHAVEOPT "0000", -1, 0, 0,
	  "greeting magic 0x485454502f312e31, expected 0x4e42444d41474943" },
	{ "bad second magic", NBDMAGIC "0000000000000000" "0000", -1, 0, 0,
	  "second greeting magic 0x0000000000000000" },
	{ "IHAVEOPT off by one byte", NBDMAGIC "49484156454f5055" "0001", -1, 0, 0,
	  "second greeting magic 0x49484156454f5055" },
	{ "short greeting", NBDMAGIC IHAVEOPT "00", -1, 0, 0, "greeting length 17, expected 18" },
};

static void test_greeting(void)
{
	uint8_t b[64];
	struct hsp_greeting g;
	char err[256];
	size_t i, n;
	int rc;

	for (i = 0; i < sizeof(greetings) / sizeof(greetings[0]); i++) {
		n = unhex(greetings[i].hex, b, sizeof(b));
		err[0] = '\0';
		rc = hsp_greeting(b, n, &g, err, sizeof(err));
		CHECK(rc == greetings[i].rc, "%s: rc %d (%s)", greetings[i].name, rc, err);
		CHECK(strstr(err, greetings[i].err) != NULL, "%s: err \"%s\"", greetings[i].name,
		      err);
		if (rc == 0) {
			CHECK(g.oldstyle == greetings[i].oldstyle, "%s: oldstyle %d",
			      greetings[i].name, g.oldstyle);
			CHECK(g.flags == greetings[i].flags, "%s: flags 0x%x", greetings[i].name,
			      (unsigned)g.flags);
		}
	}
}

static void test_oldstyle(void)
{
	uint8_t b[HSP_OLDSTYLE_LEN + 8];
	struct hsp_greeting g;
	struct hsp_info info;
	char err[256];
	size_t n;

	n = unhex(NBDMAGIC OLDMAGIC "0000000040000000" "ffff0003", b, sizeof(b));
	memset(b + n, 0, HSP_ZEROES_LEN);
	n += HSP_ZEROES_LEN;
	CHECK(n == HSP_OLDSTYLE_LEN, "oldstyle vector is %zu bytes", n);
	CHECK(hsp_greeting(b, HSP_GREETING_LEN, &g, err, sizeof(err)) == 0 && g.oldstyle,
	      "oldstyle greeting: %s", err);
	CHECK(hsp_oldstyle(b, n, &info, err, sizeof(err)) == 0, "oldstyle: %s", err);
	CHECK(info.size == 0x40000000ull, "oldstyle size %llu", (unsigned long long)info.size);
	/* the upper 16 bits of the 32-bit field are not transmission flags */
	CHECK(info.flags == 3, "oldstyle flags 0x%x", (unsigned)info.flags);
	CHECK(hsp_oldstyle(b, n - 1, &info, err, sizeof(err)) == -1 &&
	      strstr(err, "oldstyle header length 151, expected 152"), "short oldstyle: %s", err);
}

static const struct {
	const char *name;
	const char *hex;
	int rc;
	uint32_t type, len;
	const char *err;
} replies[] = {
	{ "ack", REPMAGIC "00000007" "00000001" "00000000", 0, NBD_REP_ACK, 0, "" },
	{ "info export", REPMAGIC "00000007" "00000003" "0000000c", 0, NBD_REP_INFO, 12, "" },
	{ "info with a 4096-byte name", REPMAGIC "00000007" "00000003" "00001002", 0,
	  NBD_REP_INFO, 4098, "" },
	{ "error unknown with message", REPMAGIC "00000007" "80000006" "00000010", 0,
	  NBD_REP_ERR_UNKNOWN, 16, "" },
	{ "error with a 4096-byte message", REPMAGIC "00000007" "80000001" "00001000", 0,
	  NBD_REP_ERR_UNSUP, 4096, "" },
	{ "unknown error type is still an error", REPMAGIC "00000007" "8000ffff" "00000000", 0,
	  0x8000ffffu, 0, "" },
	{ "wrong reply magic", IHAVEOPT "00000007" "00000001" "00000000", -1, 0, 0,
	  "option reply magic 0x49484156454f5054, expected 0x0003e889045565a9" },
	{ "reply to another option", REPMAGIC "00000001" "00000001" "00000000", -1, 0, 0,
	  "option reply is for option 1, expected 7" },
	{ "ack with a payload", REPMAGIC "00000007" "00000001" "00000004", -1, 0, 0,
	  "NBD_REP_ACK reply length 4, expected 0" },
	{ "info shorter than its type", REPMAGIC "00000007" "00000003" "00000001", -1, 0, 0,
	  "NBD_REP_INFO reply length 1, expected 2..4098" },
	{ "info of 4 GiB", REPMAGIC "00000007" "00000003" "ffffffff", -1, 0, 0,
	  "NBD_REP_INFO reply length 4294967295" },
	{ "error message over 4096 bytes", REPMAGIC "00000007" "80000002" "00001001", -1, 0, 0,
	  "message length 4097, expected at most 4096" },
	{ "server entry during GO", REPMAGIC "00000007" "00000002" "00000000", -1, 0, 0,
	  "option reply type 2, expected ACK, INFO or an error" },
	{ "unknown reply type", REPMAGIC "00000007" "00000005" "00000000", -1, 0, 0,
	  "option reply type 5" },
	{ "short header", REPMAGIC "00000007" "00000001" "0000", -1, 0, 0,
	  "option reply header length 18, expected 20" },
};

static void test_reply_header(void)
{
	uint8_t b[64];
	struct hsp_reply r;
	char err[256];
	size_t i, n;
	int rc;

	for (i = 0; i < sizeof(replies) / sizeof(replies[0]); i++) {
		n = unhex(replies[i].hex, b, sizeof(b));
		err[0] = '\0';
		rc = hsp_reply_header(b, n, NBD_OPT_GO, &r, err, sizeof(err));
		CHECK(rc == replies[i].rc, "%s: rc %d (%s)", replies[i].name, rc, err);
		CHECK(strstr(err, replies[i].err) != NULL, "%s: err \"%s\"", replies[i].name, err);
		if (rc == 0) {
			CHECK(r.type == replies[i].type, "%s: type 0x%x", replies[i].name,
			      (unsigned)r.type);
			CHECK(r.len == replies[i].len, "%s: len %u", replies[i].name,
			      (unsigned)r.len);
		}
	}
}

static const struct {
	const char *name;
	const char *hex;
	int rc;
	uint16_t type;
	uint64_t size;
	uint16_t flags;
	uint32_t min, pref, max;
	const char *err;
} infos[] = {
	{ "export", "0000" "0000000000100000" "0003", 0, NBD_INFO_EXPORT, 1 << 20, 3, 0, 0, 0,
	  "" },
	{ "export of 9 bytes", "0000" "00000000001000", -1, 0, 0, 0, 0, 0, 0,
	  "INFO_EXPORT reply length 9, expected 12" },
	{ "export of 13 bytes", "0000" "0000000000100000" "000300", -1, 0, 0, 0, 0, 0, 0,
	  "INFO_EXPORT reply length 13, expected 12" },
	{ "block size 1/4096/max", "0003" "00000001" "00001000" "ffffffff", 0,
	  NBD_INFO_BLOCK_SIZE, 0, 0, 1, 4096, 0xffffffffu, "" },
	{ "block size 512/4096/32M", "0003" "00000200" "00001000" "02000000", 0,
	  NBD_INFO_BLOCK_SIZE, 0, 0, 512, 4096, 32u << 20, "" },
	{ "block size 64K minimum is valid for the spec", "0003" "00010000" "00010000"
	  "02000000", 0, NBD_INFO_BLOCK_SIZE, 0, 0, 65536, 65536, 32u << 20, "" },
	{ "block size of 12 bytes", "0003" "00000200" "00001000" "0200", -1, 0, 0, 0, 0, 0, 0,
	  "INFO_BLOCK_SIZE reply length 12, expected 14" },
	{ "minimum zero", "0003" "00000000" "00001000" "ffffffff", -1, 0, 0, 0, 0, 0, 0,
	  "block sizes 0/4096/4294967295 (min/preferred/max), expected powers of 2" },
	{ "minimum not a power of 2", "0003" "00000300" "00001000" "ffffffff", -1, 0, 0, 0, 0,
	  0, 0, "block sizes 768/4096/" },
	{ "minimum above 64K", "0003" "00020000" "00020000" "ffffffff", -1, 0, 0, 0, 0, 0, 0,
	  "block sizes 131072/" },
	{ "preferred below the minimum", "0003" "00001000" "00000200" "ffffffff", -1, 0, 0, 0,
	  0, 0, 0, "block sizes 4096/512/" },
	{ "preferred below 512", "0003" "00000001" "00000100" "ffffffff", -1, 0, 0, 0, 0, 0, 0,
	  "block sizes 1/256/" },
	{ "preferred not a power of 2", "0003" "00000200" "00001800" "ffffffff", -1, 0, 0, 0, 0,
	  0, 0, "block sizes 512/6144/" },
	{ "maximum below preferred", "0003" "00000200" "00001000" "00000800", -1, 0, 0, 0, 0, 0,
	  0, "block sizes 512/4096/2048 " },
	{ "maximum not a multiple of the minimum", "0003" "00000200" "00001000" "01fffff0", -1,
	  0, 0, 0, 0, 0, 0, "block sizes 512/4096/33554416 " },
	{ "name is ignored", "0001" "726f6f74", 0, NBD_INFO_NAME, 0, 0, 0, 0, 0, "" },
	{ "empty description is ignored", "0002", 0, NBD_INFO_DESCRIPTION, 0, 0, 0, 0, 0, "" },
	{ "unknown info type is ignored", "7fff" "00", 0, 0x7fff, 0, 0, 0, 0, 0, "" },
	{ "info without its type", "00", -1, 0, 0, 0, 0, 0, 0,
	  "NBD_REP_INFO reply length 1, expected 2..4098" },
};

static void test_info(void)
{
	uint8_t b[64];
	struct hsp_info info;
	char err[256];
	size_t i, n;
	int rc;

	for (i = 0; i < sizeof(infos) / sizeof(infos[0]); i++) {
		n = unhex(infos[i].hex, b, sizeof(b));
		err[0] = '\0';
		memset(&info, 0, sizeof(info));
		rc = hsp_info(b, n, &info, err, sizeof(err));
		CHECK(rc == infos[i].rc, "%s: rc %d (%s)", infos[i].name, rc, err);
		CHECK(strstr(err, infos[i].err) != NULL, "%s: err \"%s\"", infos[i].name, err);
		if (rc != 0)
			continue;
		CHECK(info.type == infos[i].type, "%s: type %u", infos[i].name, info.type);
		CHECK(info.size == infos[i].size && info.flags == infos[i].flags,
		      "%s: size %llu flags 0x%x", infos[i].name, (unsigned long long)info.size,
		      info.flags);
		CHECK(info.min == infos[i].min && info.pref == infos[i].pref &&
		      info.max == infos[i].max, "%s: block sizes %u/%u/%u", infos[i].name,
		      (unsigned)info.min, (unsigned)info.pref, (unsigned)info.max);
	}
	/* a NAME at the string cap is accepted, one byte more is not */
	memset(b, 0, sizeof(b));
	b[1] = NBD_INFO_NAME;
	{
		static uint8_t big[HSP_REPLY_PAYLOAD_MAX + 1];

		memcpy(big, b, 2);
		CHECK(hsp_info(big, HSP_REPLY_PAYLOAD_MAX, &info, err, sizeof(err)) == 0,
		      "NAME of 4096 bytes rejected: %s", err);
		CHECK(hsp_info(big, HSP_REPLY_PAYLOAD_MAX + 1, &info, err, sizeof(err)) == -1,
		      "NAME of 4097 bytes accepted");
	}
}

static void test_export_name_reply(void)
{
	uint8_t b[HSP_EXPORT_NAME_REPLY_LEN + HSP_ZEROES_LEN];
	struct hsp_info info;
	char err[256];

	memset(b, 0, sizeof(b));
	unhex("0000000000200000" "0001", b, sizeof(b));
	CHECK(hsp_export_name_reply(b, 10, 1, &info, err, sizeof(err)) == 0, "no zeroes: %s",
	      err);
	CHECK(info.size == 2u << 20 && info.flags == 1, "no zeroes: size %llu flags 0x%x",
	      (unsigned long long)info.size, info.flags);
	CHECK(hsp_export_name_reply(b, sizeof(b), 0, &info, err, sizeof(err)) == 0,
	      "with zeroes: %s", err);
	CHECK(info.size == 2u << 20, "with zeroes: size %llu", (unsigned long long)info.size);
	CHECK(hsp_export_name_reply(b, 10, 0, &info, err, sizeof(err)) == -1 &&
	      strstr(err, "reply length 10, expected 134"), "zeroes missing: %s", err);
	CHECK(hsp_export_name_reply(b, sizeof(b), 1, &info, err, sizeof(err)) == -1 &&
	      strstr(err, "reply length 134, expected 10"), "zeroes not negotiated: %s", err);
}

static const struct {
	const char *name;
	uint32_t min, max;
	int rc;
	uint32_t bs;
	const char *err;
} block_sizes[] = {
	{ "no block size info", 0, 0, 0, 512, "" },
	{ "minimum 1 gives 512", 1, 0xffffffffu, 0, 512, "" },
	{ "minimum 512", 512, 32u << 20, 0, 512, "" },
	{ "minimum 1024", 1024, 0xffffffffu, 0, 1024, "" },
	{ "minimum 4096", 4096, 0xffffffffu, 0, 4096, "" },
	{ "minimum 8192 is above the page size", 8192, 0xffffffffu, -1, 0,
	  "server minimum block size 8192, expected at most 4096" },
	{ "minimum 64K", 65536, 0xffffffffu, -1, 0, "minimum block size 65536" },
	{ "maximum payload 1 MiB is below the kernel's requests", 512, 1u << 20, -1, 0,
	  "server maximum payload size 1048576, expected at least 33554432" },
};

static void test_kernel_block_size(void)
{
	struct hsp_info bs;
	uint32_t v;
	char err[256];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(block_sizes) / sizeof(block_sizes[0]); i++) {
		memset(&bs, 0, sizeof(bs));
		bs.min = block_sizes[i].min;
		bs.pref = 4096;
		bs.max = block_sizes[i].max;
		err[0] = '\0';
		v = 0;
		rc = hsp_kernel_block_size(&bs, &v, err, sizeof(err));
		CHECK(rc == block_sizes[i].rc, "%s: rc %d (%s)", block_sizes[i].name, rc, err);
		CHECK(strstr(err, block_sizes[i].err) != NULL, "%s: err \"%s\"",
		      block_sizes[i].name, err);
		if (rc == 0)
			CHECK(v == block_sizes[i].bs, "%s: block size %u", block_sizes[i].name,
			      (unsigned)v);
	}
}

static const struct {
	const char *name;
	uint64_t size;
	uint16_t flags;
	uint32_t bs;
	int rc;
	const char *err;
} exports[] = {
	{ "1 MiB read-only", 1 << 20, NBD_FLAG_HAS_FLAGS | NBD_FLAG_READ_ONLY, 512, 0, "" },
	{ "one block", 4096, NBD_FLAG_HAS_FLAGS, 4096, 0, "" },
	{ "size not a multiple of 512", 1000, NBD_FLAG_HAS_FLAGS, 512, -1,
	  "export size 1000, expected a non-zero multiple of 512 below 2^63" },
	{ "size a multiple of 512, not of the block size", 6144, NBD_FLAG_HAS_FLAGS, 4096, -1,
	  "export size 6144, expected a non-zero multiple of 4096" },
	{ "size a multiple of the block size", 8192, NBD_FLAG_HAS_FLAGS, 4096, 0, "" },
	{ "largest size", 0x7ffffffffffffe00ull, NBD_FLAG_HAS_FLAGS, 512, 0, "" },
	{ "largest loff_t, not a multiple of 512", 0x7fffffffffffffffull, NBD_FLAG_HAS_FLAGS, 512,
	  -1, "export size 9223372036854775807, expected" },
	{ "flags without HAS_FLAGS", 1 << 20, NBD_FLAG_READ_ONLY, 512, -1,
	  "transmission flags 0x0002 lack NBD_FLAG_HAS_FLAGS" },
	{ "zero flags", 1 << 20, 0, 512, -1, "flags 0x0000 lack" },
	{ "zero size", 0, NBD_FLAG_HAS_FLAGS, 512, -1,
	  "export size 0, expected a non-zero multiple of 512 below 2^63" },
	{ "size below the block size", 2048, NBD_FLAG_HAS_FLAGS, 4096, -1, "export size 2048" },
	{ "size beyond loff_t", 0x8000000000000000ull, NBD_FLAG_HAS_FLAGS, 512, -1,
	  "export size 9223372036854775808, expected a non-zero multiple of 512 below 2^63" },
	{ "size of all ones", ~0ull, NBD_FLAG_HAS_FLAGS, 512, -1,
	  "export size 18446744073709551615" },
};

static void test_check_export(void)
{
	char err[256];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(exports) / sizeof(exports[0]); i++) {
		err[0] = '\0';
		rc = hsp_check_export(exports[i].size, exports[i].flags, exports[i].bs, err,
				      sizeof(err));
		CHECK(rc == exports[i].rc, "%s: rc %d (%s)", exports[i].name, rc, err);
		CHECK(strstr(err, exports[i].err) != NULL, "%s: err \"%s\"", exports[i].name,
		      err);
	}
}

static void test_error_reply(void)
{
	char err[256];
	uint8_t msg[5000];
	int rc;

	rc = hsp_error_reply(NBD_REP_ERR_UNKNOWN, (const uint8_t *)"no such export", 14, "foo",
			     err, sizeof(err));
	CHECK(rc == HS_PERMANENT, "unknown: rc %d", rc);
	CHECK(strcmp(err, "export \"foo\" not found on the server (NBD_REP_ERR_UNKNOWN: "
		      "no such export)") == 0, "unknown: \"%s\"", err);
	rc = hsp_error_reply(NBD_REP_ERR_UNKNOWN, msg, 0, "foo", err, sizeof(err));
	CHECK(strcmp(err, "export \"foo\" not found on the server (NBD_REP_ERR_UNKNOWN)") == 0,
	      "unknown without message: \"%s\"", err);
	rc = hsp_error_reply(NBD_REP_ERR_TLS_REQD, (const uint8_t *)"TLS\x1b[31m\n", 9, "root",
			     err, sizeof(err));
	CHECK(rc == HS_PERMANENT, "tls: rc %d", rc);
	CHECK(strcmp(err, "server refused export \"root\" (NBD_REP_ERR_TLS_REQD: TLS?[31m?)")
	      == 0, "control bytes not sanitized: \"%s\"", err);
	rc = hsp_error_reply(NBD_REP_ERR_SHUTDOWN, msg, 0, "root", err, sizeof(err));
	CHECK(rc == HS_TEMPORARY, "a server shutting down is worth a retry: rc %d", rc);
	rc = hsp_error_reply(NBD_REP_FLAG_ERROR | 0x1234, msg, 0, "root", err, sizeof(err));
	CHECK(rc == HS_PERMANENT && strstr(err, "error reply 0x80001234"),
	      "unknown error type: %d \"%s\"", rc, err);
	memset(msg, 'x', sizeof(msg));
	rc = hsp_error_reply(NBD_REP_ERR_POLICY, msg, 4096, "root", err, sizeof(err));
	CHECK(strlen(err) < 200 && strstr(err, "xxx...)"), "long message not shortened: %zu",
	      strlen(err));
	/* a tiny buffer truncates instead of overflowing (ASan watches) */
	rc = hsp_error_reply(NBD_REP_ERR_POLICY, msg, 4096, "root", err, 8);
	CHECK(strlen(err) == 7, "tiny buffer: \"%s\"", err);
}

int main(void)
{
	test_greeting();
	test_oldstyle();
	test_reply_header();
	test_info();
	test_export_name_reply();
	test_kernel_block_size();
	test_check_export();
	test_error_reply();
	return unit_done("test-handshake-parse");
}
