/* handshake.c: NBD negotiation over a connected socket, ending in transmission phase. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "errtext.h"
#include "clock.h"
#include "config.h"
#include "handshake.h"
#include "handshake_parse.h"
#include "nbd_proto.h"
#include "net.h"

#define NBD_REQUEST_MAGIC 0x25609513u
#define NBD_CMD_DISC 2

/* What the server expects next, which decides how we leave on failure. */
enum phase {
	PHASE_GREETING, /* it waits for our client flags: just close */
	PHASE_OPTIONS, /* option haggling: NBD_OPT_ABORT */
	PHASE_TRANSMISSION, /* it waits for requests: NBD_CMD_DISC */
};

struct hs {
	int fd;
	uint64_t deadline;
	unsigned timeout_ms;
	enum phase phase;
	int gone; /* EOF or reset: there is nobody left to say goodbye to */
	char *err;
	size_t errlen;
};

/* A failed read or write: the server went away or went quiet. */
static int io_fail(struct hs *h, int reading, const char *what)
{
	if (errno == ETIMEDOUT) {
		snprintf(h->err, h->errlen, "timed out after %u ms waiting for %s%s",
			 h->timeout_ms, reading ? "" : "the server to accept ", what);
		return HS_TEMPORARY;
	}
	h->gone = 1;
	if (errno == 0)
		snprintf(h->err, h->errlen, "server closed the connection while sending %s",
			 what);
	else
		snprintf(h->err, h->errlen, "lost the connection while %s %s: %s",
			 reading ? "reading" : "sending", what, errtext(errno));
	return HS_TEMPORARY;
}

static int rd(struct hs *h, void *buf, size_t len, const char *what)
{
	if (net_read_full(h->fd, buf, len, h->deadline))
		return io_fail(h, 1, what);
	return 0;
}

static int wr(struct hs *h, const void *buf, size_t len, const char *what)
{
	if (net_write_full(h->fd, buf, len, h->deadline))
		return io_fail(h, 0, what);
	return 0;
}

/* Best effort, never waits: the socket is closed right after anyway, and a
 * server that is not reading must not stretch the handshake bound. */
static void goodbye(struct hs *h)
{
	uint8_t m[28], *p = m;

	if (h->gone || h->phase == PHASE_GREETING)
		return;
	if (h->phase == PHASE_OPTIONS) {
		p = hsp_put64(p, NBD_MAGIC_IHAVEOPT);
		p = hsp_put32(p, NBD_OPT_ABORT);
		p = hsp_put32(p, 0);
	} else {
		p = hsp_put32(p, NBD_REQUEST_MAGIC);
		p = hsp_put16(p, 0);
		p = hsp_put16(p, NBD_CMD_DISC);
		p = hsp_put64(p, 0); /* handle */
		p = hsp_put64(p, 0); /* offset */
		p = hsp_put32(p, 0); /* length */
	}
	(void)net_write_full(h->fd, m, (size_t)(p - m), clock_ms());
}

static int finish(struct hs *h, int rc)
{
	if (rc != HS_OK)
		goodbye(h);
	return rc;
}

/* The checks every path shares, then the result. bs->min is 0 when the
 * server sent no block sizes. */
static int export_done(struct hs *h, const struct hsp_info *ex, const struct hsp_info *bs,
		       enum handshake_mode mode, struct nbd_export *out)
{
	uint32_t block_size;

	if (hsp_kernel_block_size(bs, &block_size, h->err, h->errlen) ||
	    hsp_check_export(ex->size, ex->flags, block_size, h->err, h->errlen))
		return HS_PERMANENT;
	out->size = ex->size;
	out->flags = ex->flags;
	out->block_size = block_size;
	out->mode = mode;
	return HS_OK;
}

/* Option header plus the export name; `prefix` is the client flags when
 * they still have to go out (plain newstyle), else empty. */
static size_t put_option(uint8_t *buf, const uint8_t *prefix, size_t plen, uint32_t opt,
			 uint32_t datalen)
{
	uint8_t *p = buf;

	memcpy(p, prefix, plen);
	p += plen;
	p = hsp_put64(p, NBD_MAGIC_IHAVEOPT);
	p = hsp_put32(p, opt);
	p = hsp_put32(p, datalen);
	return (size_t)(p - buf);
}

/* NBD_OPT_GO. Returns an HS_* code, or -1 when the server does not know
 * the option and NBD_OPT_EXPORT_NAME should be tried instead. */
static int opt_go(struct hs *h, const uint8_t *cflags, const char *name, size_t nlen,
		  struct nbd_export *out)
{
	uint8_t buf[4 + 16 + 4 + NBDROOT_STRING_MAX + 4]; /* the request, then each reply */
	struct hsp_info ex, bs, info;
	struct hsp_reply r;
	size_t n;
	int have_export = 0, rc;

	n = put_option(buf, cflags, 4, NBD_OPT_GO, (uint32_t)(4 + nlen + 4));
	n = (size_t)(hsp_put32(buf + n, (uint32_t)nlen) - buf);
	memcpy(buf + n, name, nlen);
	n += nlen;
	/* Only BLOCK_SIZE: INFO_EXPORT always comes. Asking for block sizes
	 * commits us to them, which hsp_kernel_block_size enforces. */
	n = (size_t)(hsp_put16(hsp_put16(buf + n, 1), NBD_INFO_BLOCK_SIZE) - buf);
	rc = wr(h, buf, n, "NBD_OPT_GO");
	if (rc)
		return rc;
	h->phase = PHASE_OPTIONS;
	memset(&bs, 0, sizeof(bs));
	memset(&ex, 0, sizeof(ex));
	for (;;) {
		rc = rd(h, buf, HSP_REPLY_HEADER_LEN, "the option reply header");
		if (rc)
			return rc;
		if (hsp_reply_header(buf, HSP_REPLY_HEADER_LEN, NBD_OPT_GO, &r, h->err,
				     h->errlen))
			return HS_PERMANENT;
		/* the header parser capped r.len at HSP_REPLY_PAYLOAD_MAX */
		if (r.len) {
			rc = rd(h, buf, r.len, "the option reply payload");
			if (rc)
				return rc;
		}
		if (r.type == NBD_REP_ERR_UNSUP)
			return -1;
		if (r.type & NBD_REP_FLAG_ERROR)
			return hsp_error_reply(r.type, buf, r.len, name, h->err, h->errlen);
		if (r.type == NBD_REP_ACK)
			break;
		if (hsp_info(buf, r.len, &info, h->err, h->errlen))
			return HS_PERMANENT;
		if (info.type == NBD_INFO_EXPORT) {
			ex = info;
			have_export = 1;
		} else if (info.type == NBD_INFO_BLOCK_SIZE) {
			bs = info;
		}
	}
	h->phase = PHASE_TRANSMISSION;
	if (!have_export) {
		snprintf(h->err, h->errlen, "NBD_REP_ACK to NBD_OPT_GO before NBD_INFO_EXPORT");
		return HS_PERMANENT;
	}
	return export_done(h, &ex, &bs, HS_FIXED_NEWSTYLE_GO, out);
}

static int opt_export_name(struct hs *h, const uint8_t *cflags, size_t clen,
			   const char *name, size_t nlen, int no_zeroes,
			   enum handshake_mode mode, struct nbd_export *out)
{
	uint8_t buf[4 + 16 + NBDROOT_STRING_MAX];
	struct hsp_info ex, bs;
	size_t n, want;
	int rc;

	n = put_option(buf, cflags, clen, NBD_OPT_EXPORT_NAME, (uint32_t)nlen);
	memcpy(buf + n, name, nlen);
	rc = wr(h, buf, n + nlen, "NBD_OPT_EXPORT_NAME");
	if (rc)
		return rc;
	/* This option has no error reply: a server that does not have the
	 * export just closes the connection. */
	h->phase = PHASE_TRANSMISSION;
	want = HSP_EXPORT_NAME_REPLY_LEN + (no_zeroes ? 0 : HSP_ZEROES_LEN);
	if (net_read_full(h->fd, buf, want, h->deadline)) {
		if (errno != 0)
			return io_fail(h, 1, "the NBD_OPT_EXPORT_NAME reply");
		h->gone = 1;
		snprintf(h->err, h->errlen, "server closed the connection instead of "
			 "answering NBD_OPT_EXPORT_NAME: is there an export \"%.64s\"?", name);
		return HS_TEMPORARY;
	}
	if (hsp_export_name_reply(buf, want, no_zeroes, &ex, h->err, h->errlen))
		return HS_PERMANENT;
	memset(&bs, 0, sizeof(bs));
	return export_done(h, &ex, &bs, mode, out);
}

int nbd_handshake(int fd, const char *export_name, unsigned timeout_ms,
		  struct nbd_export *out, char *err, size_t errlen)
{
	struct hs h;
	uint8_t buf[HSP_OLDSTYLE_LEN];
	uint8_t cflags[4];
	struct hsp_greeting g;
	struct hsp_info ex, bs;
	size_t nlen = strlen(export_name);
	uint32_t client = 0;
	int rc;

	h.fd = fd;
	h.deadline = clock_ms() + timeout_ms;
	h.timeout_ms = timeout_ms;
	h.phase = PHASE_GREETING;
	h.gone = 0;
	h.err = err;
	h.errlen = errlen;
	err[0] = '\0';
	if (nlen > NBDROOT_STRING_MAX) {
		snprintf(err, errlen, "export name is %u bytes, expected at most %u",
			 (unsigned)nlen, NBDROOT_STRING_MAX);
		return HS_PERMANENT;
	}
	rc = rd(&h, buf, HSP_GREETING_LEN, "the greeting");
	if (rc)
		return finish(&h, rc);
	if (hsp_greeting(buf, HSP_GREETING_LEN, &g, err, errlen))
		return finish(&h, HS_PERMANENT);
	if (g.oldstyle) {
		/* The server is in transmission phase already and serves its
		 * one export whatever name was asked for. */
		h.phase = PHASE_TRANSMISSION;
		rc = rd(&h, buf + HSP_GREETING_LEN, HSP_OLDSTYLE_LEN - HSP_GREETING_LEN,
			"the oldstyle header");
		if (rc)
			return finish(&h, rc);
		if (hsp_oldstyle(buf, HSP_OLDSTYLE_LEN, &ex, err, errlen))
			return finish(&h, HS_PERMANENT);
		memset(&bs, 0, sizeof(bs));
		return finish(&h, export_done(&h, &ex, &bs, HS_OLDSTYLE, out));
	}
	/* Only flags we understand go back; structured replies, extended
	 * headers, meta contexts and TLS are never asked for at all, since the
	 * kernel driver understands only simple replies. */
	if (g.flags & NBD_FLAG_FIXED_NEWSTYLE)
		client |= NBD_FLAG_C_FIXED_NEWSTYLE;
	if (g.flags & NBD_FLAG_NO_ZEROES)
		client |= NBD_FLAG_C_NO_ZEROES;
	hsp_put32(cflags, client);
	if (!(g.flags & NBD_FLAG_FIXED_NEWSTYLE))
		return finish(&h, opt_export_name(&h, cflags, 4, export_name, nlen,
						  client & NBD_FLAG_C_NO_ZEROES, HS_NEWSTYLE,
						  out));
	rc = opt_go(&h, cflags, export_name, nlen, out);
	if (rc >= 0)
		return finish(&h, rc);
	return finish(&h, opt_export_name(&h, cflags, 0, export_name, nlen,
					  client & NBD_FLAG_C_NO_ZEROES,
					  HS_FIXED_NEWSTYLE_EXPORT_NAME, out));
}

const char *handshake_mode_name(enum handshake_mode m)
{
	switch (m) {
	case HS_FIXED_NEWSTYLE_GO:
		return "fixed-newstyle-go";
	case HS_FIXED_NEWSTYLE_EXPORT_NAME:
		return "fixed-newstyle-export-name";
	case HS_NEWSTYLE:
		return "newstyle";
	case HS_OLDSTYLE:
		return "oldstyle";
	}
	return "unknown";
}
