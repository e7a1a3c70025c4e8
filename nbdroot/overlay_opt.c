/* overlay_opt.c: the values of nbdroot.overlay= and nbdroot.overlay_size=, checked before the init mounts anything. */
#include <string.h>

#include "overlay_opt.h"

int overlay_type(const struct cmdline_ctx *c, const char *s, size_t len, int *on)
{
	if (!s || (len == 5 && memcmp(s, "tmpfs", 5) == 0)) {
		*on = 1;
		return 0;
	}
	if (len == 3 && memcmp(s, "off", 3) == 0) {
		*on = 0;
		return 0;
	}
	return cmdline_fail(c, "%q is not an overlay type", s, len, "tmpfs or off");
}

int overlay_size(const struct cmdline_ctx *c, const char *s, size_t len, char *dst)
{
	size_t i = 0;

	/* digits, then at most one unit; the kernel's tmpfs parses the rest.
	 * A leading 0 would be size=0, which tmpfs takes as "unlimited". */
	while (s && i < len && i < 15 &&
	       ((s[i] >= '0' && s[i] <= '9') || (i && i == len - 1 && strchr("kmgKMG%", s[i]))))
		i++;
	if (!s || !len || i != len || s[0] == '0')
		return cmdline_fail(c, "size %q is not a tmpfs size", s ? s : "", len,
				    "<N>[k|m|g] or <N>% of RAM, such as 50%");
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}
