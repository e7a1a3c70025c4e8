/* test-init-superblock: the initramfs init tells ext2/3/4, squashfs and erofs by their magic at the right offset, and nothing else, from any length. */
#include "../../initramfs/superblock.c"
#include "unit.h"

static unsigned char img[4096];

int main(void)
{
	static const struct {
		const char *what;
		size_t off;
		const char *magic;
		size_t mlen, len;
		const char *want;
	} cases[] = {
		{ "ext4", 1080, "\x53\xef", 2, 4096, "ext4" },
		{ "ext4 head only", 1080, "\x53\xef", 2, 1082, "ext4" },
		{ "ext4 cut short", 1080, "\x53\xef", 2, 1081, NULL },
		{ "ext4 magic byte-swapped", 1080, "\xef\x53", 2, 4096, NULL },
		{ "ext4 magic at 1024+0x36", 1078, "\x53\xef", 2, 4096, NULL },
		{ "squashfs", 0, "hsqs", 4, 4096, "squashfs" },
		{ "squashfs head only", 0, "hsqs", 4, 4, "squashfs" },
		{ "squashfs big-endian (sqsh)", 0, "sqsh", 4, 4096, NULL },
		{ "erofs", 1024, "\xe2\xe1\xf5\xe0", 4, 4096, "erofs" },
		{ "erofs cut short", 1024, "\xe2\xe1\xf5\xe0", 4, 1027, NULL },
		{ "erofs magic at 0", 0, "\xe2\xe1\xf5\xe0", 4, 4096, NULL },
		{ "zeroes", 0, "", 0, 4096, NULL },
		{ "empty", 0, "", 0, 0, NULL },
	};
	const char *got, *why;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(img, 0, sizeof(img));
		memcpy(img + cases[i].off, cases[i].magic, cases[i].mlen);
		why = NULL;
		got = fs_from_superblock(img, cases[i].len, &why);
		CHECK((got == NULL && cases[i].want == NULL) ||
			      (got && cases[i].want && strcmp(got, cases[i].want) == 0),
		      "%s: got %s, want %s", cases[i].what, got ? got : "none",
		      cases[i].want ? cases[i].want : "none");
		CHECK(why && *why, "%s: no reason given", cases[i].what);
	}
	return unit_done("test-init-superblock");
}
