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

void genl_start(struct genl_msg *m, void *buf, size_t size, uint16_t family,
		uint32_t seq, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr h;
	struct genlmsghdr g;

	m->buf = buf;
	m->size = size;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->overflow = size < m->len;
	if (m->overflow)
		return;
	memset(&h, 0, sizeof(h));
	h.nlmsg_type = family;
	h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	h.nlmsg_seq = seq;
	memset(&g, 0, sizeof(g));
	g.cmd = cmd;
	g.version = version;
	memcpy(m->buf, &h, sizeof(h));
	memcpy(m->buf + NLMSG_HDRLEN, &g, sizeof(g));
}

void genl_put(struct genl_msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr a;
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);

	if (m->overflow || NLA_HDRLEN + len > 0xffff || total > m->size - m->len) {
		m->overflow = 1;
		return;
	}
	a.nla_len = (uint16_t)(NLA_HDRLEN + len);
	a.nla_type = type;
	memcpy(m->buf + m->len, &a, sizeof(a));
	if (len)
		memcpy(m->buf + m->len + NLA_HDRLEN, data, len);
	memset(m->buf + m->len + NLA_HDRLEN + len, 0, total - NLA_HDRLEN - len);
	m->len += total;
}

void genl_put_u32(struct genl_msg *m, uint16_t type, uint32_t v)
{
	genl_put(m, type, &v, sizeof(v));
}

void genl_put_u64(struct genl_msg *m, uint16_t type, uint64_t v)
{
	genl_put(m, type, &v, sizeof(v));
}

void genl_put_str(struct genl_msg *m, uint16_t type, const char *s)
{
	genl_put(m, type, s, strlen(s) + 1);
}

size_t genl_nest_start(struct genl_msg *m, uint16_t type)
{
	size_t start = m->len;

	genl_put(m, type | NLA_F_NESTED, NULL, 0);
	return start;
}

void genl_nest_end(struct genl_msg *m, size_t start)
{
	uint16_t len;

	if (m->overflow)
		return;
	if (m->len - start > 0xffff) {
		m->overflow = 1;
		return;
	}
	len = (uint16_t)(m->len - start);
	memcpy(m->buf + start, &len, sizeof(len));
}

size_t genl_finish(struct genl_msg *m)
{
	uint32_t len = (uint32_t)m->len;

	if (m->overflow)
		return 0;
	memcpy(m->buf, &len, sizeof(len));
	return m->len;
}

size_t genl_build_getfamily(void *buf, size_t size, uint32_t seq, const char *name)
{
	struct genl_msg m;

	genl_start(&m, buf, size, GENL_ID_CTRL, seq, CTRL_CMD_GETFAMILY, 1);
	genl_put_str(&m, CTRL_ATTR_FAMILY_NAME, name);
	return genl_finish(&m);
}

static void put_sockets(struct genl_msg *m, const int *fds, int nfds)
{
	size_t socks = genl_nest_start(m, NBD_ATTR_SOCKETS);
	int i;

	for (i = 0; i < nfds; i++) {
		size_t item = genl_nest_start(m, NBD_SOCK_ITEM);

		genl_put_u32(m, NBD_SOCK_FD, (uint32_t)fds[i]);
		genl_nest_end(m, item);
	}
	genl_nest_end(m, socks);
}

size_t genl_build_nbd_connect(void *buf, size_t size, uint16_t family, uint32_t seq,
			      const struct nbd_connect_req *req)
{
	struct genl_msg m;

	genl_start(&m, buf, size, family, seq, NBD_CMD_CONNECT, NBD_GENL_VERSION);
	genl_put_u32(&m, NBD_ATTR_INDEX, req->index);
	genl_put_u64(&m, NBD_ATTR_SIZE_BYTES, req->size);
	genl_put_u64(&m, NBD_ATTR_BLOCK_SIZE_BYTES, req->block_size);
	genl_put_u64(&m, NBD_ATTR_SERVER_FLAGS, req->server_flags);
	genl_put_u64(&m, NBD_ATTR_TIMEOUT, req->timeout);
	genl_put_u64(&m, NBD_ATTR_DEAD_CONN_TIMEOUT, req->dead_timeout);
	genl_put_u64(&m, NBD_ATTR_CLIENT_FLAGS, 0);
	put_sockets(&m, req->fds, req->nfds);
	if (req->backend)
		genl_put_str(&m, NBD_ATTR_BACKEND_IDENTIFIER, req->backend);
	return genl_finish(&m);
}

size_t genl_build_nbd_reconfigure(void *buf, size_t size, uint16_t family, uint32_t seq,
				  uint32_t index, const int *fds, int nfds,
				  const char *backend)
{
	struct genl_msg m;

	genl_start(&m, buf, size, family, seq, NBD_CMD_RECONFIGURE, NBD_GENL_VERSION);
	genl_put_u32(&m, NBD_ATTR_INDEX, index);
	put_sockets(&m, fds, nfds);
	if (backend)
		genl_put_str(&m, NBD_ATTR_BACKEND_IDENTIFIER, backend);
	return genl_finish(&m);
}

size_t genl_build_nbd_status(void *buf, size_t size, uint16_t family, uint32_t seq,
			     uint32_t index)
{
	struct genl_msg m;

	genl_start(&m, buf, size, family, seq, NBD_CMD_STATUS, NBD_GENL_VERSION);
	genl_put_u32(&m, NBD_ATTR_INDEX, index);
	return genl_finish(&m);
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

/* One attribute from p[*off..len): 1 with type/data/dlen, 0 at the end,
 * -1 when its header is short or its length runs past the end. */
static int attr_next(const uint8_t *p, size_t len, size_t *off, uint16_t *type,
		     const uint8_t **data, size_t *dlen)
{
	size_t rest = len - *off;
	size_t alen, step;

	if (rest == 0)
		return 0;
	if (rest < NLA_HDRLEN)
		return -1;
	alen = get16(p + *off);
	if (alen < NLA_HDRLEN || alen > rest)
		return -1;
	*type = get16(p + *off + 2) & NLA_TYPE_MASK;
	*data = p + *off + NLA_HDRLEN;
	*dlen = alen - NLA_HDRLEN;
	step = NLA_ALIGN(alen);
	*off += step < rest ? step : rest;
	return 1;
}

#define FAIL(...)                                     \
	do {                                          \
		snprintf(err, errlen, __VA_ARGS__);   \
		return -1;                            \
	} while (0)

static int want_len(uint16_t type, size_t dlen, size_t want, char *err, size_t errlen)
{
	if (dlen != want)
		FAIL("attribute %u has length %zu, expected %zu", (unsigned)type, dlen, want);
	return 0;
}

/* Is data[0..dlen) the NUL-terminated string s? */
static int str_is(const uint8_t *data, size_t dlen, const char *s)
{
	size_t n = strlen(s);

	return dlen > n && memcmp(data, s, n) == 0 && data[n] == '\0';
}

static int parse_mcast_groups(const uint8_t *p, size_t len, const char *name,
			      struct genl_reply *r, char *err, size_t errlen)
{
	size_t off = 0, off2;
	const uint8_t *d, *d2;
	size_t dl, dl2;
	uint16_t t, t2;
	int rc;

	while ((rc = attr_next(p, len, &off, &t, &d, &dl)) > 0) {
		uint32_t id = 0;
		int match = 0;

		off2 = 0;
		while ((rc = attr_next(d, dl, &off2, &t2, &d2, &dl2)) > 0) {
			if (t2 == CTRL_ATTR_MCAST_GRP_ID) {
				if (want_len(t2, dl2, 4, err, errlen))
					return -1;
				id = get32(d2);
			} else if (t2 == CTRL_ATTR_MCAST_GRP_NAME && name) {
				match = str_is(d2, dl2, name);
			}
		}
		if (rc < 0)
			FAIL("multicast group %u is truncated", (unsigned)t);
		if (match)
			r->mcast_group = id;
	}
	if (rc < 0)
		FAIL("multicast group list is truncated");
	return 0;
}

static int parse_ctrl(const uint8_t *p, size_t len, const char *mcast_name,
		      struct genl_reply *r, char *err, size_t errlen)
{
	size_t off = 0;
	const uint8_t *d;
	size_t dl;
	uint16_t t;
	int rc;

	while ((rc = attr_next(p, len, &off, &t, &d, &dl)) > 0) {
		if (t == CTRL_ATTR_FAMILY_ID) {
			if (want_len(t, dl, 2, err, errlen))
				return -1;
			r->family_id = get16(d);
		} else if (t == CTRL_ATTR_MCAST_GROUPS) {
			if (parse_mcast_groups(d, dl, mcast_name, r, err, errlen))
				return -1;
		}
	}
	if (rc < 0)
		FAIL("controller reply attributes are truncated");
	return 0;
}

/* NBD_ATTR_DEVICE_LIST: only the first item is recorded, as STATUS is
 * always asked for one index. */
static int parse_device_list(const uint8_t *p, size_t len, struct genl_reply *r,
			     char *err, size_t errlen)
{
	size_t off = 0, off2 = 0;
	const uint8_t *d, *d2;
	size_t dl, dl2;
	uint16_t t, t2;
	int rc;

	rc = attr_next(p, len, &off, &t, &d, &dl);
	if (rc <= 0 || t != NBD_DEVICE_ITEM) {
		if (rc < 0)
			FAIL("device list is truncated");
		return 0;
	}
	while ((rc = attr_next(d, dl, &off2, &t2, &d2, &dl2)) > 0) {
		if (t2 == NBD_DEVICE_INDEX) {
			if (want_len(t2, dl2, 4, err, errlen))
				return -1;
			r->index = get32(d2);
			r->has_index = 1;
		} else if (t2 == NBD_DEVICE_CONNECTED) {
			if (want_len(t2, dl2, 1, err, errlen))
				return -1;
			r->connected = d2[0] != 0;
		}
	}
	if (rc < 0)
		FAIL("device item is truncated");
	return 0;
}

static int parse_nbd(const uint8_t *p, size_t len, struct genl_reply *r,
		     char *err, size_t errlen)
{
	size_t off = 0;
	const uint8_t *d;
	size_t dl;
	uint16_t t;
	int rc;

	while ((rc = attr_next(p, len, &off, &t, &d, &dl)) > 0) {
		if (t == NBD_ATTR_INDEX) {
			if (want_len(t, dl, 4, err, errlen))
				return -1;
			r->index = get32(d);
			r->has_index = 1;
		} else if (t == NBD_ATTR_DEVICE_LIST) {
			if (parse_device_list(d, dl, r, err, errlen))
				return -1;
		}
	}
	if (rc < 0)
		FAIL("nbd reply attributes are truncated");
	return 0;
}

/* The extended ack's NLMSGERR_ATTR_MSG, made printable. */
static void parse_ext_ack(const uint8_t *p, size_t len, struct genl_reply *r)
{
	size_t off = 0, i;
	const uint8_t *d;
	size_t dl;
	uint16_t t;

	while (attr_next(p, len, &off, &t, &d, &dl) > 0) {
		if (t != NLMSGERR_ATTR_MSG)
			continue;
		for (i = 0; i < dl && i < sizeof(r->ext_msg) - 1 && d[i]; i++)
			r->ext_msg[i] = (d[i] < 0x20 || d[i] > 0x7e) ? '?' : (char)d[i];
		r->ext_msg[i] = '\0';
	}
}

static int parse_error(const uint8_t *p, size_t len, uint16_t flags, struct genl_reply *r,
		       char *err, size_t errlen)
{
	int32_t code;
	size_t echoed;

	if (len < 4)
		FAIL("error message payload has %zu bytes, expected at least 4", len);
	memcpy(&code, p, 4);
	if (code > 0 || code < -4095)
		FAIL("error message carries code %d, expected -4095..0", (int)code);
	r->done = 1;
	r->error = -code;
	if (!(flags & NLM_F_ACK_TLVS) || len < 4 + NLMSG_HDRLEN)
		return 0;
	/* The TLVs follow our request as echoed: its header alone when capped. */
	echoed = NLMSG_HDRLEN;
	if (!(flags & NLM_F_CAPPED))
		echoed = NLMSG_ALIGN(get32(p + 4));
	if (echoed < NLMSG_HDRLEN || echoed > len - 4)
		FAIL("error message echoes %zu bytes of the request, only %zu present",
		     echoed, len - 4);
	parse_ext_ack(p + 4 + echoed, len - 4 - echoed, r);
	return 0;
}

int genl_parse(const void *buf, size_t len, uint32_t seq, uint16_t type,
	       const char *mcast_name, struct genl_reply *r, char *err, size_t errlen)
{
	const uint8_t *p = buf;
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
			if (parse_error(body, blen, mflags, r, err, errlen))
				return -1;
			continue;
		}
		if (mtype == NLMSG_DONE) {
			r->done = 1;
			continue;
		}
		if (mtype == NLMSG_OVERRUN)
			FAIL("the kernel reports a receive overrun");
		if (mtype < NLMSG_MIN_TYPE || mtype != type)
			continue;
		if (blen < GENL_HDRLEN)
			FAIL("generic netlink message of %zu bytes lacks its 4-byte header", blen);
		r->cmd = body[0];
		if (type == GENL_ID_CTRL) {
			if (parse_ctrl(body + GENL_HDRLEN, blen - GENL_HDRLEN, mcast_name, r,
				       err, errlen))
				return -1;
		} else if (parse_nbd(body + GENL_HDRLEN, blen - GENL_HDRLEN, r, err, errlen)) {
			return -1;
		}
	}
	return 0;
}
