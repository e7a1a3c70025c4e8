/* test-fingerprint: each format is told by its magic, only its identifying fields count, and a short or unknown head falls back to the size. */
#include <stdint.h>

#include "fingerprint.h"
#include "handshake.h"
#include "handshake_parse.h"
#include "unit.h"

static uint8_t img[FP_HEAD_LEN];

static void put(size_t off, const void *p, size_t n)
{
	memcpy(img + off, p, n);
}

/* A head of the given kind, its identity fields filled with `seed`. */
static void make(const char *kind, uint8_t seed)
{
	memset(img, 0xa5, sizeof(img)); /* data the fingerprint must not depend on */
	if (strcmp(kind, "squashfs") == 0) {
		put(0, "hsqs", 4);
		memset(img + 4, seed, 92);
	} else if (strcmp(kind, "ext") == 0) {
		memset(img + 510, 0, 2);
		put(1024 + 0x38, "\x53\xef", 2);
		memset(img + 1024 + 0x68, seed, 16);
		memset(img + 1024 + 0x108, seed, 4);
	} else if (strcmp(kind, "erofs") == 0) {
		memset(img + 510, 0, 2);
		memset(img + 1024 + 0x38, 0, 2);
		put(1024, "\xe2\xe1\xf5\xe0", 4);
		memset(img + 1028, seed, 124);
	} else if (strcmp(kind, "gpt") == 0) {
		memset(img + 1024 + 0x38, 0, 2);
		put(510, "\x55\xaa", 2);
		put(512, "EFI PART", 8);
		memset(img + 512 + 56, seed, 16);
	} else if (strcmp(kind, "mbr") == 0) {
		memset(img + 1024 + 0x38, 0, 2);
		memset(img + 512, 0, 8);
		memset(img + 440, seed, 70);
		put(510, "\x55\xaa", 2);
	} else {
		memset(img, seed, sizeof(img));
		img[510] = img[1024 + 0x38] = 0;
	}
}

static const struct {
	const char *kind;
	size_t mutable_off; /* a byte that changes while in use: must not count */
	size_t id_off; /* a byte of the identity: must count */
} cases[] = {
	{ "squashfs", 200, 8 }, /* mkfs_time */
	{ "ext", 1024 + 0x2c, 1024 + 0x68 }, /* s_mtime vs s_uuid */
	{ "ext", 1024 + 0x34, 1024 + 0x108 }, /* s_mnt_count vs s_mkfs_time */
	{ "erofs", 2048, 1024 + 48 }, /* data vs uuid */
	{ "gpt", 1024 + 512, 512 + 60 },
	{ "mbr", 100, 446 },
};

int main(void)
{
	char a[FP_TEXT_MAX], b[FP_TEXT_MAX];
	uint8_t reply[HSP_SIMPLE_REPLY_LEN];
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t klen = strlen(cases[i].kind);

		make(cases[i].kind, 1);
		fingerprint_of(img, sizeof(img), 1 << 20, a);
		CHECK(strncmp(a, cases[i].kind, klen) == 0 && a[klen] == ':' &&
			      strlen(a) == klen + 17, "%s: %s", cases[i].kind, a);
		img[cases[i].mutable_off] ^= 0xff;
		fingerprint_of(img, sizeof(img), 1 << 20, b);
		CHECK(strcmp(a, b) == 0, "%s: byte %zu changed it: %s -> %s", cases[i].kind,
		      cases[i].mutable_off, a, b);
		img[cases[i].id_off] ^= 0xff;
		fingerprint_of(img, sizeof(img), 1 << 20, b);
		CHECK(strcmp(a, b) != 0, "%s: byte %zu did not change it", cases[i].kind,
		      cases[i].id_off);
		img[cases[i].id_off] ^= 0xff;
		/* the same image at another size is another image */
		fingerprint_of(img, sizeof(img), 2 << 20, b);
		CHECK(strcmp(a, b) != 0, "%s: the size does not count", cases[i].kind);
	}
	/* unknown formats and short heads: the size alone, never a read past len */
	make("raw", 7);
	fingerprint_of(img, sizeof(img), 1 << 20, a);
	make("raw", 8);
	fingerprint_of(img, sizeof(img), 1 << 20, b);
	CHECK(strncmp(a, "size:", 5) == 0 && strcmp(a, b) == 0, "raw: %s %s", a, b);
	make("ext", 1);
	fingerprint_of(img, 1024 + 0x108 + 3, 1 << 20, b);
	CHECK(strncmp(b, "size:", 5) == 0, "ext cut before s_mkfs_time: %s", b);
	make("squashfs", 1);
	fingerprint_of(img, 512, 512, b);
	CHECK(strncmp(b, "squashfs:", 9) == 0, "a 512-byte squashfs: %s", b);
	fingerprint_of(img, 0, 0, b);
	CHECK(strncmp(b, "size:", 5) == 0, "empty head: %s", b);

	/* the first block's reply */
	memcpy(reply, "\x67\x44\x66\x98\0\0\0\0nbdroot0", 16);
	CHECK(hsp_simple_reply(reply, 16, 0x6e6264726f6f7430ull, err, sizeof(err)) == HS_OK,
	      "good reply refused: %s", err);
	CHECK(hsp_simple_reply(reply, 15, 0x6e6264726f6f7430ull, err, sizeof(err)) ==
		      HS_PERMANENT, "short reply taken");
	CHECK(hsp_simple_reply(reply, 16, 1, err, sizeof(err)) == HS_PERMANENT &&
		      strstr(err, "handle 0x6e6264726f6f7430"), "wrong handle: %s", err);
	reply[7] = 5; /* EIO from the server: it may heal */
	CHECK(hsp_simple_reply(reply, 16, 0x6e6264726f6f7430ull, err, sizeof(err)) ==
		      HS_TEMPORARY && strstr(err, "error 5"), "server error: %s", err);
	reply[0] = 0x68; /* structured reply magic is 0x668e33ef; any other is nonsense */
	CHECK(hsp_simple_reply(reply, 16, 0x6e6264726f6f7430ull, err, sizeof(err)) ==
		      HS_PERMANENT && strstr(err, "magic 0x68446698") &&
		      strstr(err, "expected 0x67446698"), "wrong magic: %s", err);
	return unit_done("test-fingerprint");
}
