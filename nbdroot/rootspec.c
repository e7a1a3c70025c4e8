/* rootspec.c: one root-path string (nbdroot=, root=nbd:, nbd:// URI, DHCP option 17) -> server, port, export. */
#include <string.h>

#include "addr.h"
#include "cmdline.h"

#define X_CANON "[<server>:]<port>/<export>"
#define X_PORT "1..65535"
#define X_ADDR "an IPv4 address or a bracketed IPv6 address"
#define X_URI "nbd://<server>[:<port>]/<export>"
#define X_DRACUT "nbd:<server>:<port|export>[:<fstype>:...]"
#define X_OPTS "ro, timeout=1..86400, dead_timeout=0..604800 or connections=1..16"
#define UNSET UINT32_MAX

/* Everything a spec says, collected before any of it reaches cfg, so that a
 * rejected spec leaves cfg untouched. */
struct spec {
	struct cmdline_ctx c;
	const char *whole; /* the spec, for messages about what is missing */
	size_t whole_len;
	struct nbdroot_addr server;
	uint16_t port;
	int percent; /* the export still holds %XX escapes (URI form) */
	int readonly;
	const char *export_name, *fstype, *rootflags; /* NULL: not given */
	size_t export_len, fstype_len, rootflags_len;
	uint32_t tun[3]; /* nbdopts timeout, dead_timeout, connections */
	char device[64]; /* nbd-client's <server>,<export>,<nbdN>; "": not given */
};

static int fail(const struct spec *sp, const char *what, const char *s, size_t len,
		const char *expected)
{
	return cmdline_fail(&sp->c, what, s, len, expected);
}

/* A message about the whole spec */
static int fail_whole(const struct spec *sp, const char *what, const char *expected)
{
	return cmdline_fail(&sp->c, what, sp->whole, sp->whole_len, expected);
}

static int port_parse(const char *s, size_t len, struct spec *sp)
{
	uint32_t v;
	int rc;

	if (len == 0)
		return fail_whole(sp, "%q has no port", X_PORT);
	rc = cmdline_number(s, len, 65535, &v);
	if (rc == 0 && v != 0) {
		sp->port = (uint16_t)v;
		return 0;
	}
	return fail(sp, rc == -1 ? "port %q is not a number" : "port %q is out of range",
		    s, len, X_PORT);
}

static int host_parse(const char *s, size_t len, int bracketed, struct spec *sp)
{
	size_t i;

	if (len == 0)
		return fail_whole(sp, "%q has no server address", X_ADDR);
	if (memchr(s, '%', len))
		return fail(sp, "server %q has an IPv6 zone id", s, len,
			    "an address without %<interface>");
	if (addr_parse(s, len, &sp->server) == 0) {
		if (bracketed && sp->server.family != 6)
			return fail(sp, "server %q in brackets is not IPv6", s, len, X_ADDR);
		return 0;
	}
	/* hex digits and dots could be a mistyped address; anything else is a name */
	for (i = 0; i < len; i++)
		if ((s[i] | 0x20) > 'f' && (s[i] | 0x20) <= 'z')
			return fail(sp, "server %q is a host name (no DNS at boot)", s, len, X_ADDR);
	return fail(sp, "server %q is not a valid IP address", s, len, X_ADDR);
}

/* "[v6]" or "v4" at the start of s, up to the first ':' (or the end).
 * Returns the bytes consumed, or -1. */
static long server_prefix(const char *s, size_t len, struct spec *sp)
{
	const char *end;

	if (len > 0 && s[0] == '[') {
		end = memchr(s, ']', len);
		if (!end)
			return fail(sp, "%q has no closing ']'", s, len, "[<ipv6>]");
		if (host_parse(s + 1, (size_t)(end - s) - 1, 1, sp))
			return -1;
		return end + 1 - s;
	}
	end = memchr(s, ':', len);
	if (!end)
		end = s + len;
	if (host_parse(s, (size_t)(end - s), 0, sp))
		return -1;
	return end - s;
}

/* <server>[:<port>], the port required or not */
static int authority(const char *s, size_t len, int need_port, struct spec *sp)
{
	const char *colon = memchr(s, ':', len);
	long n;

	if (len > 0 && s[0] != '[' && colon && memchr(colon + 1, ':', len - (size_t)(colon + 1 - s)))
		return fail(sp, "IPv6 server in %q is not in brackets", s, len, "[<ipv6>]:<port>");
	n = server_prefix(s, len, sp);
	if (n < 0)
		return -1;
	if ((size_t)n == len)
		return need_port ? fail_whole(sp, "%q has no port", X_CANON) : 0;
	if (s[n] != ':')
		return fail(sp, "%q has junk after the server", s, len, "<server>:<port>");
	return port_parse(s + n + 1, len - (size_t)n - 1, sp);
}

/* nbd-client's server field: empty or "dhcp" (DHCP's server), an IPv4
 * address or a bracketed IPv6 one; bare IPv6 only where no port can follow. */
static int client_server(const char *s, size_t len, int bare_v6, struct spec *sp)
{
	long n;

	sp->port = NBDROOT_DEFAULT_PORT;
	if (len == 0 || (len == 4 && memcmp(s, "dhcp", 4) == 0))
		return 0;
	if (s[0] != '[' && !bare_v6 && memchr(s, ':', len))
		return fail(sp, "IPv6 server in %q is not in brackets", s, len, "[<ipv6>]:/<export>");
	if (s[0] != '[')
		return host_parse(s, len, 0, sp);
	n = server_prefix(s, len, sp);
	if (n >= 0 && (size_t)n != len)
		return fail(sp, "%q has junk after the server", s, len, "[<ipv6>]");
	return n < 0 ? -1 : 0;
}

/* nbd-client's <server>,<export>,<nbdN> */
static int triple(const char *s, size_t len, struct spec *sp)
{
	struct nbdclient_parts p;

	if (nbdclient_triple(&sp->c, s, len, &p))
		return -1;
	sp->export_name = p.export_name;
	sp->export_len = p.export_len;
	memcpy(sp->device, p.device, sizeof(sp->device));
	return client_server(p.server, p.server_len, 1, sp);
}

/* [<server>:]<port>/<export>, and nbd-client's forms (kernel-cmdline/README.md
 * says where the meanings differ): <server>,<export>,<nbdN>,
 * [<server>]:/<path> and /<path> (the export keeps its '/', as the script
 * passes it), <server>/<export> and :<port>/<export> (DHCP's server). */
static int canonical(const char *s, size_t len, struct spec *sp)
{
	const char *slash = memchr(s, '/', len), *comma = memchr(s, ',', len);
	size_t head;

	/* a ',' after the '/' is in our export name: the triple's server has no '/' */
	if (comma && (!slash || comma < slash))
		return triple(s, len, sp);
	if (!slash)
		return fail_whole(sp, "%q has no \"/<export>\"",
				  X_CANON " (\"<port>/\" for the default export)");
	head = (size_t)(slash - s);
	sp->export_name = slash + 1;
	sp->export_len = len - head - 1;
	if (head == 0 || s[head - 1] == ':') {
		sp->export_name--;
		sp->export_len++;
		return client_server(s, head ? head - 1 : 0, 0, sp);
	}
	if (s[0] == ':')
		return port_parse(s + 1, head - 1, sp);
	if (s[head - 1] == ']' || (!memchr(s, ':', head) && memchr(s, '.', head)))
		return client_server(s, head, 0, sp);
	if (s[0] == '[' || memchr(s, ':', head))
		return authority(s, head, 1, sp);
	return port_parse(s, head, sp);
}

/* nbd://<server>[:<port>][/<export>], the NBD project's URI (doc/uri.md) */
static int uri(const char *s, size_t len, struct spec *sp)
{
	const char *auth = s + 6, *slash;
	size_t alen, rest = len - 6;

	if (memchr(s, '?', len) || memchr(s, '#', len))
		return fail_whole(sp, "%q has a query or fragment", X_URI);
	slash = memchr(auth, '/', rest);
	alen = slash ? (size_t)(slash - auth) : rest;
	if (memchr(auth, '@', alen))
		return fail_whole(sp, "%q has user information", X_URI);
	sp->port = NBDROOT_DEFAULT_PORT;
	if (authority(auth, alen, 0, sp))
		return -1;
	sp->export_name = slash ? slash + 1 : "";
	sp->export_len = slash ? rest - alen - 1 : 0;
	sp->percent = 1;
	return 0;
}

static int nbdopts(const char *s, size_t len, struct spec *sp)
{
	static const char *const names[3] = { "timeout=", "dead_timeout=", "connections=" };
	static const uint32_t lo[3] = { 1, 0, 1 };
	static const uint32_t hi[3] = { 86400, 604800, NBDROOT_MAX_CONNECTIONS };
	const char *end = s + len;

	while (s < end) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		size_t n = comma ? (size_t)(comma - s) : (size_t)(end - s), k;
		const char *item = s;

		s += n + 1;
		if (n == 0)
			continue;
		if (n == 2 && memcmp(item, "ro", 2) == 0) {
			sp->readonly = 1;
			continue;
		}
		for (k = 0; k < 3; k++) {
			size_t nl = strlen(names[k]);

			if (n < nl || memcmp(item, names[k], nl) != 0)
				continue;
			if (cmdline_number(item + nl, n - nl, hi[k], &sp->tun[k]) ||
			    sp->tun[k] < lo[k])
				return fail(sp, "nbd option %q is out of range", item, n, X_OPTS);
			break;
		}
		if (k == 3)
			return fail(sp, "nbd option %q is not supported", item, n, X_OPTS);
	}
	return 0;
}

/* dracut: nbd:<server>:<port|export>[:<fstype>[:<rootflags>[:<nbdopts>]]]
 * (not inlined: rootspec_parse comes out smaller) */
static __attribute__((noinline)) int dracut(const char *s, size_t len, struct spec *sp)
{
	const char *f[4] = { NULL, NULL, NULL, NULL };
	size_t flen[4] = { 0, 0, 0, 0 }, i;
	const char *p = s + 4;
	size_t rest = len - 4;
	long n;
	int k;

	n = server_prefix(p, rest, sp);
	if (n < 0)
		return -1;
	if ((size_t)n == rest)
		return fail_whole(sp, "%q has no port or export after the server", X_DRACUT);
	if (p[n] != ':')
		return fail_whole(sp, "%q has junk after the server", X_DRACUT);
	p += n + 1;
	rest -= (size_t)n + 1;
	/* like dracut's shell split: the last field takes the rest, colons and all */
	for (k = 0; k < 4; k++) {
		const char *colon = k < 3 ? memchr(p, ':', rest) : NULL;

		f[k] = p;
		flen[k] = colon ? (size_t)(colon - p) : rest;
		if (!colon)
			break;
		rest -= flen[k] + 1;
		p = colon + 1;
	}
	if (flen[0] == 0)
		return fail_whole(sp, "%q has an empty port|export field", X_DRACUT);
	/* dracut: all digits is a port (default export), anything else an export name */
	for (i = 0; i < flen[0] && f[0][i] >= '0' && f[0][i] <= '9'; i++)
		;
	if (i == flen[0]) {
		if (port_parse(f[0], flen[0], sp))
			return -1;
		sp->export_name = "";
	} else {
		sp->port = NBDROOT_DEFAULT_PORT;
		sp->export_name = f[0];
		sp->export_len = flen[0];
	}
	if (flen[1]) {
		sp->fstype = f[1];
		sp->fstype_len = flen[1];
	}
	if (flen[2]) {
		sp->rootflags = f[2];
		sp->rootflags_len = flen[2];
	}
	return f[3] ? nbdopts(f[3], flen[3], sp) : 0;
}

/* The length of "<scheme>" when s starts with "<scheme>://" (RFC 3986), else 0. */
static size_t scheme_len(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = (char)(s[i] | 0x20);

		if (!((c >= 'a' && c <= 'z') ||
		      (i > 0 && ((s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' ||
				 s[i] == '.'))))
			break;
	}
	return i > 0 && len - i >= 3 && memcmp(s + i, "://", 3) == 0 ? i : 0;
}

static int unhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Copies the export name out, decoding %XX for the URI form. */
static int export_copy(const struct spec *sp, char *out)
{
	const char *s = sp->export_name;
	size_t i, n = 0;

	for (i = 0; i < sp->export_len; i++) {
		char c = s[i];

		if (sp->percent && c == '%') {
			int hi = i + 2 < sp->export_len ? unhex(s[i + 1]) : -1;
			int lo = hi >= 0 ? unhex(s[i + 2]) : -1;

			if (lo < 0)
				return fail(sp, "export %q has a bad %-escape", s, sp->export_len,
					    "%XX with two hex digits");
			c = (char)(hi << 4 | lo);
			if ((unsigned char)c < 0x20 || c == 0x7f)
				return fail(sp, "export %q decodes to a control character", s,
					    sp->export_len, "printable text");
			i += 2;
		}
		if (n == NBDROOT_STRING_MAX)
			return fail(sp, "export %q is too long", s, sp->export_len,
				    "at most 4096 bytes");
		out[n++] = c;
	}
	out[n] = '\0';
	return 0;
}

int rootspec_server(const char *s, size_t len, const char *param, struct nbdroot_addr *addr,
		    uint16_t *port, char *err, size_t errlen)
{
	struct spec sp;

	memset(&sp, 0, sizeof(sp));
	sp.c.err = err;
	sp.c.errlen = errlen;
	sp.c.param = param;
	sp.whole = s;
	sp.whole_len = len;
	if (authority(s, len, 0, &sp))
		return -1;
	*addr = sp.server;
	*port = sp.port;
	return 0;
}

static void copy_field(char *dst, const char *s, size_t len)
{
	memcpy(dst, s, len);
	dst[len] = '\0';
}

int rootspec_parse(const char *s, size_t len, const char *param,
		   struct nbdroot_config *cfg, char *err, size_t errlen)
{
	char export_name[NBDROOT_STRING_MAX + 1];
	struct spec sp;
	size_t i, scheme;
	int rc, k;

	memset(&sp, 0, sizeof(sp));
	sp.c.err = err;
	sp.c.errlen = errlen;
	sp.c.param = param;
	sp.whole = s;
	sp.whole_len = len;
	sp.readonly = -1;
	sp.tun[0] = sp.tun[1] = sp.tun[2] = UNSET;
	if (len == 0)
		return fail_whole(&sp, "the root spec is empty", X_CANON);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return fail_whole(&sp, "%q contains a control character", "printable text");
	scheme = scheme_len(s, len);
	if (scheme == 3 && memcmp(s, "nbd", 3) == 0)
		rc = uri(s, len, &sp);
	else if (scheme >= 4 && memcmp(s, "nbds", 4) == 0)
		return fail_whole(&sp, "%q asks for NBD over TLS, which is not supported", X_URI);
	else if (scheme)
		return fail_whole(&sp, "URI scheme of %q is not supported", X_URI);
	else if (len >= 4 && memcmp(s, "nbd:", 4) == 0)
		rc = dracut(s, len, &sp);
	else
		rc = canonical(s, len, &sp);
	if (rc || (sp.export_name && export_copy(&sp, export_name)))
		return -1;
	if (sp.fstype_len >= sizeof(cfg->fstype))
		return fail(&sp, "fstype %q is too long", sp.fstype, sp.fstype_len,
			    "at most 31 bytes");
	if (sp.rootflags_len >= sizeof(cfg->rootflags))
		return fail(&sp, "rootflags %q are too long", sp.rootflags, sp.rootflags_len,
			    "at most 255 bytes");
	/* a root-path cannot move the device the command line attaches and
	 * the init mounts; on the command line, cfg->device is "" unless
	 * another parameter named one */
	if (sp.device[0] && cfg->device[0] && strcmp(sp.device, cfg->device) != 0) {
		char what[80];

		cmdline_join(what, sizeof(what), "device %q is not ", cfg->device,
			     ", the command line's", "");
		return fail(&sp, what, sp.device, strlen(sp.device), X_ONE_DEVICE);
	}
	if (sp.device[0])
		memcpy(cfg->device, sp.device, sizeof(sp.device));

	if (sp.server.family)
		cfg->server = sp.server;
	if (sp.port)
		cfg->port = sp.port;
	if (sp.export_name)
		copy_field(cfg->export_name, export_name, strlen(export_name));
	if (sp.fstype)
		copy_field(cfg->fstype, sp.fstype, sp.fstype_len);
	if (sp.rootflags)
		copy_field(cfg->rootflags, sp.rootflags, sp.rootflags_len);
	if (sp.readonly >= 0)
		cfg->readonly = sp.readonly;
	for (k = 0; k < 3; k++) {
		uint32_t *dst = k == 0 ? &cfg->timeout : k == 1 ? &cfg->dead_timeout :
			&cfg->connections;

		if (sp.tun[k] != UNSET)
			*dst = sp.tun[k];
	}
	return 0;
}
