/* cmdline.c: the kernel command line -> struct nbdroot_config, split the way the kernel's next_arg() splits it. */
#include <string.h>

#include "addr.h"
#include "cmdline.h"
#include "overlay_opt.h"

#define STR(x) #x
#define XSTR(x) STR(x)

void config_defaults(struct nbdroot_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->port = NBDROOT_DEFAULT_PORT;
	memcpy(cfg->device, NBDROOT_DEFAULT_DEVICE, sizeof(NBDROOT_DEFAULT_DEVICE));
	cfg->timeout = NBDROOT_DEFAULT_TIMEOUT;
	cfg->dead_timeout = NBDROOT_DEFAULT_DEAD_TIMEOUT;
	cfg->connections = NBDROOT_DEFAULT_CONNECTIONS;
	memcpy(cfg->overlay_size, NBDROOT_DEFAULT_OVERLAY_SIZE, sizeof(NBDROOT_DEFAULT_OVERLAY_SIZE));
}

struct arg {
	const char *name, *val; /* val NULL: the parameter had no '=' */
	size_t nlen, vlen;
	int open_quote; /* the kernel ran to the end looking for a closing '"' */
};

static int is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* One parameter starting at s[i] (not a space), cut as the kernel's
 * next_arg() cuts it: quotes protect spaces; a '"' opening the parameter or
 * its value is dropped, and so is the '"' that ends the parameter.
 * Returns the index just past the parameter. */
static size_t next_arg(const char *s, size_t len, size_t i, struct arg *a)
{
	size_t end, eq = 0;
	int in_quote = 0, quoted = 0, stripped = 0;

	if (s[i] == '"') {
		i++;
		in_quote = quoted = 1;
	}
	for (end = i; end < len; end++) {
		if (is_space(s[end]) && !in_quote)
			break;
		/* like the kernel, a '=' that starts the parameter does not count */
		if (!eq && end > i && s[end] == '=')
			eq = end;
		if (s[end] == '"')
			in_quote = !in_quote;
	}
	a->open_quote = in_quote;
	a->name = s + i;
	a->nlen = (eq ? eq : end) - i;
	a->val = eq ? s + eq + 1 : NULL;
	a->vlen = eq ? end - eq - 1 : 0;
	if (a->vlen > 0 && a->val[0] == '"') {
		a->val++;
		a->vlen--;
		/* the kernel drops the last byte if it is a '"', even the opening one */
		stripped = s[end - 1] == '"';
		if (stripped && a->vlen > 0)
			a->vlen--;
	}
	if (quoted && !stripped && end > i && s[end - 1] == '"') {
		if (a->val)
			a->vlen--;
		else
			a->nlen--;
	}
	return end;
}

/* Is the parameter's name `name`, which may end in the '=' that messages
 * show? The kernel treats '-' and '_' in parameter names alike. */
static int name_is(const struct arg *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->nlen; i++)
		if (!name[i] || (a->name[i] == '-' ? '_' : a->name[i]) != name[i])
			return 0;
	return !name[i] || name[i] == '=';
}

static int is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

/* Values of our parameters end up in shell assignments, device paths and
 * log lines: quotes and control bytes there are mistakes, not data. */
static int check_value(const struct cmdline_ctx *c, const struct arg *a)
{
	size_t i;

	if (a->open_quote)
		return cmdline_fail(c, "value %q has no closing '\"'", a->val, a->vlen,
				    "param=\"value\"");
	for (i = 0; i < a->vlen; i++) {
		unsigned char ch = (unsigned char)a->val[i];

		if (ch == '"')
			return cmdline_fail(c, "value %q has a stray '\"'", a->val, a->vlen,
					    "param=\"value\" quoted as a whole");
		if (ch < 0x20 || ch == 0x7f)
			return cmdline_fail(c, "value %q contains a control character", a->val,
					    a->vlen, "printable text");
	}
	return 0;
}


static int flag_value(const struct cmdline_ctx *c, const struct arg *a, int *out)
{
	static const char *const words[] = { "0", "1", "n", "y", "no", "yes", "off", "on",
					     "false", "true" };
	unsigned i;

	for (i = 0; a->val && i < sizeof(words) / sizeof(words[0]); i++) {
		if (is(a->val, a->vlen, words[i])) {
			*out = (int)(i & 1);
			return 0;
		}
	}
	if (!a->val) {
		*out = 1;
		return 0;
	}
	return cmdline_fail(c, "value %q is not a boolean", a->val, a->vlen,
			    "1, 0, y, n, yes, no, on, off, true or false");
}

static int number_value(const struct cmdline_ctx *c, const struct arg *a, uint32_t lo,
			uint32_t hi, const char *expected, uint32_t *out)
{
	int rc = a->val ? cmdline_number(a->val, a->vlen, hi, out) : -1;

	if (rc == 0 && *out >= lo)
		return 0;
	return cmdline_fail(c, rc == -1 ? "value %q is not a number" : "value %q is out of range",
			    a->val ? a->val : "", a->vlen, expected);
}

/* Root specs, strongest first: our own names, then dracut's (where root=
 * beats netroot=, as in dracut's parse-nbdroot.sh). */
enum { SPEC_NBDROOT, SPEC_NBD_ROOT_SERVER, SPEC_ROOT, SPEC_NETROOT, SPEC_COUNT };

/* Our parameters; the first SPEC_COUNT are root specs, in precedence order. */
enum { P_TIMEOUT = SPEC_COUNT, P_DEAD_TIMEOUT, P_CONNECTIONS, P_DEVICE, P_NBDDEV, P_RO,
       P_DEBUG, P_OVERLAY, P_OVERLAY_SIZE, P_IP, P_ROOTFSTYPE, P_ROOTFLAGS, P_BOOTIF, P_COUNT };

/* The parameters that name the device, besides a root spec's <server>,<export>,<nbdN> */
enum { DEV_DEVICE, DEV_NBDDEV, DEV_ROOT, DEV_COUNT };
static const char *const dev_params[DEV_COUNT] = { "nbdroot.device=", "nbddev=", "root=" };

/* As messages name them */
static const char *const param_names[P_COUNT] = {
	"nbdroot=", "nbd.root_server=", "root=", "netroot=",
	"nbdroot.timeout=", "nbdroot.dead_timeout=", "nbdroot.connections=",
	"nbdroot.device=", "nbddev=", "nbdroot.ro=", "nbdroot.debug=",
	"nbdroot.overlay=", "nbdroot.overlay_size=", "ip=", "rootfstype=", "rootflags=", "BOOTIF=",
};

static const uint32_t tun_lo[3] = { 1, 0, 1 };
static const uint32_t tun_hi[3] = { 86400, 604800, NBDROOT_MAX_CONNECTIONS };
static const char *const tun_expected[3] = {
	"1..86400 (seconds)", "0..604800 (seconds)", ("1.." XSTR(NBDROOT_MAX_CONNECTIONS)),
};

struct spec_slot {
	int set, dhcp;
	const char *val;
	size_t vlen;
};

struct state {
	struct nbdroot_config *cfg;
	struct nbdroot_config scratch;
	struct spec_slot slots[SPEC_COUNT];
	int readonly; /* -1: not given */
	int tun_set[3];
	uint32_t tun[3]; /* timeout, dead_timeout, connections */
	char dev[DEV_COUNT][64]; /* "": not named */
	const char *dev_val[DEV_COUNT]; /* as given, for messages */
	size_t dev_len[DEV_COUNT];
	char *err;
	size_t errlen;
};

static int apply_spec(struct state *st, int k, struct nbdroot_config *cfg)
{
	if (st->slots[k].dhcp) {
		cfg->dhcp = 1;
		return 0;
	}
	cfg->spec = 1;
	return rootspec_parse(st->slots[k].val, st->slots[k].vlen, param_names[k], cfg, st->err,
			      st->errlen);
}


/* nbdroot.alt_server=<server>[:<port>], repeatable */
static int alt_server(struct state *st, const struct arg *a)
{
	struct nbdroot_config *cfg = st->cfg;
	struct cmdline_ctx c = { st->err, st->errlen, "nbdroot.alt_server=" };
	uint32_t n = cfg->nalt;

	if (n == NBDROOT_MAX_ALT)
		return cmdline_fail(&c, "%q is one too many", a->val ? a->val : "", a->vlen,
				    "at most " XSTR(NBDROOT_MAX_ALT) " alternate servers");
	if (rootspec_server(a->val ? a->val : "", a->vlen, c.param, &cfg->alt[n],
			    &cfg->alt_port[n], st->err, st->errlen))
		return -1;
	cfg->nalt = n + 1;
	return 0;
}

/* Every parameter that names the device must name the same one: the init
 * mounts root=, so attaching another disk could only fail later. Leaves it
 * (or "") in cfg->device for the root spec's own <nbdN> to agree with. */
static int one_device(struct state *st)
{
	struct cmdline_ctx c = { st->err, st->errlen, NULL };
	char what[80];
	int d, first = -1;

	for (d = 0; d < DEV_COUNT; d++) {
		if (!st->dev[d][0])
			continue;
		if (first < 0) {
			first = d;
			continue;
		}
		if (strcmp(st->dev[d], st->dev[first]) == 0)
			continue;
		c.param = dev_params[d];
		cmdline_join(what, sizeof(what), "device %q is not ", st->dev[first],
			     " from ", dev_params[first]);
		return cmdline_fail(&c, what, st->dev_val[d], st->dev_len[d], X_ONE_DEVICE);
	}
	if (first < 0)
		st->cfg->device[0] = '\0';
	else
		memcpy(st->cfg->device, st->dev[first], sizeof(st->dev[first]));
	return 0;
}

static int one_arg(struct state *st, const struct arg *a)
{
	struct nbdroot_config *cfg = st->cfg;
	struct cmdline_ctx c;
	const char *param;
	int k;

	if (name_is(a, "nbdroot.alt_server="))
		return alt_server(st, a);
	for (k = 0; k < P_COUNT; k++)
		if (name_is(a, param_names[k]))
			break;
	if (k == P_COUNT) {
		/* nbdroot.shell belongs to the init (initramfs/config.c); a typo in
		 * one of ours would otherwise silently boot with a default */
		if (a->nlen >= 8 && memcmp(a->name, "nbdroot.", 8) == 0 &&
		    !name_is(a, "nbdroot.shell")) {
			c.err = st->err;
			c.errlen = st->errlen;
			c.param = "nbdroot.*";
			return cmdline_fail(&c, "unknown parameter %q", a->name, a->nlen,
					    "nbdroot. and timeout, dead_timeout, connections, "
					    "device, ro, debug, overlay, overlay_size, alt_server "
					    "or shell");
		}
		return 0; /* someone else's parameter */
	}
	if (k == SPEC_ROOT)
		st->dev[DEV_ROOT][0] = '\0'; /* the last root= wins */
	/* root=/dev/nbdN[pM] picks the device (nbd-client's script reads it) */
	if (k == SPEC_ROOT && a->val && nbd_device_like(a->val, a->vlen)) {
		st->slots[k].set = 0;
		k = P_NBDDEV;
	}
	/* dracut's names are shared with other root types: only nbd: and dhcp are ours */
	if ((k == SPEC_ROOT || k == SPEC_NETROOT) &&
	    !(a->val && ((a->vlen >= 4 && memcmp(a->val, "nbd:", 4) == 0) ||
			 is(a->val, a->vlen, "dhcp")))) {
		/* root=/dev/sda after root=nbd:... wins, as it does for the init */
		st->slots[k].set = 0;
		return 0;
	}
	if (!a->val && k >= P_IP)
		return 0; /* a bare "ip" is not the kernel's ip= either */
	param = param_names[k];
	if (k == P_NBDDEV && !name_is(a, param))
		param = "root=";
	c.err = st->err;
	c.errlen = st->errlen;
	c.param = param;
	if (a->val && check_value(&c, a))
		return -1;
	if (k < SPEC_COUNT) {
		struct spec_slot *slot = &st->slots[k];

		slot->set = 1;
		slot->val = a->val;
		slot->vlen = a->vlen;
		slot->dhcp = a->vlen == 0 || is(a->val, a->vlen, "dhcp");
		/* every occurrence must be valid, even one a later one overrides */
		config_defaults(&st->scratch);
		st->scratch.device[0] = '\0';
		return apply_spec(st, k, &st->scratch);
	}
	switch (k) {
	case P_TIMEOUT:
	case P_DEAD_TIMEOUT:
	case P_CONNECTIONS:
		k -= P_TIMEOUT;
		st->tun_set[k] = 1;
		return number_value(&c, a, tun_lo[k], tun_hi[k], tun_expected[k], &st->tun[k]);
	case P_DEVICE:
	case P_NBDDEV: {
		/* nbddev= and root= may name a partition (nbd-client drops it) */
		int d = k == P_DEVICE ? DEV_DEVICE : param[0] == 'r' ? DEV_ROOT : DEV_NBDDEV;

		st->dev_val[d] = a->val ? a->val : "";
		st->dev_len[d] = a->vlen;
		if (a->val && nbd_device(a->val, a->vlen, d != DEV_DEVICE, st->dev[d]) == 0)
			return 0;
		st->dev[d][0] = '\0';
		return cmdline_fail(&c, "device %q is not an NBD device", st->dev_val[d], a->vlen,
				    X_NBD_DEVICE);
	}
	case P_RO:
		return flag_value(&c, a, &st->readonly);
	case P_DEBUG:
		return flag_value(&c, a, &cfg->debug);
	case P_OVERLAY:
		return overlay_type(&c, a->val, a->vlen, &cfg->overlay);
	case P_OVERLAY_SIZE:
		return overlay_size(&c, a->val, a->vlen, cfg->overlay_size);
	case P_IP:
		return cmdline_ip(&c, a->val, a->vlen, &cfg->ip);
	case P_BOOTIF:
		return cmdline_bootif(&c, a->val, a->vlen, cfg->bootif);
	default: {
		char *dst = k == P_ROOTFSTYPE ? cfg->fstype : cfg->rootflags;
		size_t size = k == P_ROOTFSTYPE ? sizeof(cfg->fstype) : sizeof(cfg->rootflags);

		if (a->vlen >= size)
			return cmdline_fail(&c, "value %q is too long", a->val, a->vlen,
					    k == P_ROOTFSTYPE ? "at most 31 bytes" :
					    "at most 255 bytes");
		memcpy(dst, a->val, a->vlen);
		dst[a->vlen] = '\0';
		return 0;
	}
	}
}

int cmdline_parse(const char *text, size_t len, struct nbdroot_config *cfg,
		  char *err, size_t errlen)
{
	struct state st;
	size_t i = 0;
	int k;

	memset(&st, 0, sizeof(st));
	st.cfg = cfg;
	st.err = err;
	st.errlen = errlen;
	st.readonly = -1;
	if (errlen)
		err[0] = '\0';
	config_defaults(cfg);
	for (;;) {
		struct arg a;

		while (i < len && is_space(text[i]))
			i++;
		if (i == len)
			break;
		i = next_arg(text, len, i, &a);
		/* the kernel hands everything after a bare "--" to init */
		if (!a.val && is(a.name, a.nlen, "--"))
			break;
		if (one_arg(&st, &a))
			return -1;
	}
	if (one_device(&st))
		return -1;
	for (k = 0; k < SPEC_COUNT; k++) {
		if (st.slots[k].set) {
			if (apply_spec(&st, k, cfg))
				return -1;
			break;
		}
	}
	if (!cfg->device[0])
		memcpy(cfg->device, NBDROOT_DEFAULT_DEVICE, sizeof(NBDROOT_DEFAULT_DEVICE));
	/* nbdroot.* beat the nbdopts of a dracut spec, whatever the order */
	if (st.tun_set[0])
		cfg->timeout = st.tun[0];
	if (st.tun_set[1])
		cfg->dead_timeout = st.tun[1];
	if (st.tun_set[2])
		cfg->connections = st.tun[2];
	if (st.readonly >= 0)
		cfg->readonly = st.readonly;
	/* the shared image is never written, whatever the server advertises */
	if (cfg->overlay)
		cfg->readonly = 1;
	return 0;
}
