/* cmdline.c: the kernel command line -> struct nbdroot_config, split the way the kernel's next_arg() splits it. */
#include <string.h>

#include "addr.h"
#include "cmdline.h"

#define QUOTE_CAP 64
#define STR(x) #x
#define XSTR(x) STR(x)

struct out {
	char *p;
	size_t left; /* room before the terminating NUL */
};

static void put(struct out *o, const char *s, size_t n)
{
	if (n > o->left)
		n = o->left;
	memcpy(o->p, s, n);
	o->p += n;
	o->left -= n;
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* The offending text may be anything a boot loader passed: keep the message
 * one printable line whatever it holds. */
static void put_quoted(struct out *o, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, n = len > QUOTE_CAP ? QUOTE_CAP : len;

	put(o, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };

		if (c == '"' || c == '\\')
			put(o, esc, 1), put(o, (const char *)&s[i], 1);
		else if (c < 0x20 || c >= 0x7f)
			put(o, esc, 4);
		else
			put(o, (const char *)&s[i], 1);
	}
	if (n < len)
		put(o, "...", 3);
	put(o, "\"", 1);
}

int cmdline_fail(char *err, size_t errlen, const char *param, const char *fmt,
		 const char *s, size_t len)
{
	const char *q = strstr(fmt, "%q");
	struct out o;

	if (errlen == 0)
		return -1;
	o.p = err;
	o.left = errlen - 1;
	puts_(&o, param);
	puts_(&o, ": ");
	if (q) {
		put(&o, fmt, (size_t)(q - fmt));
		put_quoted(&o, s, len);
		puts_(&o, q + 2);
	} else {
		puts_(&o, fmt);
	}
	*o.p = '\0';
	return -1;
}

int cmdline_number(const char *s, size_t len, uint32_t max, uint32_t *out)
{
	uint32_t v = 0;
	int over = 0;
	size_t i;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		uint32_t d = (uint32_t)(s[i] - '0');

		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (max - d) / 10 || d > max)
			over = 1;
		else
			v = v * 10 + d;
	}
	if (over)
		return -2;
	*out = v;
	return 0;
}

void config_defaults(struct nbdroot_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->port = NBDROOT_DEFAULT_PORT;
	memcpy(cfg->device, NBDROOT_DEFAULT_DEVICE, sizeof(NBDROOT_DEFAULT_DEVICE));
	cfg->timeout = NBDROOT_DEFAULT_TIMEOUT;
	cfg->dead_timeout = NBDROOT_DEFAULT_DEAD_TIMEOUT;
	cfg->connections = NBDROOT_DEFAULT_CONNECTIONS;
}

/* a + b into dst, for messages assembled from a field name and a template */
static const char *join(char *dst, size_t size, const char *a, const char *b)
{
	struct out o = { dst, size - 1 };

	puts_(&o, a);
	puts_(&o, b);
	*o.p = '\0';
	return dst;
}

struct arg {
	const char *name, *val; /* val NULL: the parameter had no '=' */
	size_t nlen, vlen;
	int open_quote; /* the kernel ran to the end looking for a closing '"' */
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* One parameter starting at s[i] (not a space), exactly as the kernel's
 * next_arg() cuts it: quotes protect spaces, a leading '"' of the whole
 * parameter or of its value is dropped together with the final '"'.
 * Returns the index just past the parameter. */
static size_t next_arg(const char *s, size_t len, size_t i, struct arg *a)
{
	size_t start, end, eq = 0;
	int in_quote = 0, quoted = 0, have_eq = 0, stripped = 0;

	if (s[i] == '"') {
		i++;
		in_quote = quoted = 1;
	}
	start = i;
	for (end = i; end < len; end++) {
		if (is_space(s[end]) && !in_quote)
			break;
		if (!have_eq && s[end] == '=') {
			have_eq = 1;
			eq = end;
		}
		if (s[end] == '"')
			in_quote = !in_quote;
	}
	a->open_quote = in_quote;
	a->name = s + start;
	if (!have_eq) {
		a->nlen = end - start;
		a->val = NULL;
		a->vlen = 0;
		if (quoted && a->nlen > 0 && a->name[a->nlen - 1] == '"')
			a->nlen--;
		return end;
	}
	a->nlen = eq - start;
	a->val = s + eq + 1;
	a->vlen = end - eq - 1;
	if (a->vlen > 0 && a->val[0] == '"') {
		a->val++;
		a->vlen--;
		if (a->vlen > 0 && a->val[a->vlen - 1] == '"') {
			a->vlen--;
			stripped = 1;
		}
	}
	if (quoted && !stripped && a->vlen > 0 && a->val[a->vlen - 1] == '"')
		a->vlen--;
	return end;
}

/* The kernel treats '-' and '_' in parameter names alike. */
static int name_is(const struct arg *a, const char *name)
{
	size_t i, n = strlen(name);

	if (a->nlen != n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = a->name[i] == '-' ? '_' : a->name[i];

		if (c != name[i])
			return 0;
	}
	return 1;
}

static int is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

/* Values of our parameters end up in shell assignments, device paths and
 * log lines: quotes and control bytes there are mistakes, not data. */
static int check_value(const char *param, const struct arg *a, char *err, size_t errlen)
{
	size_t i;

	if (a->open_quote)
		return cmdline_fail(err, errlen, param, "value %q has no closing '\"', "
				    "expected param=\"value\"", a->val, a->vlen);
	for (i = 0; i < a->vlen; i++) {
		unsigned char c = (unsigned char)a->val[i];

		if (c == '"')
			return cmdline_fail(err, errlen, param, "value %q has a stray '\"', "
					    "expected param=\"value\" quoted as a whole",
					    a->val, a->vlen);
		if (c < 0x20 || c == 0x7f)
			return cmdline_fail(err, errlen, param, "value %q contains a control "
					    "character, expected printable text", a->val, a->vlen);
	}
	return 0;
}

static const char *const autoconf_names[] = {
	"off", "none", "on", "any", "dhcp", "bootp", "rarp", "both",
	"dhcp6", "auto6", "either6", "link6", "ibft", "single-dhcp",
};

#define EXPECT_AUTOCONF "expected off, none, on, any, dhcp, bootp, rarp, both, " \
	"dhcp6, auto6, either6, link6, ibft or single-dhcp"

static int autoconf_known(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(autoconf_names) / sizeof(autoconf_names[0]); i++)
		if (is(s, len, autoconf_names[i]))
			return 1;
	return 0;
}

static int ip_addr(const char *what, const char *s, size_t len, struct nbdroot_addr *out,
		   char *err, size_t errlen)
{
	char fmt[160];

	if (len == 0)
		return 0;
	if (addr_parse(s, len, out) == 0 && out->family == 4)
		return 0;
	return cmdline_fail(err, errlen, "ip=", join(fmt, sizeof(fmt), what,
			    " %q is not an IPv4 address, expected a dotted quad such as "
			    "10.0.0.1 (ip= is IPv4 only)"), s, len);
}

static int ip_name(const char *what, const char *s, size_t len, char *dst, size_t size,
		   char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';

		if (!ok || len >= size) {
			if (what[0] == 'h')
				return cmdline_fail(err, errlen, "ip=", "hostname %q is not valid, "
						    "expected at most 64 letters, digits, '-', "
						    "'.' or '_'", s, len);
			return cmdline_fail(err, errlen, "ip=", "device %q is not a valid "
					    "interface name, expected at most 15 letters, digits, "
					    "'-', '.' or '_'", s, len);
		}
	}
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

static int ip_autoconf(const char *s, size_t len, struct nbdroot_ipconf *ip,
		       char *err, size_t errlen)
{
	if (len == 0)
		return 0;
	if (!autoconf_known(s, len))
		return cmdline_fail(err, errlen, "ip=", "autoconf %q is not known, "
				    EXPECT_AUTOCONF, s, len);
	memcpy(ip->autoconf, s, len);
	ip->autoconf[len] = '\0';
	return 0;
}

static int netmask_ok(const struct nbdroot_addr *m)
{
	uint32_t v = (uint32_t)m->bytes[0] << 24 | (uint32_t)m->bytes[1] << 16 |
		     (uint32_t)m->bytes[2] << 8 | m->bytes[3];

	/* contiguous: the inverted mask plus one is a power of two (or zero) */
	v = ~v;
	return (v & (v + 1)) == 0;
}

/* ip=<client>:<server>:<gw>:<netmask>:<host>:<dev>:<autoconf>[:<dns0>[:<dns1>[:<ntp0>]]]
 * (the kernel's), ip=<autoconf>, ip=<dev>:<autoconf> (dracut's). */
static int parse_ip(const char *v, size_t len, struct nbdroot_ipconf *ip,
		    char *err, size_t errlen)
{
	const char *f[10];
	size_t flen[10], n = 0, i = 0;
	struct nbdroot_addr unused;

	memset(ip, 0, sizeof(*ip));
	ip->present = 1;
	if (len == 0) {
		/* the kernel reads an empty ip= as "off" */
		memcpy(ip->autoconf, "off", 4);
		return 0;
	}
	if (autoconf_known(v, len))
		return ip_autoconf(v, len, ip, err, errlen);
	if (memchr(v, '[', len))
		return cmdline_fail(err, errlen, "ip=", "%q has a bracketed IPv6 address, "
				    "expected IPv4 addresses only (the kernel's ip= grammar)",
				    v, len);
	for (;;) {
		const char *colon = memchr(v + i, ':', len - i);

		if (n == 10)
			return cmdline_fail(err, errlen, "ip=", "%q has more than 10 fields, "
					    "expected <client>:<server>:<gw>:<netmask>:<host>:"
					    "<dev>:<autoconf>[:<dns0>[:<dns1>[:<ntp0>]]]", v, len);
		f[n] = v + i;
		flen[n] = colon ? (size_t)(colon - (v + i)) : len - i;
		n++;
		if (!colon)
			break;
		i = (size_t)(colon - v) + 1;
	}
	/* dracut's <dev>:<autoconf>: a first field without dots is no address */
	if (n > 1 && flen[0] > 0 && !memchr(f[0], '.', flen[0]) &&
	    !memchr(f[0], ':', flen[0])) {
		if (n > 2)
			return cmdline_fail(err, errlen, "ip=", "%q has extra fields, expected "
					    "<dev>:<autoconf> (mtu and macaddr are not supported)",
					    v, len);
		if (ip_name("device", f[0], flen[0], ip->device, sizeof(ip->device), err, errlen))
			return -1;
		if (flen[1] == 0)
			return cmdline_fail(err, errlen, "ip=", "%q has an empty autoconf, "
					    EXPECT_AUTOCONF, v, len);
		return ip_autoconf(f[1], flen[1], ip, err, errlen);
	}
	while (n < 10) {
		f[n] = v + len;
		flen[n++] = 0;
	}
	if (ip_addr("client address", f[0], flen[0], &ip->client, err, errlen) ||
	    ip_addr("server address", f[1], flen[1], &ip->server, err, errlen) ||
	    ip_addr("gateway", f[2], flen[2], &ip->gateway, err, errlen) ||
	    ip_addr("netmask", f[3], flen[3], &ip->netmask, err, errlen) ||
	    (flen[4] && ip_name("hostname", f[4], flen[4], ip->hostname,
				sizeof(ip->hostname), err, errlen)) ||
	    (flen[5] && ip_name("device", f[5], flen[5], ip->device, sizeof(ip->device),
				err, errlen)) ||
	    ip_autoconf(f[6], flen[6], ip, err, errlen) ||
	    ip_addr("dns0", f[7], flen[7], &unused, err, errlen) ||
	    ip_addr("dns1", f[8], flen[8], &unused, err, errlen) ||
	    ip_addr("ntp0", f[9], flen[9], &unused, err, errlen))
		return -1;
	if (ip->netmask.family && !netmask_ok(&ip->netmask))
		return cmdline_fail(err, errlen, "ip=", "netmask %q is not contiguous, "
				    "expected ones then zeros such as 255.255.255.0",
				    f[3], flen[3]);
	return 0;
}

static int flag_value(const char *param, const struct arg *a, int *out,
		      char *err, size_t errlen)
{
	static const char *const yes[] = { "1", "y", "yes", "on", "true" };
	static const char *const no[] = { "0", "n", "no", "off", "false" };
	unsigned i;

	if (!a->val) {
		*out = 1;
		return 0;
	}
	for (i = 0; i < 5; i++) {
		if (is(a->val, a->vlen, yes[i])) {
			*out = 1;
			return 0;
		}
		if (is(a->val, a->vlen, no[i])) {
			*out = 0;
			return 0;
		}
	}
	return cmdline_fail(err, errlen, param, "value %q is not a boolean, expected 1, 0, "
			    "y, n, yes, no, on, off, true or false", a->val, a->vlen);
}

static int number_value(const char *param, const struct arg *a, uint32_t lo, uint32_t hi,
			const char *expected, uint32_t *out, char *err, size_t errlen)
{
	char fmt[128];
	int rc;

	rc = a->val ? cmdline_number(a->val, a->vlen, hi, out) : -1;
	if (rc == 0 && *out >= lo)
		return 0;
	return cmdline_fail(err, errlen, param, join(fmt, sizeof(fmt), rc == -1 ?
			    "value %q is not a number, expected " :
			    "value %q is out of range, expected ", expected),
			    a->val ? a->val : "", a->vlen);
}

/* /dev/nbdN or nbdN, N a decimal without leading zeros. */
static int device_value(const struct arg *a, char *dst, char *err, size_t errlen)
{
	const char *s = a->val;
	size_t len = a->vlen, skip = 0;
	uint32_t n;

	if (s && len >= 5 && memcmp(s, "/dev/", 5) == 0)
		skip = 5;
	if (!s || len - skip < 4 || memcmp(s + skip, "nbd", 3) != 0 ||
	    cmdline_number(s + skip + 3, len - skip - 3, 65535, &n) ||
	    (s[skip + 3] == '0' && len - skip > 4))
		return cmdline_fail(err, errlen, "nbdroot.device=", "device %q is not an NBD "
				    "device, expected /dev/nbd<N> or nbd<N> (N in 0..65535)",
				    s ? s : "", len);
	memcpy(dst, "/dev/", 5);
	memcpy(dst + 5, s + skip, len - skip);
	dst[5 + len - skip] = '\0';
	return 0;
}

static int copy_value(const char *param, const struct arg *a, char *dst, size_t size,
		      const char *expected, char *err, size_t errlen)
{
	if (check_value(param, a, err, errlen))
		return -1;
	if (a->vlen >= size)
		return cmdline_fail(err, errlen, param, expected, a->val, a->vlen);
	memcpy(dst, a->val, a->vlen);
	dst[a->vlen] = '\0';
	return 0;
}

/* Root specs, strongest first: our own names, then dracut's (where root=
 * beats netroot=, as in dracut's parse-nbdroot.sh). */
enum { SPEC_NBDROOT, SPEC_NBD_ROOT_SERVER, SPEC_ROOT, SPEC_NETROOT, SPEC_COUNT };

static const char *const spec_names[SPEC_COUNT] = {
	"nbdroot", "nbd.root_server", "root", "netroot",
};
static const char *const spec_params[SPEC_COUNT] = {
	"nbdroot=", "nbd.root_server=", "root=", "netroot=",
};

struct spec_slot {
	int set;
	int dhcp;
	const char *val;
	size_t vlen;
};

/* dracut's names are shared with other root types: only their nbd: and
 * dhcp values are ours. */
static int spec_is_ours(int k, const struct arg *a)
{
	if (k <= SPEC_NBD_ROOT_SERVER)
		return 1;
	return a->val && ((a->vlen >= 4 && memcmp(a->val, "nbd:", 4) == 0) ||
			  is(a->val, a->vlen, "dhcp"));
}

static int apply_spec(int k, const struct spec_slot *slot, struct nbdroot_config *cfg,
		      char *err, size_t errlen)
{
	if (slot->dhcp) {
		cfg->dhcp = 1;
		return 0;
	}
	return rootspec_parse(slot->val, slot->vlen, spec_params[k], cfg, err, errlen);
}

struct tunables {
	int timeout_set, dead_timeout_set, connections_set, readonly;
	uint32_t timeout, dead_timeout, connections;
};

enum { T_TIMEOUT, T_DEAD_TIMEOUT, T_CONNECTIONS, T_DEVICE, T_RO, T_DEBUG, T_COUNT };

static const char *const tunable_names[T_COUNT] = {
	"nbdroot.timeout", "nbdroot.dead_timeout", "nbdroot.connections",
	"nbdroot.device", "nbdroot.ro", "nbdroot.debug",
};
static const char *const tunable_params[T_COUNT] = {
	"nbdroot.timeout=", "nbdroot.dead_timeout=", "nbdroot.connections=",
	"nbdroot.device=", "nbdroot.ro=", "nbdroot.debug=",
};

static int tunable(const struct arg *a, struct nbdroot_config *cfg, struct tunables *t,
		   char *err, size_t errlen)
{
	const char *param;
	int k;

	for (k = 0; k < T_COUNT; k++)
		if (name_is(a, tunable_names[k]))
			break;
	/* a typo here would otherwise silently boot with a default */
	if (k == T_COUNT)
		return cmdline_fail(err, errlen, "nbdroot.*", "unknown parameter %q, expected "
				    "nbdroot.timeout, nbdroot.dead_timeout, nbdroot.connections, "
				    "nbdroot.device, nbdroot.ro or nbdroot.debug", a->name, a->nlen);
	param = tunable_params[k];
	if (a->val && check_value(param, a, err, errlen))
		return -1;
	switch (k) {
	case T_TIMEOUT:
		t->timeout_set = 1;
		return number_value(param, a, 1, 86400, "1..86400 (seconds)", &t->timeout,
				    err, errlen);
	case T_DEAD_TIMEOUT:
		t->dead_timeout_set = 1;
		return number_value(param, a, 0, 604800, "0..604800 (seconds)",
				    &t->dead_timeout, err, errlen);
	case T_CONNECTIONS:
		t->connections_set = 1;
		return number_value(param, a, 1, NBDROOT_MAX_CONNECTIONS,
				    "1.." XSTR(NBDROOT_MAX_CONNECTIONS), &t->connections,
				    err, errlen);
	case T_DEVICE:
		return device_value(a, cfg->device, err, errlen);
	case T_RO:
		return flag_value(param, a, &t->readonly, err, errlen);
	default:
		return flag_value(param, a, &cfg->debug, err, errlen);
	}
}

static int one_arg(const struct arg *a, struct nbdroot_config *cfg, struct spec_slot *slots,
		   struct tunables *t, struct nbdroot_config *scratch, char *err, size_t errlen)
{
	int k;

	for (k = 0; k < SPEC_COUNT; k++) {
		struct spec_slot *slot = &slots[k];

		if (!name_is(a, spec_names[k]))
			continue;
		if (!spec_is_ours(k, a)) {
			/* root=/dev/sda after root=nbd:... wins, as it does for the init */
			slot->set = 0;
			return 0;
		}
		if (a->val && check_value(spec_params[k], a, err, errlen))
			return -1;
		slot->set = 1;
		slot->val = a->val;
		slot->vlen = a->vlen;
		slot->dhcp = !a->val || a->vlen == 0 || is(a->val, a->vlen, "dhcp");
		/* every occurrence must be valid, even one a later one overrides */
		config_defaults(scratch);
		return apply_spec(k, slot, scratch, err, errlen);
	}
	if (a->nlen >= 8 && memcmp(a->name, "nbdroot.", 8) == 0)
		return tunable(a, cfg, t, err, errlen);
	if (name_is(a, "ip") && a->val) {
		if (check_value("ip=", a, err, errlen))
			return -1;
		return parse_ip(a->val, a->vlen, &cfg->ip, err, errlen);
	}
	if (name_is(a, "rootfstype") && a->val)
		return copy_value("rootfstype=", a, cfg->fstype, sizeof(cfg->fstype),
				  "value %q is too long, expected at most 31 bytes", err, errlen);
	if (name_is(a, "rootflags") && a->val)
		return copy_value("rootflags=", a, cfg->rootflags, sizeof(cfg->rootflags),
				  "value %q is too long, expected at most 255 bytes", err, errlen);
	return 0; /* someone else's parameter */
}

int cmdline_parse(const char *text, size_t len, struct nbdroot_config *cfg,
		  char *err, size_t errlen)
{
	struct nbdroot_config scratch;
	struct spec_slot slots[SPEC_COUNT];
	struct tunables t;
	size_t i = 0;
	int k;

	if (errlen)
		err[0] = '\0';
	config_defaults(cfg);
	memset(slots, 0, sizeof(slots));
	memset(&t, 0, sizeof(t));
	t.readonly = -1;
	for (;;) {
		struct arg a;

		while (i < len && is_space(text[i]))
			i++;
		if (i == len)
			break;
		i = next_arg(text, len, i, &a);
		/* the kernel hands everything after a bare "--" to init */
		if (!a.val && a.nlen == 2 && memcmp(a.name, "--", 2) == 0)
			break;
		if (one_arg(&a, cfg, slots, &t, &scratch, err, errlen))
			return -1;
	}
	for (k = 0; k < SPEC_COUNT; k++) {
		if (!slots[k].set)
			continue;
		if (apply_spec(k, &slots[k], cfg, err, errlen))
			return -1;
		break;
	}
	if (t.timeout_set)
		cfg->timeout = t.timeout;
	if (t.dead_timeout_set)
		cfg->dead_timeout = t.dead_timeout;
	if (t.connections_set)
		cfg->connections = t.connections;
	if (t.readonly >= 0)
		cfg->readonly = t.readonly;
	return 0;
}
