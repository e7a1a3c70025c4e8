/* handshake_parse.h: pure parsers for the bytes an NBD server sends during negotiation. */
#ifndef NBDROOT_HANDSHAKE_PARSE_H
#define NBDROOT_HANDSHAKE_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* What the driver reads before calling each parser. */
#define HSP_GREETING_LEN 18 /* "NBDMAGIC", second magic, 2 more bytes */
#define HSP_OLDSTYLE_LEN 152 /* the whole oldstyle header, greeting included */
#define HSP_REPLY_HEADER_LEN 20
#define HSP_REPLY_PAYLOAD_MAX (2 + NBDROOT_STRING_MAX) /* an INFO type and a string */
#define HSP_EXPORT_NAME_REPLY_LEN 10 /* + 124 zero bytes unless NO_ZEROES */
#define HSP_ZEROES_LEN 124
#define HSP_SIMPLE_REPLY_LEN 16 /* magic, error, handle */

/* The kernel's nbd driver may send one READ/WRITE of up to 65536
 * sectors (max_hw_sectors): a server must accept at least that. */
#define HSP_KERNEL_MAX_REQUEST (32u << 20)
#define HSP_KERNEL_MAX_BLOCK 4096u /* page size on the architectures we boot */

struct hsp_greeting {
	int oldstyle;
	uint16_t flags; /* newstyle handshake flags */
};

struct hsp_reply {
	uint32_t type;
	uint32_t len; /* payload bytes that follow, already checked for type */
};

struct hsp_info {
	uint16_t type;
	uint64_t size; /* NBD_INFO_EXPORT, EXPORT_NAME reply, oldstyle */
	uint16_t flags;
	uint32_t min, pref, max; /* NBD_INFO_BLOCK_SIZE */
};

/* Every parser returns 0, or -1 with err naming the bad value and what was
 * expected. Pure: no I/O, no globals, no allocation. */

/* The first HSP_GREETING_LEN bytes: both magics, and for newstyle the flags. */
int hsp_greeting(const uint8_t *buf, size_t len, struct hsp_greeting *g, char *err,
		 size_t errlen);

/* The full HSP_OLDSTYLE_LEN-byte oldstyle header, whose greeting
 * hsp_greeting has checked: size and flags. */
int hsp_oldstyle(const uint8_t *buf, size_t len, struct hsp_info *info, char *err,
		 size_t errlen);

/* An option reply header to option `opt`: magic, echoed option, and a
 * payload length acceptable for the reply type. */
int hsp_reply_header(const uint8_t *buf, size_t len, uint32_t opt, struct hsp_reply *r,
		     char *err, size_t errlen);

/* The payload of an NBD_REP_INFO. Unknown, NAME and DESCRIPTION types are
 * accepted with only `type` set: the caller ignores them. */
int hsp_info(const uint8_t *buf, size_t len, struct hsp_info *info, char *err,
	     size_t errlen);

/* The reply to NBD_OPT_EXPORT_NAME: len must be 10 with NO_ZEROES, else 134. */
int hsp_export_name_reply(const uint8_t *buf, size_t len, int no_zeroes,
			  struct hsp_info *info, char *err, size_t errlen);

/* The kernel block size for a server minimum (0: the server gave none). */
int hsp_kernel_block_size(const struct hsp_info *bs_info, uint32_t *block_size,
			  char *err, size_t errlen);

/* Whether the kernel can carry an export of this size and flags. */
int hsp_check_export(uint64_t size, uint16_t flags, uint32_t block_size, char *err,
		     size_t errlen);

/* Describe an error reply (type has NBD_REP_FLAG_ERROR) to `what` with the
 * server's message, sanitized and shortened. Returns the handshake result
 * code it deserves (HS_PERMANENT, or HS_TEMPORARY for a server shutting down). */
int hsp_error_reply(uint32_t type, const uint8_t *msg, size_t len, const char *export_name,
		    char *err, size_t errlen);

/* A simple reply in transmission phase (the only kind we negotiate): its
 * magic, then the handle we sent; a server error is temporary (it may heal
 * when the server restarts), nonsense is permanent. */
int hsp_simple_reply(const uint8_t *buf, size_t len, uint64_t handle, char *err,
		     size_t errlen);

static inline uint16_t hsp_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t hsp_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t hsp_be64(const uint8_t *p)
{
	return (uint64_t)hsp_be32(p) << 32 | hsp_be32(p + 4);
}

static inline uint8_t *hsp_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

static inline uint8_t *hsp_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return p + 4;
}

static inline uint8_t *hsp_put64(uint8_t *p, uint64_t v)
{
	return hsp_put32(hsp_put32(p, (uint32_t)(v >> 32)), (uint32_t)v);
}

#endif
