/* shquote.c: shell-sourceable KEY='value' lines for values that came from untrusted input. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "shquote.h"

char *shquote_put(char *p, const char *key, const char *value)
{
	size_t n = strlen(key);

	memcpy(p, key, n);
	p += n;
	memcpy(p, "='", 2);
	p += 2;
	for (; *value; value++) {
		if (*value == '\'') {
			memcpy(p, "'\\''", 4);
			p += 4;
		} else {
			*p++ = *value;
		}
	}
	memcpy(p, "'\n", 2);
	return p + 2;
}

char *shquote_put_u64(char *p, const char *key, unsigned long long value)
{
	char num[24];

	snprintf(num, sizeof(num), "%llu", value);
	return shquote_put(p, key, num);
}

int shquote_write(int fd, const char *buf, const char *end)
{
	ssize_t n;

	while (buf < end) {
		n = write(fd, buf, (size_t)(end - buf));
		if (n <= 0)
			return -1;
		buf += n;
	}
	return 0;
}
