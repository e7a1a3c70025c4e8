/* fuzz-leasefile.c: any bytes as a klibc or dracut lease file: no crash, and a lease always has an address and a terminated root-path. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "leasefile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp_reply r;
	char *copy;
	int kind;

	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	for (kind = 0; kind < 2; kind++) {
		if (leasefile_parse(copy, size, kind, &r) != 0)
			continue;
		if (!r.yiaddr[0] || !memchr(r.root_path, '\0', sizeof(r.root_path)))
			abort();
	}
	free(copy);
	return 0;
}
