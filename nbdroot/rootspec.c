/* rootspec.c: one root-path string (nbdroot=, root=nbd:, nbd:// URI, DHCP option 17) -> server, port, export. */
#include <string.h>

#include "addr.h"
#include "cmdline.h"

#define EXPECT_CANON "expected [<server>:]<port>/<export>"
#define EXPECT_PORT "expected 1..65535"
#define EXPECT_ADDR "expected an IPv4 address or a bracketed IPv6 address"
#define STR(x) #x
#define XSTR(x) STR(x)

/* Everything a spec says, collected before any of it reaches cfg, so that a
 * rejected spec leaves cfg untouched. */
struct spec {
	const char *whole; /* the spec, for messages about what is missing */
	size_t whole_len;
	struct nbdroot_addr server;
	uint16_t port;
	const char *export_name; /* NULL: not given */
	size_t export_len;
	int percent; /* export_name still holds %XX escapes */
	const char *fstype, *rootflags;
	size_t fstype_len, rootflags_len;
	int readonly;
	uint32_t timeout, dead_timeout, connections;
};

static const char *find(const char *s, size_t len, char c)
{
	return memchr(s, c, len);
}

static int port_parse(const char *s, size_t len, const char *param, struct spec *sp,
		      char *err, size_t errlen)
{
	uint32_t v;
	int rc;

	if (len == 0)
		return cmdline_fail(err, errlen, param, "%q has no port, " EXPECT_PORT,
				    sp->whole, sp->whole_len);
	rc = cmdline_number(s, len, 65535, &v);
	if (rc == -1)
		return cmdline_fail(err, errlen, param, "port %q is not a number, " EXPECT_PORT, s, len);
	if (rc || v == 0)
		return cmdline_fail(err, errlen, param, "port %q is out of range, " EXPECT_PORT, s, len);
	sp->port = (uint16_t)v;
	return 0;
}

static int looks_like_hostname(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((s[i] >= 'g' && s[i] <= 'z') || (s[i] >= 'G' && s[i] <= 'Z') || s[i] == '-')
			return 1;
	return 0;
}

/* host is the text between brackets when bracketed is set. */
static int host_parse(const char *s, size_t len, int bracketed, const char *param,
		      struct spec *sp, char *err, size_t errlen)
{
	if (len == 0)
		return cmdline_fail(err, errlen, param, "%q has no server address, "
				    EXPECT_ADDR, sp->whole, sp->whole_len);
	if (find(s, len, '%'))
		return cmdline_fail(err, errlen, param, "server %q has an IPv6 zone id, "
				    "expected an address without %<interface>", s, len);
	if (addr_parse(s, len, &sp->server)) {
		if (!bracketed && looks_like_hostname(s, len))
			return cmdline_fail(err, errlen, param, "server %q is a host name "
					    "(no DNS at boot), " EXPECT_ADDR, s, len);
		return cmdline_fail(err, errlen, param, "server %q is not a valid IP address, "
				    EXPECT_ADDR " such as 10.0.0.1 or [fd00::1]", s, len);
	}
	if (bracketed && sp->server.family != 6)
		return cmdline_fail(err, errlen, param, "server %q in brackets is not IPv6, "
				    "expected [<ipv6>] or a bare IPv4 address", s, len);
	if (!bracketed && sp->server.family == 6)
		return cmdline_fail(err, errlen, param, "IPv6 server %q is not in brackets, "
				    "expected [<ipv6>]:<port>", s, len);
	return 0;
}

/* "[v6]" or "v4" at the start of s, up to the first ':' (or end, for v4).
 * Returns the bytes consumed, or -1. */
static long server_prefix(const char *s, size_t len, const char *param, struct spec *sp,
			  char *err, size_t errlen)
{
	const char *end;

	if (len > 0 && s[0] == '[') {
		end = find(s, len, ']');
		if (!end)
			return cmdline_fail(err, errlen, param, "%q has no closing ']', "
					    "expected [<ipv6>]", s, len);
		if (host_parse(s + 1, (size_t)(end - s) - 1, 1, param, sp, err, errlen))
			return -1;
		return end + 1 - s;
	}
	end = find(s, len, ':');
	if (!end)
		end = s + len;
	if (host_parse(s, (size_t)(end - s), 0, param, sp, err, errlen))
		return -1;
	return end - s;
}

/* [<server>:]<port>/<export> */
static int canonical(const char *s, size_t len, const char *param, struct spec *sp,
		     char *err, size_t errlen)
{
	const char *slash, *colon;
	size_t head;
	long n;

	if (s[0] == '[') {
		n = server_prefix(s, len, param, sp, err, errlen);
		if (n < 0)
			return -1;
		if ((size_t)n == len || s[n] != ':')
			return cmdline_fail(err, errlen, param, "%q has no port after the "
					    "IPv6 server, expected [<ipv6>]:<port>/<export>", s, len);
		s += n + 1;
		len -= (size_t)n + 1;
		slash = find(s, len, '/');
		if (!slash)
			return cmdline_fail(err, errlen, param, "%q has no \"/<export>\" after "
					    "the port, " EXPECT_CANON, s, len);
		head = (size_t)(slash - s);
		if (port_parse(s, head, param, sp, err, errlen))
			return -1;
	} else {
		slash = find(s, len, '/');
		if (!slash)
			return cmdline_fail(err, errlen, param, "%q has no \"/<export>\", "
					    EXPECT_CANON " (\"<port>/\" for the default export)",
					    s, len);
		head = (size_t)(slash - s);
		colon = find(s, head, ':');
		if (colon && find(colon + 1, head - (size_t)(colon + 1 - s), ':'))
			return cmdline_fail(err, errlen, param, "IPv6 server in %q is not in "
					    "brackets, expected [<ipv6>]:<port>/<export>", s, head);
		if (colon) {
			if (host_parse(s, (size_t)(colon - s), 0, param, sp, err, errlen) ||
			    port_parse(colon + 1, head - (size_t)(colon + 1 - s), param, sp,
				       err, errlen))
				return -1;
		} else if (find(s, head, '.')) {
			return cmdline_fail(err, errlen, param, "%q has no port, "
					    EXPECT_CANON, s, head);
		} else if (port_parse(s, head, param, sp, err, errlen)) {
			return -1;
		}
	}
	sp->export_name = slash + 1;
	sp->export_len = len - head - 1;
	return 0;
}

/* nbd://<server>[:<port>][/<export>], the NBD project's URI (doc/uri.md). */
static int uri(const char *s, size_t len, const char *param, struct spec *sp,
	       char *err, size_t errlen)
{
	const char *auth = s + 6, *slash, *colon;
	size_t alen, rest = len - 6;
	long n;

	if (find(s, len, '?') || find(s, len, '#'))
		return cmdline_fail(err, errlen, param, "%q has a query or fragment, which "
				    "is not supported, expected nbd://<server>[:<port>]/<export>",
				    s, len);
	slash = find(auth, rest, '/');
	alen = slash ? (size_t)(slash - auth) : rest;
	if (find(auth, alen, '@'))
		return cmdline_fail(err, errlen, param, "%q has user information, which is "
				    "not supported, expected nbd://<server>[:<port>]/<export>",
				    s, len);
	colon = find(auth, alen, ':');
	if (alen > 0 && auth[0] != '[' && colon &&
	    find(colon + 1, alen - (size_t)(colon + 1 - auth), ':'))
		return cmdline_fail(err, errlen, param, "IPv6 server in %q is not in brackets, "
				    "expected nbd://[<ipv6>]:<port>/<export>", s, len);
	n = server_prefix(auth, alen, param, sp, err, errlen);
	if (n < 0)
		return -1;
	sp->port = NBDROOT_DEFAULT_PORT;
	if ((size_t)n < alen) {
		if (auth[n] != ':')
			return cmdline_fail(err, errlen, param, "%q has junk after the server, "
					    "expected nbd://<server>[:<port>]/<export>", s, len);
		if (port_parse(auth + n + 1, alen - (size_t)n - 1, param, sp, err, errlen))
			return -1;
	}
	if (slash) {
		sp->export_name = slash + 1;
		sp->export_len = rest - alen - 1;
		sp->percent = 1;
	} else {
		sp->export_name = "";
		sp->export_len = 0;
	}
	return 0;
}

static int nbdopts(const char *s, size_t len, const char *param, struct spec *sp,
		   char *err, size_t errlen)
{
	static const char *const names[] = { "timeout=", "dead_timeout=", "connections=" };
	static const uint32_t lo[] = { 1, 0, 1 };
	static const uint32_t hi[] = { 86400, 604800, NBDROOT_MAX_CONNECTIONS };
	uint32_t *dst[3];
	size_t i = 0;

	dst[0] = &sp->timeout;
	dst[1] = &sp->dead_timeout;
	dst[2] = &sp->connections;
	while (i < len) {
		const char *item = s + i, *comma = find(item, len - i, ',');
		size_t ilen = comma ? (size_t)(comma - item) : len - i;
		unsigned k;

		i += ilen + 1;
		if (ilen == 0)
			continue;
		if (ilen == 2 && memcmp(item, "ro", 2) == 0) {
			sp->readonly = 1;
			continue;
		}
		for (k = 0; k < 3; k++) {
			size_t nl = strlen(names[k]);
			uint32_t v;

			if (ilen < nl || memcmp(item, names[k], nl) != 0)
				continue;
			if (cmdline_number(item + nl, ilen - nl, hi[k], &v) || v < lo[k])
				return cmdline_fail(err, errlen, param, "nbd option %q is out of "
						    "range, expected timeout=1..86400, "
						    "dead_timeout=0..604800 or connections=1.."
						    XSTR(NBDROOT_MAX_CONNECTIONS), item, ilen);
			*dst[k] = v;
			break;
		}
		if (k == 3)
			return cmdline_fail(err, errlen, param, "nbd option %q is not supported, "
					    "expected ro, timeout=<s>, dead_timeout=<s> or "
					    "connections=<n>", item, ilen);
	}
	return 0;
}

static int all_digits(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return len > 0;
}

/* dracut: nbd:<server>:<port|export>[:<fstype>[:<rootflags>[:<nbdopts>]]] */
static int dracut(const char *s, size_t len, const char *param, struct spec *sp,
		  char *err, size_t errlen)
{
	const char *f[4] = { NULL, NULL, NULL, NULL };
	size_t flen[4] = { 0, 0, 0, 0 };
	const char *p = s + 4;
	size_t rest = len - 4;
	long n;
	int k;

	n = server_prefix(p, rest, param, sp, err, errlen);
	if (n < 0)
		return -1;
	if ((size_t)n == rest || p[n] != ':')
		return cmdline_fail(err, errlen, param, "%q has no port or export after the "
				    "server, expected nbd:<server>:<port|export>[:<fstype>"
				    "[:<rootflags>[:<nbdopts>]]]", s, len);
	p += n + 1;
	rest -= (size_t)n + 1;
	/* like dracut's shell split: the last field takes the rest, colons and all */
	for (k = 0; k < 4; k++) {
		const char *colon = k < 3 ? find(p, rest, ':') : NULL;

		f[k] = p;
		flen[k] = colon ? (size_t)(colon - p) : rest;
		if (!colon)
			break;
		rest -= flen[k] + 1;
		p = colon + 1;
	}
	if (flen[0] == 0)
		return cmdline_fail(err, errlen, param, "%q has an empty port|export field, "
				    "expected nbd:<server>:<port> or nbd:<server>:<export>", s, len);
	/* dracut: a number is a port (default export), anything else an export name */
	if (all_digits(f[0], flen[0])) {
		if (port_parse(f[0], flen[0], param, sp, err, errlen))
			return -1;
		sp->export_name = "";
		sp->export_len = 0;
	} else {
		sp->port = NBDROOT_DEFAULT_PORT;
		sp->export_name = f[0];
		sp->export_len = flen[0];
	}
	if (f[1] && flen[1]) {
		sp->fstype = f[1];
		sp->fstype_len = flen[1];
	}
	if (f[2] && flen[2]) {
		sp->rootflags = f[2];
		sp->rootflags_len = flen[2];
	}
	if (f[3])
		return nbdopts(f[3], flen[3], param, sp, err, errlen);
	return 0;
}

/* The length of "<scheme>" when s starts with "<scheme>://" (RFC 3986), else 0. */
static size_t scheme_len(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (i = 1; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))
			break;
	}
	return len - i >= 3 && memcmp(s + i, "://", 3) == 0 ? i : 0;
}

static int unhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Copies the export name out, decoding %XX for the URI form. */
static int export_copy(const struct spec *sp, const char *param, char *out,
		       char *err, size_t errlen)
{
	const char *s = sp->export_name;
	size_t i, n = 0;

	for (i = 0; i < sp->export_len; i++) {
		char c = s[i];

		if (sp->percent && c == '%') {
			int hi = i + 2 < sp->export_len ? unhex(s[i + 1]) : -1;
			int lo = hi >= 0 ? unhex(s[i + 2]) : -1;

			if (lo < 0)
				return cmdline_fail(err, errlen, param, "export %q has a bad "
						    "%-escape, expected %XX with two hex digits",
						    s, sp->export_len);
			c = (char)(hi << 4 | lo);
			if ((unsigned char)c < 0x20 || c == 0x7f)
				return cmdline_fail(err, errlen, param, "export %q decodes to a "
						    "control character, expected printable text",
						    s, sp->export_len);
			i += 2;
		}
		if (n == NBDROOT_STRING_MAX)
			return cmdline_fail(err, errlen, param, "export %q is too long, expected "
					    "at most " XSTR(NBDROOT_STRING_MAX) " bytes",
					    s, sp->export_len);
		out[n++] = c;
	}
	out[n] = '\0';
	return 0;
}

int rootspec_parse(const char *s, size_t len, const char *param,
		   struct nbdroot_config *cfg, char *err, size_t errlen)
{
	char export_name[NBDROOT_STRING_MAX + 1];
	struct spec sp;
	size_t i, scheme;
	int rc;

	memset(&sp, 0, sizeof(sp));
	sp.whole = s;
	sp.whole_len = len;
	sp.readonly = -1;
	sp.timeout = sp.dead_timeout = sp.connections = UINT32_MAX;
	if (len == 0)
		return cmdline_fail(err, errlen, param, "the root spec is empty, " EXPECT_CANON,
				    NULL, 0);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return cmdline_fail(err, errlen, param, "%q contains a control "
					    "character, expected printable text", s, len);
	scheme = scheme_len(s, len);
	if (scheme == 3 && memcmp(s, "nbd", 3) == 0) {
		rc = uri(s, len, param, &sp, err, errlen);
	} else if (scheme >= 4 && memcmp(s, "nbds", 4) == 0) {
		return cmdline_fail(err, errlen, param, "%q asks for NBD over TLS, which is "
				    "not supported, expected nbd://<server>[:<port>]/<export>",
				    s, len);
	} else if (scheme) {
		return cmdline_fail(err, errlen, param, "URI scheme of %q is not supported, "
				    "expected nbd://<server>[:<port>]/<export>", s, len);
	} else if (len >= 4 && memcmp(s, "nbd:", 4) == 0) {
		rc = dracut(s, len, param, &sp, err, errlen);
	} else {
		rc = canonical(s, len, param, &sp, err, errlen);
	}
	if (rc)
		return rc;
	if (sp.export_name && export_copy(&sp, param, export_name, err, errlen))
		return -1;
	if (sp.fstype_len >= sizeof(cfg->fstype))
		return cmdline_fail(err, errlen, param, "fstype %q is too long, expected at "
				    "most 31 bytes", sp.fstype, sp.fstype_len);
	if (sp.rootflags_len >= sizeof(cfg->rootflags))
		return cmdline_fail(err, errlen, param, "rootflags %q are too long, expected "
				    "at most 255 bytes", sp.rootflags, sp.rootflags_len);

	if (sp.server.family)
		cfg->server = sp.server;
	if (sp.port)
		cfg->port = sp.port;
	if (sp.export_name)
		memcpy(cfg->export_name, export_name, strlen(export_name) + 1);
	if (sp.fstype) {
		memcpy(cfg->fstype, sp.fstype, sp.fstype_len);
		cfg->fstype[sp.fstype_len] = '\0';
	}
	if (sp.rootflags) {
		memcpy(cfg->rootflags, sp.rootflags, sp.rootflags_len);
		cfg->rootflags[sp.rootflags_len] = '\0';
	}
	if (sp.readonly >= 0)
		cfg->readonly = sp.readonly;
	if (sp.timeout != UINT32_MAX)
		cfg->timeout = sp.timeout;
	if (sp.dead_timeout != UINT32_MAX)
		cfg->dead_timeout = sp.dead_timeout;
	if (sp.connections != UINT32_MAX)
		cfg->connections = sp.connections;
	return 0;
}
