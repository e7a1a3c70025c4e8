/* addr.c: strict IPv4/IPv6 literal parsing and RFC 5952 formatting, because klibc's inet_pton cannot do IPv6. */
#include <stdio.h>
#include <string.h>

#include "addr.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Leading zeros are refused because inet_aton() and friends read them as
 * octal: "010.0.0.1" means 8.0.0.1 to some tools and 10.0.0.1 to others. */
static int parse4(const char *s, size_t len, uint8_t *b)
{
	size_t i = 0;
	int part;

	for (part = 0; part < 4; part++) {
		unsigned v = 0;
		size_t start = i;

		if (part > 0) {
			if (i >= len || s[i] != '.')
				return -1;
			start = ++i;
		}
		while (i < len && s[i] >= '0' && s[i] <= '9' && i - start < 3)
			v = v * 10 + (unsigned)(s[i++] - '0');
		if (i == start || v > 255 || (s[start] == '0' && i - start > 1))
			return -1;
		b[part] = (uint8_t)v;
	}
	return i == len ? 0 : -1;
}

static int parse6(const char *s, size_t len, uint8_t *b)
{
	uint8_t w[16];
	size_t i = 0, n = 0;
	int gap = -1;

	memset(w, 0, sizeof(w));
	if (len >= 1 && s[0] == ':') {
		/* a single leading colon is never valid; "::" is */
		if (len < 2 || s[1] != ':')
			return -1;
		gap = 0;
		i = 2;
	}
	while (i < len) {
		size_t start = i;
		unsigned v = 0;
		int d;

		if (n == 16)
			return -1;
		while (i < len && i - start < 5 && (d = hexval(s[i])) >= 0) {
			v = v << 4 | (unsigned)d;
			i++;
		}
		if (i < len && s[i] == '.') {
			/* the dotted-quad tail holds the last 32 bits and ends the text */
			if (n > 12 || parse4(s + start, len - start, w + n))
				return -1;
			n += 4;
			break;
		}
		if (i == start || i - start > 4)
			return -1;
		w[n++] = (uint8_t)(v >> 8);
		w[n++] = (uint8_t)v;
		if (i == len)
			break;
		if (s[i] != ':' || ++i == len)
			return -1;
		if (s[i] == ':') {
			if (gap >= 0)
				return -1;
			gap = (int)n;
			i++;
		}
	}
	if (gap >= 0) {
		size_t tail = n - (size_t)gap;

		/* "::" stands for at least one zero group */
		if (n == 16)
			return -1;
		memmove(w + 16 - tail, w + gap, tail);
		memset(w + gap, 0, 16 - tail - (size_t)gap);
	} else if (n != 16) {
		return -1;
	}
	memcpy(b, w, 16);
	return 0;
}

int addr_parse(const char *s, size_t len, struct nbdroot_addr *out)
{
	struct nbdroot_addr a;

	memset(&a, 0, sizeof(a));
	if (memchr(s, ':', len)) {
		if (parse6(s, len, a.bytes))
			return -1;
		a.family = 6;
	} else {
		if (parse4(s, len, a.bytes))
			return -1;
		a.family = 4;
	}
	*out = a;
	return 0;
}

char *addr_ip4(const uint8_t *b, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return buf;
}

static char *put4(char *p, const uint8_t *b)
{
	return p + strlen(addr_ip4(b, p));
}

static char *put6(char *p, const uint8_t *b)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	int best = -1, bestlen = 1, run = 0, i, groups = 8;

	/* RFC 5952 section 5: IPv4-mapped addresses keep their dotted tail */
	if (memcmp(b, mapped, sizeof(mapped)) == 0)
		groups = 6;
	/* the first of equally long zero runs wins; a lone zero group stays */
	for (i = 0; i < groups; i++) {
		run = b[2 * i] | b[2 * i + 1] ? 0 : run + 1;
		if (run > bestlen) {
			bestlen = run;
			best = i - run + 1;
		}
	}
	/* the groups joined by ':', the run as one empty group; an empty
	 * first or last group needs one ':' more to read as "::" */
	for (i = 0; i < groups; i++) {
		if (i > best && i < best + bestlen)
			continue;
		if (i)
			*p++ = ':';
		if (i != best)
			p += snprintf(p, 5, "%x", (unsigned)b[2 * i] << 8 | b[2 * i + 1]);
		else if (i == 0)
			*p++ = ':';
	}
	if (best + bestlen == groups)
		*p++ = ':';
	if (groups == 6) {
		*p++ = ':';
		p = put4(p, b + 12);
	}
	return p;
}

void addr_format(const struct nbdroot_addr *a, char *buf, size_t size)
{
	char tmp[48], *end = tmp;

	if (a->family == 4)
		end = put4(tmp, a->bytes);
	else if (a->family == 6)
		end = put6(tmp, a->bytes);
	*end = '\0';
	snprintf(buf, size, "%s", tmp);
}
