/* fuzz-genl.c: the netlink reply parser against arbitrary bytes, as the controller and as the nbd family. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "genl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct genl_reply *r)
{
	size_t n = strnlen(r->ext_msg, sizeof(r->ext_msg));
	size_t i;

	if (n == sizeof(r->ext_msg) || r->error < 0 || r->error > 4095)
		abort();
	for (i = 0; i < n; i++)
		if (r->ext_msg[i] < 0x20 || r->ext_msg[i] > 0x7e)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct genl_reply r;
	char err[160];
	uint32_t seq = 0;
	uint8_t *copy;

	/* The seeds' messages use seq 5; a byte here lets the fuzzer try others. */
	if (size >= 1) {
		seq = data[0] == 0 ? 0 : 5;
		data++;
		size--;
	}
	/* an exact-size heap copy, so any over-read is caught */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	genl_reply_init(&r);
	if (genl_parse(copy, size, seq, GENL_ID_CTRL, "nbd_mc_group", &r, err, sizeof(err)) == 0)
		check(&r);
	else if (!err[0])
		abort();
	genl_reply_init(&r);
	if (genl_parse(copy, size, seq, 0x1c, NULL, &r, err, sizeof(err)) == 0)
		check(&r);
	else if (!err[0])
		abort();
	free(copy);
	return 0;
}
