/* test-cmdline-vectors.c: every vector in kernel-cmdline/vectors.txt parses as stated, and lines split exactly as the kernel splits them. */
#include <ctype.h>
#include <stdint.h>

#include "addr.h"
#include "cmdline.h"
#include "unit.h"

#define MIN_VECTORS 60

static struct nbdroot_config cfg;
static char text[70000];
static size_t text_len;
static int have_input, is_rootpath, input_line, expectations;
static int vectors, error_vectors;

static int unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* inx: lines spell bytes a text file cannot hold: \n \t \r \\ \xNN \0 */
static int unescape(const char *s, char *out, size_t *outlen)
{
	size_t n = 0;

	while (*s) {
		char c = *s++;

		if (c == '\\') {
			c = *s++;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case '0': c = '\0'; break;
			case '\\': break;
			case 'x':
				if (unhex(s[0]) < 0 || unhex(s[1]) < 0)
					return -1;
				c = (char)(unhex(s[0]) << 4 | unhex(s[1]));
				s += 2;
				break;
			default:
				return -1;
			}
		}
		if (n >= sizeof(text))
			return -1;
		out[n++] = c;
	}
	*outlen = n;
	return 0;
}

static int is_key(const char *s, size_t len, const char *key)
{
	return strlen(key) == len && memcmp(s, key, len) == 0;
}

static int parse_input(char *err, size_t errlen)
{
	config_defaults(&cfg);
	if (is_rootpath)
		return rootspec_parse(text, text_len, "root-path", &cfg, err, errlen);
	/* garbage first: cmdline_parse must set every field itself */
	memset(&cfg, 0xa5, sizeof(cfg));
	return cmdline_parse(text, text_len, &cfg, err, errlen);
}

static const char *field(const char *key, char *buf, size_t size)
{
#define NUM(name, v) \
	if (strcmp(key, name) == 0) { snprintf(buf, size, "%llu", (unsigned long long)(v)); return buf; }
#define ADDR(name, a) \
	if (strcmp(key, name) == 0) { addr_format(&(a), buf, size); return buf; }
#define STRF(name, s) \
	if (strcmp(key, name) == 0) return (s);
	ADDR("SERVER", cfg.server)
	NUM("PORT", cfg.port)
	STRF("EXPORT", cfg.export_name)
	STRF("DEVICE", cfg.device)
	STRF("FSTYPE", cfg.fstype)
	STRF("ROOTFLAGS", cfg.rootflags)
	NUM("TIMEOUT", cfg.timeout)
	NUM("DEAD_TIMEOUT", cfg.dead_timeout)
	NUM("CONNECTIONS", cfg.connections)
	NUM("READONLY", cfg.readonly)
	NUM("DEBUG", cfg.debug)
	NUM("OVERLAY", cfg.overlay)
	STRF("OVERLAY_SIZE", cfg.overlay_size)
	NUM("DHCP", cfg.dhcp)
	NUM("NALT", cfg.nalt)
	ADDR("ALT1", cfg.alt[0])
	NUM("ALT1_PORT", cfg.alt_port[0])
	ADDR("ALT2", cfg.alt[1])
	NUM("ALT2_PORT", cfg.alt_port[1])
	ADDR("ALT3", cfg.alt[2])
	NUM("ALT3_PORT", cfg.alt_port[2])
	NUM("IP", cfg.ip.present)
	ADDR("IP_CLIENT", cfg.ip.client)
	ADDR("IP_SERVER", cfg.ip.server)
	ADDR("IP_GATEWAY", cfg.ip.gateway)
	ADDR("IP_NETMASK", cfg.ip.netmask)
	STRF("IP_HOSTNAME", cfg.ip.hostname)
	STRF("IP_DEVICE", cfg.ip.device)
	STRF("IP_AUTOCONF", cfg.ip.autoconf)
	NUM("SPEC", cfg.spec)
	STRF("BOOTIF", cfg.bootif)
	return NULL;
#undef NUM
#undef ADDR
#undef STRF
}

/* out: KEY=value KEY='value with spaces' ... */
static void check_out(char *s)
{
	char err[512];
	int rc;

	err[0] = '\0';
	rc = parse_input(err, sizeof(err));
	CHECK(rc == 0, "line %d: expected success, got \"%s\"", input_line, err);
	if (rc)
		return;
	while (*s) {
		char *key, *val, *end;
		char buf[64];
		const char *got;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		key = s;
		s = strchr(s, '=');
		if (!s) {
			CHECK(0, "line %d: out: \"%s\" has no '='", input_line, key);
			return;
		}
		*s++ = '\0';
		if (*s == '\'') {
			val = ++s;
			end = strchr(s, '\'');
			if (!end) {
				CHECK(0, "line %d: out: unterminated '", input_line);
				return;
			}
		} else {
			val = s;
			end = s + strcspn(s, " ");
		}
		s = *end ? end + 1 : end;
		*end = '\0';
		got = field(key, buf, sizeof(buf));
		CHECK(got != NULL, "line %d: unknown key %s", input_line, key);
		if (got)
			CHECK(strcmp(got, val) == 0, "line %d: %s is \"%s\", expected \"%s\"",
			      input_line, key, got, val);
	}
}

static void check_err(const char *want)
{
	char err[512];
	size_t i;
	int rc;

	memset(err, 'Z', sizeof(err));
	rc = parse_input(err, sizeof(err));
	CHECK(rc == -1, "line %d: expected an error containing \"%s\"", input_line, want);
	if (rc != -1)
		return;
	CHECK(memchr(err, '\0', sizeof(err)) != NULL, "line %d: unterminated message", input_line);
	err[sizeof(err) - 1] = '\0';
	CHECK(strstr(err, want) != NULL, "line %d: message \"%s\" lacks \"%s\"", input_line,
	      err, want);
	/* the contract: one printable line, "<param>: <what>, expected <what>" */
	for (i = 0; err[i]; i++)
		if (!isprint((unsigned char)err[i]))
			break;
	CHECK(err[i] == '\0', "line %d: non-printable byte in \"%s\"", input_line, err);
	CHECK(strstr(err, ": ") != NULL && strstr(err, ", expected ") != NULL,
	      "line %d: \"%s\" is not \"<param>: <what>, expected <what>\"", input_line, err);
	error_vectors++;
}

static void finish_vector(void)
{
	if (have_input && !expectations)
		CHECK(0, "line %d: input without out: or err:", input_line);
	have_input = 0;
}

/* A second, independent split: the kernel's in-place next_arg() algorithm
 * (kernel/params.c), which writes NULs into a copy of the line. in_quote
 * reports a quote left open at the end of the parameter. */
static char *ref_next_arg(char *args, char **param, char **val, int *in_quote_out)
{
	unsigned i, equals = 0;
	int in_quote = 0, quoted = 0;

	if (*args == '"') {
		args++;
		in_quote = 1;
		quoted = 1;
	}
	for (i = 0; args[i]; i++) {
		if (isspace((unsigned char)args[i]) && !in_quote)
			break;
		if (equals == 0 && args[i] == '=')
			equals = i;
		if (args[i] == '"')
			in_quote = !in_quote;
	}
	*in_quote_out = in_quote;
	*param = args;
	if (!equals) {
		*val = NULL;
	} else {
		args[equals] = '\0';
		*val = args + equals + 1;
		if (**val == '"') {
			(*val)++;
			if (args[i - 1] == '"')
				args[i - 1] = '\0';
		}
	}
	if (quoted && i > 0 && args[i - 1] == '"')
		args[i - 1] = '\0';
	if (args[i]) {
		args[i] = '\0';
		args += i + 1;
	} else {
		args += i;
	}
	while (isspace((unsigned char)*args))
		args++;
	return args;
}

/* What cmdline_parse must make of rootflags= in line (the only parameter
 * whose value it keeps verbatim): -1 for an error, else 0 and *value. */
static int ref_rootflags(const char *line, char *value)
{
	static char copy[256];
	char *args = copy, *param, *val;
	int open;

	snprintf(copy, sizeof(copy), "%s", line);
	value[0] = '\0';
	while (isspace((unsigned char)*args))
		args++;
	while (*args) {
		args = ref_next_arg(args, &param, &val, &open);
		if (!val && strcmp(param, "--") == 0)
			break;
		if (!val || strcmp(param, "rootflags") != 0)
			continue;
		if (open || strchr(val, '"') || strchr(val, '\t'))
			return -1;
		strcpy(value, val);
	}
	return 0;
}

static void test_split_like_kernel(void)
{
	static const char *const pieces[] = {
		"rootflags", "rootflags=", "=", "\"", "\"", " ", " ", "\t", "a", "bc", "--", "x=",
	};
	unsigned seed = 4242, n, bad = 0, errors = 0;

	for (n = 0; n < 300000; n++) {
		char line[200], want[256];
		size_t len = 0;
		int k, parts, want_rc, rc;

		seed = seed * 1103515245u + 12345u;
		parts = 1 + (int)((seed >> 16) % 12);
		for (k = 0; k < parts; k++) {
			const char *p;

			seed = seed * 1103515245u + 12345u;
			p = pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];
			memcpy(line + len, p, strlen(p));
			len += strlen(p);
		}
		line[len] = '\0';
		want_rc = ref_rootflags(line, want);
		rc = cmdline_parse(line, len, &cfg, text, sizeof(text));
		errors += rc != 0;
		if (rc != want_rc || (rc == 0 && strcmp(cfg.rootflags, want) != 0)) {
			if (bad++ < 5)
				fprintf(stderr, "[%s]: rc %d rootflags \"%s\", kernel split: rc %d \"%s\"\n",
					line, rc, rc ? "" : cfg.rootflags, want_rc, want);
		}
	}
	CHECK(bad == 0, "%u of 300000 random lines split unlike the kernel", bad);
	CHECK(errors > 1000 && errors < 299000, "%u errors: the generator is too one-sided", errors);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "kernel-cmdline/vectors.txt";
	static char line[70000];
	FILE *f = fopen(path, "r");
	int lineno = 0;

	if (!f) {
		perror(path);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(line), keylen;
		char *colon;

		lineno++;
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		colon = strstr(line, ": ");
		if (colon)
			keylen = (size_t)(colon - line);
		else if (strcmp(line, "in:") == 0)
			keylen = 2, colon = line + 1; /* the empty command line */
		else
			keylen = 0;
		if (keylen && (is_key(line, keylen, "in") || is_key(line, keylen, "inx") ||
			       is_key(line, keylen, "rootpath") ||
			       is_key(line, keylen, "rootpathx"))) {
			const char *t = colon[1] ? colon + 2 : "";

			finish_vector();
			have_input = 1;
			expectations = 0;
			input_line = lineno;
			is_rootpath = line[0] == 'r';
			vectors++;
			if (line[keylen - 1] == 'x') {
				CHECK(unescape(t, text, &text_len) == 0, "line %d: bad escape", lineno);
			} else {
				text_len = strlen(t);
				memcpy(text, t, text_len);
			}
		} else if (strncmp(line, "out:", 4) == 0 && have_input) {
			expectations++;
			check_out(line + 4);
		} else if (strncmp(line, "err: ", 5) == 0 && have_input && !expectations) {
			expectations++;
			check_err(line + 5);
		} else {
			CHECK(0, "line %d: not a vector line: %s", lineno, line);
		}
	}
	finish_vector();
	fclose(f);
	printf("test-cmdline-vectors: %d vectors from %s (%d expect an error)\n", vectors, path,
	       error_vectors);
	test_split_like_kernel();
	CHECK(vectors >= MIN_VECTORS, "only %d vectors ran, expected at least %d", vectors,
	      MIN_VECTORS);
	return unit_done("test-cmdline-vectors");
}
