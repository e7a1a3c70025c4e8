/* fingerprint.c: what identifies an export's image across reconnects: its size and its filesystem's invariant superblock fields. */
#include <stdio.h>
#include <string.h>

#include "fingerprint.h"

struct span {
	uint16_t off, len;
};

/* Each format: where its magic is, and the spans that identify one image. */
static const struct {
	char kind[9];
	uint8_t mlen;
	uint16_t moff;
	uint8_t magic[8];
	struct span id[2];
} formats[] = {
	{ "squashfs", 4, 0, { 'h', 's', 'q', 's' }, { { 0, 96 } } },
	/* s_magic 0xEF53 at 0x38; s_uuid at 0x68, s_mkfs_time at 0x108 */
	{ "ext", 2, 1024 + 0x38, { 0x53, 0xef }, { { 1024 + 0x68, 16 }, { 1024 + 0x108, 4 } } },
	{ "erofs", 4, 1024, { 0xe2, 0xe1, 0xf5, 0xe0 }, { { 1024, 128 } } },
	/* "EFI PART" in LBA 1; the disk GUID at 56 */
	{ "gpt", 8, 512, { 'E', 'F', 'I', ' ', 'P', 'A', 'R', 'T' }, { { 512 + 56, 16 } } },
	/* the boot signature; the disk signature and the partition table */
	{ "mbr", 2, 510, { 0x55, 0xaa }, { { 440, 70 } } },
};

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

void fingerprint_of(const uint8_t *head, size_t len, uint64_t size, char out[FP_TEXT_MAX])
{
	uint8_t le[8];
	uint64_t h;
	size_t f, i;
	const char *kind = "size";

	for (i = 0; i < 8; i++)
		le[i] = (uint8_t)(size >> (8 * i));
	h = fnv(0xcbf29ce484222325ull, le, 8);
	for (f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
		if ((size_t)formats[f].moff + formats[f].mlen > len ||
		    memcmp(head + formats[f].moff, formats[f].magic, formats[f].mlen))
			continue;
		/* the spans end where the magic's superblock ends, or earlier */
		for (i = 0; i < 2 && formats[f].id[i].len; i++)
			if ((size_t)formats[f].id[i].off + formats[f].id[i].len > len)
				break;
		if (i < 2 && formats[f].id[i].len)
			continue;
		kind = formats[f].kind;
		for (i = 0; i < 2; i++)
			h = fnv(h, head + formats[f].id[i].off, formats[f].id[i].len);
		break;
	}
	snprintf(out, FP_TEXT_MAX, "%s:%08x%08x", kind, (unsigned)(h >> 32), (unsigned)h);
}
