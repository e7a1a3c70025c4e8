/* cmdline_fail.c: the parsers' one-line messages (the offending text quoted and capped) and their plain decimal numbers. */
#include <string.h>

#include "cmdline.h"

#define QUOTE_CAP 64

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

static void put_str(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* The offending text may be anything a boot loader passed: keep the message
 * one printable line whatever it holds. */
static void put_quoted(struct out *o, const char *s, size_t len)
{
	/* a literal, which the linker shares with fmt.c's digits */
	const char *hex = "0123456789abcdef";
	size_t i, n = len > QUOTE_CAP ? QUOTE_CAP : len;

	put(o, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };

		if (c == '"' || c == '\\')
			put(o, esc, 1);
		if (c < 0x20 || c >= 0x7f)
			put(o, esc, 4);
		else
			put(o, s + i, 1);
	}
	if (n < len)
		put(o, "...", 3);
	put(o, "\"", 1);
}

int cmdline_fail(const struct cmdline_ctx *c, const char *what, const char *s, size_t len,
		 const char *expected)
{
	const char *q = what;
	struct out o;

	if (c->errlen == 0)
		return -1;
	o.p = c->err;
	o.left = c->errlen - 1;
	put_str(&o, c->param);
	put_str(&o, ": ");
	/* by hand: strstr would link klibc's memmem (300 bytes) for this one use */
	while (*q && !(q[0] == '%' && q[1] == 'q'))
		q++;
	if (*q) {
		put(&o, what, (size_t)(q - what));
		put_quoted(&o, s, len);
		what = q + 2;
	}
	put_str(&o, what);
	put_str(&o, ", expected ");
	put_str(&o, expected);
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
		if (d > max || v > (max - d) / 10)
			over = 1;
		else
			v = v * 10 + d;
	}
	if (over)
		return -2;
	*out = v;
	return 0;
}

void cmdline_join(char *dst, size_t size, const char *a, const char *b, const char *c,
		  const char *d)
{
	struct out o = { dst, size - 1 };

	put_str(&o, a);
	put_str(&o, b);
	put_str(&o, c);
	put_str(&o, d);
	*o.p = '\0';
}
