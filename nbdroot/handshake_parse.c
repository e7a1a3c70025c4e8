/* handshake_parse.c: pure parsers for the bytes an NBD server sends during negotiation. */
#include <stdio.h>
#include <string.h>

#include "handshake.h"
#include "handshake_parse.h"
#include "nbd_proto.h"

/* How much of a server's error message we quote: the caller's line must
 * still fit a 256-byte buffer with the server, port and export in front. */
#define QUOTE_MAX 96

/* The limits below are spelled out in messages. */
_Static_assert(HSP_REPLY_PAYLOAD_MAX == 4098 && NBDROOT_STRING_MAX == 4096 &&
	       HSP_KERNEL_MAX_BLOCK == 4096 && HSP_KERNEL_MAX_REQUEST == 33554432,
	       "messages quote these limits");

/* "<what> <got>, expected <want>": the shape of nearly every error here. */
static int bad(char *err, size_t errlen, const char *what, unsigned long got,
	       const char *want)
{
	snprintf(err, errlen, "%s %lu, expected %s", what, got, want);
	return -1;
}

static int bad_magic(char *err, size_t errlen, const char *what, uint64_t got, uint64_t want,
		     const char *tail)
{
	snprintf(err, errlen, "%s magic 0x%016llx, expected 0x%016llx%s", what,
		 (unsigned long long)got, (unsigned long long)want, tail);
	return -1;
}

static int is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

int hsp_greeting(const uint8_t *buf, size_t len, struct hsp_greeting *g, char *err,
		 size_t errlen)
{
	uint64_t magic;

	if (len != HSP_GREETING_LEN)
		return bad(err, errlen, "greeting length", len, "18");
	magic = hsp_be64(buf);
	if (magic != NBD_MAGIC_INIT)
		return bad_magic(err, errlen, "greeting", magic, NBD_MAGIC_INIT,
				 ": not an NBD server");
	magic = hsp_be64(buf + 8);
	g->oldstyle = magic == NBD_MAGIC_OLDSTYLE;
	g->flags = 0;
	if (g->oldstyle)
		return 0;
	if (magic != NBD_MAGIC_IHAVEOPT)
		return bad_magic(err, errlen, "second greeting", magic, NBD_MAGIC_IHAVEOPT,
				 " or 0x0000420281861253 (oldstyle)");
	g->flags = hsp_be16(buf + 16);
	return 0;
}

int hsp_oldstyle(const uint8_t *buf, size_t len, struct hsp_info *info, char *err,
		 size_t errlen)
{
	if (len != HSP_OLDSTYLE_LEN)
		return bad(err, errlen, "oldstyle header length", len, "152");
	info->type = NBD_INFO_EXPORT;
	info->size = hsp_be64(buf + 16);
	/* A 32-bit field; only the low 16 bits are transmission flags. The
	 * 124 reserved bytes after it are not checked: nothing depends on them. */
	info->flags = (uint16_t)hsp_be32(buf + 24);
	return 0;
}

int hsp_reply_header(const uint8_t *buf, size_t len, uint32_t opt, struct hsp_reply *r,
		     char *err, size_t errlen)
{
	uint64_t magic;
	uint32_t echoed, lo = 0, hi = 0;
	const char *what, *want;

	if (len != HSP_REPLY_HEADER_LEN)
		return bad(err, errlen, "option reply header length", len, "20");
	magic = hsp_be64(buf);
	if (magic != NBD_MAGIC_REPLY)
		return bad_magic(err, errlen, "option reply", magic, NBD_MAGIC_REPLY, "");
	echoed = hsp_be32(buf + 8);
	if (echoed != opt) {
		snprintf(err, errlen, "option reply is for option %u, expected %u",
			 (unsigned)echoed, (unsigned)opt);
		return -1;
	}
	r->type = hsp_be32(buf + 12);
	r->len = hsp_be32(buf + 16);
	if (r->type & NBD_REP_FLAG_ERROR) {
		hi = NBDROOT_STRING_MAX;
		what = "error reply message length";
		want = "at most 4096";
	} else if (r->type == NBD_REP_ACK) {
		what = "NBD_REP_ACK reply length";
		want = "0";
	} else if (r->type == NBD_REP_INFO) {
		lo = 2;
		hi = HSP_REPLY_PAYLOAD_MAX;
		what = "NBD_REP_INFO reply length";
		want = "2..4098";
	} else {
		/* NBD_REP_SERVER belongs to NBD_OPT_LIST, which we never send */
		return bad(err, errlen, "option reply type", r->type,
			   "ACK, INFO or an error");
	}
	if (r->len < lo || r->len > hi)
		return bad(err, errlen, what, r->len, want);
	return 0;
}

int hsp_info(const uint8_t *buf, size_t len, struct hsp_info *info, char *err,
	     size_t errlen)
{
	if (len < 2 || len > HSP_REPLY_PAYLOAD_MAX)
		return bad(err, errlen, "NBD_REP_INFO reply length", len, "2..4098");
	info->type = hsp_be16(buf);
	if (info->type == NBD_INFO_EXPORT) {
		if (len != 12)
			return bad(err, errlen, "INFO_EXPORT reply length", len, "12");
		info->size = hsp_be64(buf + 2);
		info->flags = hsp_be16(buf + 10);
	} else if (info->type == NBD_INFO_BLOCK_SIZE) {
		if (len != 14)
			return bad(err, errlen, "INFO_BLOCK_SIZE reply length", len, "14");
		info->min = hsp_be32(buf + 2);
		info->pref = hsp_be32(buf + 6);
		info->max = hsp_be32(buf + 10);
		/* min is checked first: the multiple test divides by it */
		if (!is_pow2(info->min) || info->min > 65536 || !is_pow2(info->pref) ||
		    info->pref < info->min || info->pref < 512 || info->max < info->pref ||
		    (info->max != 0xffffffffu && info->max % info->min)) {
			snprintf(err, errlen, "block sizes %u/%u/%u (min/preferred/max), expected "
				 "powers of 2, min <= 65536, 512 and min <= preferred <= max, max a "
				 "multiple of min or 0xffffffff", (unsigned)info->min,
				 (unsigned)info->pref, (unsigned)info->max);
			return -1;
		}
	}
	/* NAME, DESCRIPTION and types newer than us carry nothing we use,
	 * and the spec says to ignore types we do not know. */
	return 0;
}

int hsp_export_name_reply(const uint8_t *buf, size_t len, int no_zeroes,
			  struct hsp_info *info, char *err, size_t errlen)
{
	if (len != HSP_EXPORT_NAME_REPLY_LEN + (no_zeroes ? 0 : HSP_ZEROES_LEN))
		return bad(err, errlen, "NBD_OPT_EXPORT_NAME reply length", len,
			   no_zeroes ? "10" : "134");
	info->type = NBD_INFO_EXPORT;
	info->size = hsp_be64(buf);
	info->flags = hsp_be16(buf + 8);
	return 0;
}

int hsp_kernel_block_size(const struct hsp_info *bs_info, uint32_t *block_size,
			  char *err, size_t errlen)
{
	/* The kernel's logical block size must be a power of two from 512 up
	 * to the page size; any server minimum up to that divides it, so the
	 * kernel's requests, aligned to its block size, honour the minimum. */
	if (bs_info->min > HSP_KERNEL_MAX_BLOCK)
		return bad(err, errlen, "server minimum block size", bs_info->min,
			   "at most 4096 (the page size)");
	/* The struct has no room to pass a smaller request limit on to the
	 * kernel, so a server that cannot take the kernel's largest request is
	 * refused rather than sent requests it promised to reject. */
	if (bs_info->min && bs_info->max < HSP_KERNEL_MAX_REQUEST)
		return bad(err, errlen, "server maximum payload size", bs_info->max,
			   "at least 33554432 (a kernel request)");
	*block_size = bs_info->min > 512 ? bs_info->min : 512;
	return 0;
}

int hsp_check_export(uint64_t size, uint16_t flags, uint32_t block_size, char *err,
		     size_t errlen)
{
	if (!(flags & NBD_FLAG_HAS_FLAGS)) {
		snprintf(err, errlen, "transmission flags 0x%04x lack NBD_FLAG_HAS_FLAGS "
			 "(0x0001)", (unsigned)flags);
		return -1;
	}
	/* The kernel keeps the size in a signed loff_t, and its capacity in
	 * 512-byte sectors without checking it against the block size: a
	 * partial last block would fail every read of it (blkid reads there:
	 * "beyond end of device") and a tail below 512 would be lost. The
	 * block size is a power of two (hsp_kernel_block_size). */
	if (!size || size >> 63 || size & (block_size - 1)) {
		snprintf(err, errlen, "export size %llu, expected a non-zero multiple of %u "
			 "below 2^63", (unsigned long long)size, (unsigned)block_size);
		return -1;
	}
	return 0;
}

/* NBD_REP_ERR_<name> for codes 1..9, packed */
static const char error_names[] = "UNSUP\0POLICY\0INVALID\0PLATFORM\0TLS_REQD\0UNKNOWN\0"
				  "SHUTDOWN\0BLOCK_SIZE_REQD\0TOO_BIG";

int hsp_error_reply(uint32_t type, const uint8_t *msg, size_t len, const char *export_name,
		    char *err, size_t errlen)
{
	char num[12];
	char quote[QUOTE_MAX + 8];
	const char *pre = "NBD_REP_ERR_", *name = error_names;
	size_t i, n = 0;
	uint32_t code = type & ~NBD_REP_FLAG_ERROR;

	if (code >= 1 && code <= 9) {
		while (--code)
			name += strlen(name) + 1;
	} else {
		snprintf(num, sizeof(num), "0x%08x", (unsigned)type);
		pre = "error reply ";
		name = num;
	}
	/* The message is untrusted: keep printable ASCII only, so it cannot
	 * forge log lines or terminal escapes, and keep it short. */
	for (i = 0; i < len && n < QUOTE_MAX; i++)
		quote[n++] = (msg[i] >= 0x20 && msg[i] < 0x7f) ? (char)msg[i] : '?';
	if (i < len) {
		memcpy(quote + n, "...", 3);
		n += 3;
	}
	quote[n] = '\0';
	snprintf(err, errlen, "%sexport \"%.64s\"%s (%s%s%s%s)",
		 type == NBD_REP_ERR_UNKNOWN ? "" : "server refused ", export_name,
		 type == NBD_REP_ERR_UNKNOWN ? " not found on the server" : "", pre, name,
		 n ? ": " : "", quote);
	return type == NBD_REP_ERR_SHUTDOWN ? HS_TEMPORARY : HS_PERMANENT;
}

int hsp_simple_reply(const uint8_t *buf, size_t len, uint64_t handle, char *err,
		     size_t errlen)
{
	uint32_t error;
	int ours;

	if (len < HSP_SIMPLE_REPLY_LEN)
		return HS_PERMANENT;
	error = hsp_be32(buf + 4);
	ours = hsp_be32(buf) == NBD_MAGIC_SIMPLE_REPLY && hsp_be64(buf + 8) == handle;
	if (ours && !error)
		return HS_OK;
	snprintf(err, errlen, "first block's reply: magic 0x%08x, error %u, handle 0x%llx, "
		 "expected 0x67446698, 0 and ours", (unsigned)hsp_be32(buf), (unsigned)error,
		 (unsigned long long)hsp_be64(buf + 8));
	/* a server error may heal when the server restarts; nonsense will not */
	return ours ? HS_TEMPORARY : HS_PERMANENT;
}
