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

#define NBD_CMD_DISC 2
#define HEAD_HANDLE 0x6e6264726f6f7430ull /* "nbdroot0" */

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
		snprintf(h->err, h->errlen, "timed out after %u ms %s %s", h->timeout_ms,
			 reading ? "reading" : "sending", what);
		return HS_TEMPORARY;
	}
	h->gone = 1;
	snprintf(h->err, h->errlen, "lost the connection while %s %s: %s",
		 reading ? "reading" : "sending", what,
		 errno ? errtext(errno) : "closed by the server");
	return HS_TEMPORARY;
}

static int rd(struct hs *h, void *buf, size_t len, const char *what)
{
	if (net_read_full(h->fd, buf, len, h->deadline))
		return io_fail(h, 1, what);
	return 0;
}

/* The farewells goodbye() sends, for the phase the server is in. */
static const uint8_t opt_abort[16] = { 'I', 'H', 'A', 'V', 'E', 'O', 'P', 'T', 0, 0, 0,
				       NBD_OPT_ABORT };
static const uint8_t cmd_disc[28] = { 0x25, 0x60, 0x95, 0x13, /* request magic */
				      0, 0, 0, NBD_CMD_DISC };

/* Best effort, never waits: the socket is closed right after anyway, and a
 * server that is not reading must not stretch the handshake bound. */
static void goodbye(struct hs *h)
{
	int opts = h->phase == PHASE_OPTIONS;

	if (h->gone || h->phase == PHASE_GREETING)
		return;
	(void)net_write_full(h->fd, opts ? opt_abort : cmd_disc,
			     opts ? sizeof(opt_abort) : sizeof(cmd_disc), clock_ms());
}

/* The image's first block, read before the kernel gets the socket, for
 * its fingerprint (a reconnect must find the same image). */
static int read_head(struct hs *h, uint8_t *buf, uint64_t size, char *fp)
{
	uint32_t len = size < FP_HEAD_LEN ? (uint32_t)size : FP_HEAD_LEN;
	uint8_t *p = hsp_put32(buf, NBD_MAGIC_REQUEST);
	int rc;

	p = hsp_put32(p, NBD_CMD_READ); /* no command flags */
	p = hsp_put64(p, HEAD_HANDLE);
	p = hsp_put64(p, 0);
	p = hsp_put32(p, len);
	if (net_write_full(h->fd, buf, (size_t)(p - buf), h->deadline))
		return io_fail(h, 0, "the read of the first block");
	rc = rd(h, buf, HSP_SIMPLE_REPLY_LEN, "its reply");
	if (rc)
		return rc;
	rc = hsp_simple_reply(buf, HSP_SIMPLE_REPLY_LEN, HEAD_HANDLE, h->err, h->errlen);
	if (rc)
		return rc;
	rc = rd(h, buf, len, "the first block");
	if (rc)
		return rc;
	fingerprint_of(buf, len, size, fp);
	return 0;
}

/* The option after `clen` bytes already in buf (the client flags, when
 * they still have to go out): its header, then the export name, which
 * NBD_OPT_GO wraps in a length and follows with the one INFO we ask for. */
static int send_option(struct hs *h, uint8_t *buf, size_t clen, uint32_t opt,
		       const char *name, size_t nlen)
{
	int go = opt == NBD_OPT_GO;
	uint8_t *p = buf + clen;

	p = hsp_put64(p, NBD_MAGIC_IHAVEOPT);
	p = hsp_put32(p, opt);
	p = hsp_put32(p, (uint32_t)(go ? 4 + nlen + 4 : nlen));
	if (go)
		p = hsp_put32(p, (uint32_t)nlen);
	memcpy(p, name, nlen);
	p += nlen;
	/* Only BLOCK_SIZE: INFO_EXPORT always comes. Asking for block sizes
	 * commits us to them, which hsp_kernel_block_size enforces. */
	if (go)
		p = hsp_put32(p, 1u << 16 | NBD_INFO_BLOCK_SIZE);
	if (net_write_full(h->fd, buf, (size_t)(p - buf), h->deadline))
		return io_fail(h, 0, go ? "NBD_OPT_GO" : "NBD_OPT_EXPORT_NAME");
	return 0;
}

int nbd_handshake(int fd, const char *export_name, unsigned timeout_ms,
		  struct nbd_export *out, char *err, size_t errlen)
{
	/* each request, then each reply */
	uint8_t buf[4 + 16 + 4 + NBDROOT_STRING_MAX + 4];
	struct hs h;
	struct hsp_greeting g;
	struct hsp_info ex, bs, info;
	struct hsp_reply r;
	/* Names come from config.h's buffer, which holds at most
	 * NBDROOT_STRING_MAX bytes; strnlen keeps buf safe whatever the caller. */
	size_t nlen = strnlen(export_name, NBDROOT_STRING_MAX), clen = 4, want;
	uint32_t client = 0, opt = NBD_OPT_EXPORT_NAME, block_size;
	enum handshake_mode mode = HS_OLDSTYLE;
	int rc, have_export = 0;

	h.fd = fd;
	h.deadline = clock_ms() + timeout_ms;
	h.timeout_ms = timeout_ms;
	h.phase = PHASE_GREETING;
	h.gone = 0;
	h.err = err;
	h.errlen = errlen;
	err[0] = '\0';
	/* bs.min stays 0 (and then nothing else of bs is read) unless the
	 * server sends block sizes; ex is filled on every path that gets on */
	bs.min = 0;
	rc = rd(&h, buf, HSP_GREETING_LEN, "the greeting");
	if (rc)
		goto out;
	rc = HS_PERMANENT;
	if (hsp_greeting(buf, HSP_GREETING_LEN, &g, err, errlen))
		goto out;
	if (g.oldstyle) {
		/* The server is in transmission phase already and serves its
		 * one export whatever name was asked for. */
		h.phase = PHASE_TRANSMISSION;
		rc = rd(&h, buf + HSP_GREETING_LEN, HSP_OLDSTYLE_LEN - HSP_GREETING_LEN,
			"the oldstyle header");
		if (rc)
			goto out;
		rc = HS_PERMANENT;
		if (hsp_oldstyle(buf, HSP_OLDSTYLE_LEN, &ex, err, errlen))
			goto out;
		goto done;
	}
	/* Only flags we understand go back; structured replies, extended
	 * headers, meta contexts and TLS are never asked for at all, since the
	 * kernel driver understands only simple replies. */
	client = g.flags & (NBD_FLAG_FIXED_NEWSTYLE | NBD_FLAG_NO_ZEROES);
	hsp_put32(buf, client);
	mode = HS_NEWSTYLE;
	if (client & NBD_FLAG_C_FIXED_NEWSTYLE) {
		mode = HS_FIXED_NEWSTYLE_GO;
		opt = NBD_OPT_GO;
	}
again:
	rc = send_option(&h, buf, clen, opt, export_name, nlen);
	if (rc)
		goto out;
	if (opt == NBD_OPT_EXPORT_NAME) {
		/* This option has no error reply: a server that does not have
		 * the export just closes the connection. */
		h.phase = PHASE_TRANSMISSION;
		want = HSP_EXPORT_NAME_REPLY_LEN +
		       (client & NBD_FLAG_C_NO_ZEROES ? 0 : HSP_ZEROES_LEN);
		rc = rd(&h, buf, want, "the NBD_OPT_EXPORT_NAME reply (no such export?)");
		if (rc)
			goto out;
		rc = HS_PERMANENT;
		if (hsp_export_name_reply(buf, want, client & NBD_FLAG_C_NO_ZEROES, &ex, err,
					  errlen))
			goto out;
		goto done;
	}
	h.phase = PHASE_OPTIONS;
	for (;;) {
		rc = rd(&h, buf, HSP_REPLY_HEADER_LEN, "the option reply header");
		if (rc)
			goto out;
		rc = HS_PERMANENT;
		if (hsp_reply_header(buf, HSP_REPLY_HEADER_LEN, NBD_OPT_GO, &r, err, errlen))
			goto out;
		/* the header parser capped r.len at HSP_REPLY_PAYLOAD_MAX */
		if (r.len) {
			rc = rd(&h, buf, r.len, "the option reply payload");
			if (rc)
				goto out;
		}
		if (r.type == NBD_REP_ERR_UNSUP) {
			/* an old server: the client flags went out with GO */
			clen = 0;
			opt = NBD_OPT_EXPORT_NAME;
			mode = HS_FIXED_NEWSTYLE_EXPORT_NAME;
			goto again;
		}
		if (r.type & NBD_REP_FLAG_ERROR) {
			rc = hsp_error_reply(r.type, buf, r.len, export_name, err, errlen);
			goto out;
		}
		if (r.type == NBD_REP_ACK)
			break;
		rc = HS_PERMANENT;
		if (hsp_info(buf, r.len, &info, err, errlen))
			goto out;
		if (info.type == NBD_INFO_EXPORT) {
			ex = info;
			have_export = 1;
		} else if (info.type == NBD_INFO_BLOCK_SIZE) {
			bs = info;
		}
	}
	h.phase = PHASE_TRANSMISSION;
	rc = HS_PERMANENT;
	if (!have_export) {
		snprintf(err, errlen, "NBD_REP_ACK to NBD_OPT_GO before NBD_INFO_EXPORT");
		goto out;
	}
done:
	/* the checks every path shares */
	if (hsp_kernel_block_size(&bs, &block_size, err, errlen) ||
	    hsp_check_export(ex.size, ex.flags, block_size, err, errlen))
		goto out;
	rc = read_head(&h, buf, ex.size, out->fingerprint);
	if (rc)
		goto out;
	out->size = ex.size;
	out->flags = ex.flags;
	out->block_size = block_size;
	out->mode = mode;
	rc = HS_OK;
out:
	if (rc != HS_OK)
		goodbye(&h);
	return rc;
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
