/* fuzz-fingerprint.c: any bytes as an export's first block: no crash, no read past the length, and always "<kind>:<16 hex>". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fingerprint.h"
#include "handshake.h"
#include "handshake_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char fp[FP_TEXT_MAX], err[256];
	uint8_t *copy = malloc(size ? size : 1); /* exact size: ASan sees any over-read */
	const char *colon;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	fingerprint_of(copy, size, size, fp);
	colon = strchr(fp, ':');
	if (!colon || strlen(colon + 1) != 16 || strspn(colon + 1, "0123456789abcdef") != 16)
		abort();
	if (hsp_simple_reply(copy, size, 0x6e6264726f6f7430ull, err, sizeof(err)) != HS_OK &&
	    size >= HSP_SIMPLE_REPLY_LEN && !err[0])
		abort();
	free(copy);
	return 0;
}
