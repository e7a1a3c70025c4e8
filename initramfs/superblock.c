/* superblock.c: tells a root filesystem by the magic in its first 4 KiB (a pure function: the bytes are the export's). */
#include <string.h>

#include "init.h"

/* The filesystem whose magic the first bytes of a device carry (pure: the
 * bytes are the export's, so untrusted); NULL when none of ours matches.
 * *why says where the magic was found, for the log. */
const char *fs_from_superblock(const unsigned char *b, size_t len, const char **why)
{
	/* ext2/3/4: s_magic at 0x38 in the superblock, which starts at 1024; ext4 mounts all three. */
	if (len >= 1082 && b[1080] == 0x53 && b[1081] == 0xef) {
		*why = "ext2/3/4 magic 0xEF53 at byte 1080";
		return "ext4";
	}
	if (len >= 4 && memcmp(b, "hsqs", 4) == 0) {
		*why = "squashfs magic \"hsqs\" at byte 0";
		return "squashfs";
	}
	if (len >= 1028 && b[1024] == 0xe2 && b[1025] == 0xe1 && b[1026] == 0xf5 && b[1027] == 0xe0) {
		*why = "erofs magic 0xE0F5E1E2 at byte 1024";
		return "erofs";
	}
	*why = "no ext4, squashfs or erofs magic in the first 4 KiB";
	return NULL;
}
