/* fuzz-dhcp.c: any bytes as a DHCP reply (to the transaction and client it names itself, so parsing goes deep): no crash, and what is kept is well formed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp_packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void terminated(const char *s, size_t size)
{
	const char *end = memchr(s, '\0', size);

	/* a string field ends inside itself, with no NUL before its end */
	if (!end)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp_reply r;
	uint8_t *copy, mac[6];
	uint32_t xid = 0;
	const char *why;

	if (size >= 34) {
		xid = (uint32_t)data[4] << 24 | (uint32_t)data[5] << 16 | (uint32_t)data[6] << 8 |
		      data[7];
		memcpy(mac, data + 28, 6);
	} else {
		memset(mac, 0, 6);
	}
	/* an exact-size heap copy, so any over-read is caught */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	why = dhcp_parse(copy, size, xid, mac, &r);
	if (why) {
		if (!*why)
			abort();
	} else {
		terminated(r.hostname, sizeof(r.hostname));
		terminated(r.domain, sizeof(r.domain));
		terminated(r.file, sizeof(r.file));
		terminated(r.root_path, sizeof(r.root_path));
		if (!r.type || (r.type != 6 && !(r.yiaddr[0] | r.yiaddr[1] | r.yiaddr[2] | r.yiaddr[3])))
			abort();
	}
	free(copy);
	return 0;
}
