/* handshake_parse.c: pure parsers for the bytes an NBD server sends during negotiation. */
#include <stdio.h>

#include "handshake.h"
#include "handshake_parse.h"
#include "nbd_proto.h"

/* How much of a server's error message we quote: the caller's line must
 * still fit a 256-byte buffer with the server, port and export in front. */
#define QUOTE_MAX 96

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s", what);
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
		return fail(err, errlen, "greeting has the wrong length");
	magic = hsp_be64(buf);
	if (magic != NBD_MAGIC_INIT) {
		snprintf(err, errlen, "greeting magic 0x%016llx, expected 0x%016llx (\"NBDMAGIC\"): "
			 "not an NBD server", (unsigned long long)magic, NBD_MAGIC_INIT);
		return -1;
	}
	magic = hsp_be64(buf + 8);
	g->flags = 0;
	if (magic == NBD_MAGIC_OLDSTYLE) {
		g->oldstyle = 1;
		return 0;
	}
	if (magic != NBD_MAGIC_IHAVEOPT) {
		snprintf(err, errlen, "second greeting magic 0x%016llx, expected 0x%016llx "
			 "(\"IHAVEOPT\") or 0x%016llx (oldstyle)", (unsigned long long)magic,
			 NBD_MAGIC_IHAVEOPT, NBD_MAGIC_OLDSTYLE);
		return -1;
	}
	g->oldstyle = 0;
	g->flags = hsp_be16(buf + 16);
	return 0;
}

int hsp_oldstyle(const uint8_t *buf, size_t len, struct hsp_info *info, char *err,
		 size_t errlen)
{
	struct hsp_greeting g;

	if (len != HSP_OLDSTYLE_LEN)
		return fail(err, errlen, "oldstyle header has the wrong length");
	if (hsp_greeting(buf, HSP_GREETING_LEN, &g, err, errlen))
		return -1;
	if (!g.oldstyle)
		return fail(err, errlen, "oldstyle header without the oldstyle magic");
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
	uint32_t echoed;

	if (len != HSP_REPLY_HEADER_LEN)
		return fail(err, errlen, "option reply header has the wrong length");
	magic = hsp_be64(buf);
	if (magic != NBD_MAGIC_REPLY) {
		snprintf(err, errlen, "option reply magic 0x%016llx, expected 0x%016llx",
			 (unsigned long long)magic, NBD_MAGIC_REPLY);
		return -1;
	}
	echoed = hsp_be32(buf + 8);
	if (echoed != opt) {
		snprintf(err, errlen, "option reply is for option %u, expected %u",
			 (unsigned)echoed, (unsigned)opt);
		return -1;
	}
	r->type = hsp_be32(buf + 12);
	r->len = hsp_be32(buf + 16);
	if (r->type & NBD_REP_FLAG_ERROR) {
		if (r->len > NBDROOT_STRING_MAX) {
			snprintf(err, errlen, "error reply 0x%08x message length %u, expected at "
				 "most %u", (unsigned)r->type, (unsigned)r->len, NBDROOT_STRING_MAX);
			return -1;
		}
		return 0;
	}
	switch (r->type) {
	case NBD_REP_ACK:
		if (r->len != 0) {
			snprintf(err, errlen, "NBD_REP_ACK reply length %u, expected 0",
				 (unsigned)r->len);
			return -1;
		}
		return 0;
	case NBD_REP_INFO:
		if (r->len < 2 || r->len > HSP_REPLY_PAYLOAD_MAX) {
			snprintf(err, errlen, "NBD_REP_INFO reply length %u, expected 2..%u",
				 (unsigned)r->len, (unsigned)HSP_REPLY_PAYLOAD_MAX);
			return -1;
		}
		return 0;
	case NBD_REP_SERVER:
		snprintf(err, errlen, "NBD_REP_SERVER reply to option %u, expected only for "
			 "NBD_OPT_LIST", (unsigned)opt);
		return -1;
	default:
		snprintf(err, errlen, "unknown option reply type %u", (unsigned)r->type);
		return -1;
	}
}

int hsp_info(const uint8_t *buf, size_t len, struct hsp_info *info, char *err,
	     size_t errlen)
{
	if (len < 2 || len > HSP_REPLY_PAYLOAD_MAX)
		return fail(err, errlen, "NBD_REP_INFO payload has the wrong length");
	info->type = hsp_be16(buf);
	switch (info->type) {
	case NBD_INFO_EXPORT:
		if (len != 12) {
			snprintf(err, errlen, "INFO_EXPORT reply length %u, expected 12",
				 (unsigned)len);
			return -1;
		}
		info->size = hsp_be64(buf + 2);
		info->flags = hsp_be16(buf + 10);
		return 0;
	case NBD_INFO_BLOCK_SIZE:
		if (len != 14) {
			snprintf(err, errlen, "INFO_BLOCK_SIZE reply length %u, expected 14",
				 (unsigned)len);
			return -1;
		}
		info->min = hsp_be32(buf + 2);
		info->pref = hsp_be32(buf + 6);
		info->max = hsp_be32(buf + 10);
		if (!is_pow2(info->min) || info->min > 65536) {
			snprintf(err, errlen, "minimum block size %u, expected a power of 2 "
				 "in 1..65536", (unsigned)info->min);
			return -1;
		}
		if (!is_pow2(info->pref) || info->pref < info->min || info->pref < 512) {
			snprintf(err, errlen, "preferred block size %u, expected a power of 2 "
				 ">= 512 and >= the minimum %u", (unsigned)info->pref,
				 (unsigned)info->min);
			return -1;
		}
		if (info->max < info->pref ||
		    (info->max != 0xffffffffu && info->max % info->min)) {
			snprintf(err, errlen, "maximum payload size %u, expected a multiple of "
				 "the minimum %u (or 0xffffffff) >= the preferred %u",
				 (unsigned)info->max, (unsigned)info->min, (unsigned)info->pref);
			return -1;
		}
		return 0;
	default:
		/* NAME, DESCRIPTION and types newer than us carry nothing we use,
		 * and the spec says to ignore types we do not know. */
		return 0;
	}
}

int hsp_export_name_reply(const uint8_t *buf, size_t len, int no_zeroes,
			  struct hsp_info *info, char *err, size_t errlen)
{
	size_t want = HSP_EXPORT_NAME_REPLY_LEN + (no_zeroes ? 0 : HSP_ZEROES_LEN);

	if (len != want) {
		snprintf(err, errlen, "NBD_OPT_EXPORT_NAME reply length %u, expected %u",
			 (unsigned)len, (unsigned)want);
		return -1;
	}
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
	if (bs_info->min > HSP_KERNEL_MAX_BLOCK) {
		snprintf(err, errlen, "server minimum block size %u is larger than the "
			 "kernel's maximum %u: this export cannot be used",
			 (unsigned)bs_info->min, HSP_KERNEL_MAX_BLOCK);
		return -1;
	}
	/* The struct has no room to pass a smaller request limit on to the
	 * kernel, so a server that cannot take the kernel's largest request is
	 * refused rather than sent requests it promised to reject. */
	if (bs_info->min && bs_info->max < HSP_KERNEL_MAX_REQUEST) {
		snprintf(err, errlen, "server maximum payload size %u is below the %u bytes "
			 "the kernel may send in one request", (unsigned)bs_info->max,
			 HSP_KERNEL_MAX_REQUEST);
		return -1;
	}
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
	/* The kernel keeps the size in a signed loff_t. A size that is not a
	 * multiple of the block size is accepted as reported (the spec only
	 * says SHOULD): the kernel rounds the device down and the tail is
	 * unreachable, but the size stays comparable across reconnects. */
	if (size > (uint64_t)INT64_MAX) {
		snprintf(err, errlen, "export size %llu, expected at most %lld",
			 (unsigned long long)size, (long long)INT64_MAX);
		return -1;
	}
	if (size < block_size) {
		snprintf(err, errlen, "export size %llu, expected at least one block of %u "
			 "bytes", (unsigned long long)size, (unsigned)block_size);
		return -1;
	}
	return 0;
}

static const char *const error_names[] = {
	"NBD_REP_ERR_UNSUP", "NBD_REP_ERR_POLICY", "NBD_REP_ERR_INVALID",
	"NBD_REP_ERR_PLATFORM", "NBD_REP_ERR_TLS_REQD", "NBD_REP_ERR_UNKNOWN",
	"NBD_REP_ERR_SHUTDOWN", "NBD_REP_ERR_BLOCK_SIZE_REQD", "NBD_REP_ERR_TOO_BIG",
};

int hsp_error_reply(uint32_t type, const uint8_t *msg, size_t len, const char *export_name,
		    char *err, size_t errlen)
{
	char name[32];
	char quote[QUOTE_MAX + 8];
	size_t i, n = 0;
	uint32_t code = type & ~NBD_REP_FLAG_ERROR;

	if (code >= 1 && code <= sizeof(error_names) / sizeof(error_names[0]))
		snprintf(name, sizeof(name), "%s", error_names[code - 1]);
	else
		snprintf(name, sizeof(name), "error reply 0x%08x", (unsigned)type);
	/* The message is untrusted: keep printable ASCII only, so it cannot
	 * forge log lines or terminal escapes, and keep it short. */
	for (i = 0; i < len && n < QUOTE_MAX; i++)
		quote[n++] = (msg[i] >= 0x20 && msg[i] < 0x7f) ? (char)msg[i] : '?';
	if (i < len) {
		quote[n++] = '.';
		quote[n++] = '.';
		quote[n++] = '.';
	}
	quote[n] = '\0';
	if (type == NBD_REP_ERR_UNKNOWN)
		snprintf(err, errlen, "export \"%.64s\" not found on the server (%s%s%s)",
			 export_name, name, n ? ": " : "", quote);
	else
		snprintf(err, errlen, "server refused export \"%.64s\" (%s%s%s)", export_name,
			 name, n ? ": " : "", quote);
	return type == NBD_REP_ERR_SHUTDOWN ? HS_TEMPORARY : HS_PERMANENT;
}
