/* genl.c: generic-netlink messages for the kernel's "nbd" family, built and parsed over plain buffers. */
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "genl.h"

/* Netlink is host-endian; memcpy keeps every access alignment-safe, since
 * a fuzzer (or a short recv) can hand us any offset. */
static uint16_t get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* A message under construction in a caller's buffer. Once a put does not
 * fit, overflow sticks and finish() returns 0, so builders need not check
 * every step. */
struct msg {
	uint8_t *buf;
	size_t size;
	size_t len;
	int overflow;
};

/* A request: nlmsghdr (NLM_F_REQUEST | NLM_F_ACK) and genlmsghdr. */
static void start(struct msg *m, void *buf, size_t size, uint16_t family, uint32_t seq,
		  uint8_t cmd, uint8_t version)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
	} h = { { 0, family, NLM_F_REQUEST | NLM_F_ACK, seq, 0 }, { cmd, version, 0 } };

	m->buf = buf;
	/* Attribute lengths are 16 bits; capping the message there (ours
	 * stay under 1 KiB) makes every attribute and nest length fit. */
	m->size = size < 0xffff ? size : 0xffff;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->overflow = size < m->len;
	if (!m->overflow)
		memcpy(m->buf, &h, NLMSG_HDRLEN + GENL_HDRLEN);
}

static void put(struct msg *m, uint16_t type, const void *data, size_t len)
{
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);
	uint16_t a[2] = { (uint16_t)(NLA_HDRLEN + len), type }; /* struct nlattr */

	if (m->overflow || total > m->size - m->len) {
		m->overflow = 1;
		return;
	}
	memset(m->buf + m->len, 0, total);
	memcpy(m->buf + m->len, a, NLA_HDRLEN);
	if (len)
		memcpy(m->buf + m->len + NLA_HDRLEN, data, len);
	m->len += total;
}

static void put_u32(struct msg *m, uint16_t type, uint32_t v)
{
	put(m, type, &v, sizeof(v));
}

static void put_str(struct msg *m, uint16_t type, const char *s)
{
	put(m, type, s, strlen(s) + 1);
}

/* Open a nested attribute; returns the offset nest_end needs. */
static size_t nest_start(struct msg *m, uint16_t type)
{
	size_t start = m->len;

	put(m, type | NLA_F_NESTED, NULL, 0);
	return start;
}

static void nest_end(struct msg *m, size_t start)
{
	uint16_t len = (uint16_t)(m->len - start);

	if (!m->overflow)
		memcpy(m->buf + start, &len, sizeof(len));
}

/* Patch nlmsg_len; returns the message length, or 0 when it did not fit. */
static size_t finish(struct msg *m)
{
	uint32_t len = (uint32_t)m->len;

	if (m->overflow)
		return 0;
	memcpy(m->buf, &len, sizeof(len));
	return m->len;
}

/* Our four requests. For the nbd family: INDEX first; CONNECT's settings
 * when req is given; SOCKETS for all but STATUS; the string (the backend
 * identifier) when given. For the controller (GETFAMILY): the string, as
 * the family name, alone. */
static size_t build(void *buf, size_t size, uint16_t family, uint32_t seq, uint8_t cmd,
		    uint32_t index, const struct nbd_connect_req *req, const int *fds,
		    int nfds, const char *str)
{
	/* in the order the kernel's own tools send them */
	static const uint8_t types[6] = {
		NBD_ATTR_SIZE_BYTES, NBD_ATTR_BLOCK_SIZE_BYTES, NBD_ATTR_SERVER_FLAGS,
		NBD_ATTR_TIMEOUT, NBD_ATTR_DEAD_CONN_TIMEOUT, NBD_ATTR_CLIENT_FLAGS,
	};
	int ctrl = family == GENL_ID_CTRL;
	struct msg m;
	size_t socks, item;
	int i;

	/* both families are at version 1 */
	start(&m, buf, size, family, seq, cmd, NBD_GENL_VERSION);
	if (!ctrl)
		put_u32(&m, NBD_ATTR_INDEX, index);
	if (req) {
		const uint64_t v[6] = { req->size, req->block_size, req->server_flags,
					req->timeout, req->dead_timeout, 0 };

		for (i = 0; i < 6; i++)
			put(&m, types[i], &v[i], 8);
	}
	if (!ctrl && cmd != NBD_CMD_STATUS) {
		socks = nest_start(&m, NBD_ATTR_SOCKETS);
		for (i = 0; i < nfds; i++) {
			item = nest_start(&m, NBD_SOCK_ITEM);
			put_u32(&m, NBD_SOCK_FD, (uint32_t)fds[i]);
			nest_end(&m, item);
		}
		nest_end(&m, socks);
	}
	if (str)
		put_str(&m, ctrl ? CTRL_ATTR_FAMILY_NAME : NBD_ATTR_BACKEND_IDENTIFIER, str);
	return finish(&m);
}

size_t genl_build_getfamily(void *buf, size_t size, uint32_t seq, const char *name)
{
	return build(buf, size, GENL_ID_CTRL, seq, CTRL_CMD_GETFAMILY, 0, NULL, NULL, 0, name);
}

size_t genl_build_nbd_connect(void *buf, size_t size, uint16_t family, uint32_t seq,
			      const struct nbd_connect_req *req)
{
	return build(buf, size, family, seq, NBD_CMD_CONNECT, req->index, req, req->fds,
		     req->nfds, req->backend);
}

size_t genl_build_nbd_reconfigure(void *buf, size_t size, uint16_t family, uint32_t seq,
				  uint32_t index, const int *fds, int nfds,
				  const char *backend)
{
	return build(buf, size, family, seq, NBD_CMD_RECONFIGURE, index, NULL, fds, nfds,
		     backend);
}

size_t genl_build_nbd_status(void *buf, size_t size, uint16_t family, uint32_t seq,
			     uint32_t index)
{
	return build(buf, size, family, seq, NBD_CMD_STATUS, index, NULL, NULL, 0, NULL);
}

void genl_backend_id(const struct nbdroot_config *cfg, char *buf, size_t size)
{
	char host[48];
	size_t i;

	addr_format(&cfg->server, host, sizeof(host));
	snprintf(buf, size, cfg->server.family == 6 ? "nbdroot:[%s]:%u/%s" : "nbdroot:%s:%u/%s",
		 host, (unsigned)cfg->port, cfg->export_name);
	/* sysfs prints it verbatim: keep the console and shell readers safe */
	for (i = 0; buf[i]; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
}

void genl_reply_init(struct genl_reply *r)
{
	memset(r, 0, sizeof(*r));
	r->cmd = -1;
	r->connected = -1;
}

#define FAIL(...)                                     \
	do {                                          \
		snprintf(err, errlen, __VA_ARGS__);   \
		return -1;                            \
	} while (0)

/* Where an attribute list sits, which decides what its attributes mean. */
enum nest {
	N_CTRL, /* a controller message */
	N_GROUPS, /* CTRL_ATTR_MCAST_GROUPS: one nest per group */
	N_GROUP,
	N_NBD, /* an nbd family message */
	N_LIST, /* NBD_ATTR_DEVICE_LIST: only the first item counts, as STATUS
		 * is always asked for one index */
	N_ITEM,
	N_ACK, /* the extended ack's TLVs: a courtesy, so garbage just ends them */
};
#define KEY(nest, type) ((nest) << 16 | (type))

struct walk {
	struct genl_reply *r;
	const char *mcast_name;
	uint32_t grp_id;
	int grp_match;
};

/* Is data[0..dlen) the NUL-terminated string s? */
static int str_is(const uint8_t *data, size_t dlen, const char *s)
{
	size_t n = strlen(s);

	return dlen > n && memcmp(data, s, n) == 0 && data[n] == '\0';
}

/* The attributes in p[0..len), and those nested in them, one level of
 * `nest` at a time: every length is checked before what it covers is read. */
static int walk(const uint8_t *p, size_t len, enum nest nest, struct walk *w, char *err,
		size_t errlen)
{
	struct genl_reply *r = w->r;
	size_t off = 0, i;

	while (off < len) {
		size_t rest = len - off, alen = rest < NLA_HDRLEN ? 0 : get16(p + off), dl, want;
		const uint8_t *d;
		unsigned t;

		if (alen < NLA_HDRLEN || alen > rest) {
			if (nest == N_ACK)
				return 0;
			FAIL("attribute at offset %zu is truncated", off);
		}
		t = get16(p + off + 2) & NLA_TYPE_MASK;
		d = p + off + NLA_HDRLEN;
		dl = alen - NLA_HDRLEN;
		off += NLA_ALIGN(alen) < rest ? NLA_ALIGN(alen) : rest;
		switch (KEY(nest, t)) {
		case KEY(N_CTRL, CTRL_ATTR_FAMILY_ID):
			if (dl != (want = 2))
				goto bad_len;
			r->family_id = get16(d);
			break;
		case KEY(N_CTRL, CTRL_ATTR_MCAST_GROUPS):
			if (walk(d, dl, N_GROUPS, w, err, errlen))
				return -1;
			break;
		case KEY(N_GROUP, CTRL_ATTR_MCAST_GRP_ID):
			if (dl != (want = 4))
				goto bad_len;
			w->grp_id = get32(d);
			break;
		case KEY(N_GROUP, CTRL_ATTR_MCAST_GRP_NAME):
			if (w->mcast_name)
				w->grp_match = str_is(d, dl, w->mcast_name);
			break;
		case KEY(N_NBD, NBD_ATTR_INDEX):
		case KEY(N_ITEM, NBD_DEVICE_INDEX):
			if (dl != (want = 4))
				goto bad_len;
			r->index = get32(d);
			r->has_index = 1;
			break;
		case KEY(N_NBD, NBD_ATTR_DEVICE_LIST):
			if (walk(d, dl, N_LIST, w, err, errlen))
				return -1;
			break;
		case KEY(N_LIST, NBD_DEVICE_ITEM):
			return walk(d, dl, N_ITEM, w, err, errlen);
		case KEY(N_ITEM, NBD_DEVICE_CONNECTED):
			if (dl != (want = 1))
				goto bad_len;
			r->connected = d[0] != 0;
			break;
		case KEY(N_ACK, NLMSGERR_ATTR_MSG):
			/* made printable */
			for (i = 0; i < dl && i < sizeof(r->ext_msg) - 1 && d[i]; i++)
				r->ext_msg[i] = (d[i] < 0x20 || d[i] > 0x7e) ? '?' : (char)d[i];
			r->ext_msg[i] = '\0';
			break;
		default:
			if (nest == N_LIST)
				return 0;
			if (nest == N_GROUPS) {
				w->grp_id = 0;
				w->grp_match = 0;
				if (walk(d, dl, N_GROUP, w, err, errlen))
					return -1;
				if (w->grp_match)
					r->mcast_group = w->grp_id;
			}
			break;
		}
		continue;
bad_len:
		FAIL("attribute %u has length %zu, expected %zu", t, dl, want);
	}
	return 0;
}

static int parse_error(const uint8_t *p, size_t len, uint16_t flags, struct walk *w,
		       char *err, size_t errlen)
{
	int32_t code;
	size_t echoed;

	if (len < 4)
		FAIL("error payload of %zu bytes, expected at least 4", len);
	memcpy(&code, p, 4);
	if (code > 0 || code < -4095)
		FAIL("error code %d, expected -4095..0", (int)code);
	w->r->done = 1;
	w->r->error = -code;
	if (!(flags & NLM_F_ACK_TLVS) || len < 4 + NLMSG_HDRLEN)
		return 0;
	/* The TLVs follow our request as echoed: its header alone when capped. */
	echoed = NLMSG_HDRLEN;
	if (!(flags & NLM_F_CAPPED))
		echoed = NLMSG_ALIGN(get32(p + 4));
	if (echoed < NLMSG_HDRLEN || echoed > len - 4)
		FAIL("error echoes %zu request bytes, expected 16..%zu", echoed, len - 4);
	return walk(p + 4 + echoed, len - 4 - echoed, N_ACK, w, err, errlen);
}

int genl_parse(const void *buf, size_t len, uint32_t seq, uint16_t type,
	       const char *mcast_name, struct genl_reply *r, char *err, size_t errlen)
{
	const uint8_t *p = buf;
	struct walk w = { .r = r, .mcast_name = mcast_name };
	size_t off = 0;

	while (off < len) {
		const uint8_t *body;
		size_t mlen, step, blen;
		uint32_t mseq;
		uint16_t mtype, mflags;

		if (len - off < NLMSG_HDRLEN)
			FAIL("%zu stray bytes after the last message", len - off);
		mlen = get32(p + off);
		mtype = get16(p + off + 4);
		mflags = get16(p + off + 6);
		mseq = get32(p + off + 8);
		if (mlen < NLMSG_HDRLEN || mlen > len - off)
			FAIL("message at offset %zu has length %zu, expected 16..%zu",
			     off, mlen, len - off);
		body = p + off + NLMSG_HDRLEN;
		blen = mlen - NLMSG_HDRLEN;
		step = NLMSG_ALIGN(mlen);
		off += step < len - off ? step : len - off;
		if (mseq != seq || mtype == NLMSG_NOOP)
			continue;
		if (mtype == NLMSG_ERROR) {
			if (parse_error(body, blen, mflags, &w, err, errlen))
				return -1;
			continue;
		}
		if (mtype == NLMSG_DONE) {
			r->done = 1;
			continue;
		}
		if (mtype == NLMSG_OVERRUN)
			FAIL("receive overrun");
		if (mtype < NLMSG_MIN_TYPE || mtype != type)
			continue;
		if (blen < GENL_HDRLEN)
			FAIL("genl message of %zu bytes lacks its 4-byte header", blen);
		r->cmd = body[0];
		if (walk(body + GENL_HDRLEN, blen - GENL_HDRLEN,
			 type == GENL_ID_CTRL ? N_CTRL : N_NBD, &w, err, errlen))
			return -1;
	}
	return 0;
}
