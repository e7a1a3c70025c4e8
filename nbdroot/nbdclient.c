/* nbdclient.c: nbd-client's forms (Debian's initramfs script): <server>,<export>,<device>, and the NBD device names of nbddev=, root=/dev/nbdN[pM] and nbdroot.device=. */
#include <string.h>

#include "cmdline.h"

#define X_TRIPLE "<server>,<export>,<nbdN>"

/* N or M: 0..65535 without leading zeros (which would name a device the
 * kernel never made) */
static int index_ok(const char *s, size_t len)
{
	uint32_t v;

	return cmdline_number(s, len, 65535, &v) == 0 && (s[0] != '0' || len == 1);
}

int nbd_device(const char *s, size_t len, int part, char *dst)
{
	size_t skip = len >= 5 && memcmp(s, "/dev/", 5) == 0 ? 5 : 0, p;

	s += skip;
	len -= skip;
	for (p = 3; p < len && s[p] != 'p'; p++)
		;
	/* nbd-client's script drops the partition: nbdroot attaches the disk */
	if (len < 4 || memcmp(s, "nbd", 3) != 0 || !index_ok(s + 3, p - 3) ||
	    (p < len && (!part || !index_ok(s + p + 1, len - p - 1) || s[p + 1] == '0')))
		return -1;
	memcpy(dst, "/dev/", 5);
	memcpy(dst + 5, s, p);
	dst[5 + p] = '\0';
	return 0;
}

int nbd_device_like(const char *s, size_t len)
{
	return (len >= 8 && memcmp(s, "/dev/nbd", 8) == 0) ||
	       (len >= 4 && memcmp(s, "nbd", 3) == 0 && s[3] >= '0' && s[3] <= '9');
}

int nbdclient_triple(const struct cmdline_ctx *c, const char *s, size_t len,
		     struct nbdclient_parts *p)
{
	const char *c1 = memchr(s, ',', len), *c2, *rest;
	size_t left;

	rest = c1 + 1;
	left = len - (size_t)(rest - s);
	c2 = memchr(rest, ',', left);
	/* the script reads a,b,c,d as a, c, d: a comma in a name is a mistake */
	if (!c2 || memchr(c2 + 1, ',', len - (size_t)(c2 + 1 - s)))
		return cmdline_fail(c, "%q does not have 3 comma-separated fields", s, len,
				    X_TRIPLE);
	p->server = s;
	p->server_len = (size_t)(c1 - s);
	p->export_name = rest;
	p->export_len = (size_t)(c2 - rest);
	if (p->export_len == 0)
		return cmdline_fail(c, "%q has an empty export name", s, len, X_TRIPLE);
	rest = c2 + 1;
	left = len - (size_t)(rest - s);
	if (nbd_device(rest, left, 1, p->device))
		return cmdline_fail(c, "device %q is not an NBD device", rest, left, X_NBD_DEVICE);
	return 0;
}
