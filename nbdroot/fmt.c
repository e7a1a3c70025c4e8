/* fmt.c: the printf subset nbdroot's messages use, in place of klibc's general vsnprintf (2.4 KB). */
#include <stdint.h>
#include <stdio.h>

#include "fmt.h"

struct sink {
	char *p;
	size_t left; /* room, the NUL included */
	size_t n; /* what the whole text needs */
};

static void put(struct sink *o, char c)
{
	if (o->left > 1) {
		*o->p++ = c;
		o->left--;
	}
	o->n++;
}

static void pad(struct sink *o, char c, size_t width, size_t len)
{
	while (width-- > len)
		put(o, c);
}

int fmt_vsnprintf(char *buf, size_t size, const char *f, va_list ap)
{
	struct sink o = { buf, size, 0 };

	for (; *f; f++) {
		char digits[24], *d = digits + sizeof(digits), zero = ' ';
		const char *s;
		size_t width = 0, prec = SIZE_MAX, len;
		unsigned long long v;
		int longs = 0, neg = 0;
		unsigned base = 10;

		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		if (*++f == '0') {
			zero = '0';
			f++;
		}
		while (*f >= '0' && *f <= '9')
			width = width * 10 + (size_t)(*f++ - '0');
		if (*f == '.')
			for (prec = 0; *++f >= '0' && *f <= '9';)
				prec = prec * 10 + (size_t)(*f - '0');
		for (; *f == 'l' || *f == 'z'; f++)
			longs++; /* z: size_t is an unsigned long on Linux */
		switch (*f) {
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = ""; /* glibc prints "(null)"; no caller passes NULL */
			for (len = 0; len < prec && s[len]; len++)
				put(&o, s[len]);
			continue;
		case 'd':
		case 'u':
		case 'x':
			/* one va_arg per width (each is a dozen instructions): a
			 * signed argument is read as its unsigned type, which C allows */
			v = longs > 1 ? va_arg(ap, unsigned long long) :
				longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
			if (*f == 'x')
				base = 16;
			if (*f == 'd') {
				long long sv = longs > 1 ? (long long)v : longs ? (long)v : (int)v;

				neg = sv < 0;
				v = neg ? 0 - (unsigned long long)sv : (unsigned long long)sv;
			}
			break;
		default: /* %% and what nbdroot does not use */
			put(&o, *f ? *f : '%');
			if (!*f)
				f--;
			continue;
		}
		do {
			*--d = "0123456789abcdef"[v % base];
			v /= base;
		} while (v);
		len = (size_t)(digits + sizeof(digits) - d) + (size_t)neg;
		if (zero == ' ')
			pad(&o, ' ', width, len);
		if (neg)
			put(&o, '-');
		pad(&o, zero, zero == '0' ? width : 0, len);
		while (d < digits + sizeof(digits))
			put(&o, *d++);
	}
	if (size)
		*o.p = '\0';
	return (int)o.n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

#ifdef __KLIBC__
/* klibc's own vsnprintf and snprintf (every conversion, 2.4 KB) are then
 * not linked in: the archive only supplies what is still undefined. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return fmt_vsnprintf(buf, size, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((alias("fmt_snprintf")));
#endif
