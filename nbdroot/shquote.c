/* shquote.c: shell-sourceable KEY='value' output for values that came from untrusted input. */
#include <stdio.h>

#include "shquote.h"

void shquote_print(FILE *f, const char *key, const char *value)
{
	const char *p;

	fprintf(f, "%s='", key);
	for (p = value; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", f);
		else
			fputc(*p, f);
	}
	fputs("'\n", f);
}

void shquote_print_u64(FILE *f, const char *key, unsigned long long value)
{
	fprintf(f, "%s='%llu'\n", key, value);
}
