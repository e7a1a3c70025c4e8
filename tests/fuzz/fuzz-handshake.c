/* fuzz-handshake.c: feeds fuzz bytes to every handshake parser, and to nbd_handshake as a server's whole byte stream. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "handshake.h"
#include "handshake_parse.h"
#include "nbd_proto.h"

static void must(int cond)
{
	if (!cond)
		abort();
}

/* An error line is one line of printable text, whatever the server sent. */
static void check_err(const char *err, size_t errlen)
{
	size_t n = strnlen(err, errlen);

	must(n < errlen);
	must(n > 0);
	for (; *err; err++)
		must(*err >= 0x20 && *err < 0x7f);
}

static void parsers(const uint8_t *data, size_t size)
{
	struct hsp_greeting g;
	struct hsp_reply r;
	struct hsp_info info, bs;
	uint32_t block_size;
	char err[256];

	if (hsp_greeting(data, size, &g, err, sizeof(err)))
		check_err(err, sizeof(err));
	if (hsp_oldstyle(data, size, &info, err, sizeof(err)))
		check_err(err, sizeof(err));
	if (hsp_reply_header(data, size, NBD_OPT_GO, &r, err, sizeof(err)) == 0) {
		if (r.type == NBD_REP_ACK)
			must(r.len == 0);
		else
			must(r.len <= HSP_REPLY_PAYLOAD_MAX);
	} else {
		check_err(err, sizeof(err));
	}
	if (hsp_export_name_reply(data, size, size == HSP_EXPORT_NAME_REPLY_LEN, &info, err,
				  sizeof(err)))
		check_err(err, sizeof(err));
	memset(&bs, 0, sizeof(bs));
	if (hsp_info(data, size, &bs, err, sizeof(err)) == 0) {
		if (bs.type == NBD_INFO_BLOCK_SIZE) {
			must(bs.min && !(bs.min & (bs.min - 1)) && bs.min <= 65536);
			must(bs.pref >= bs.min && bs.max >= bs.pref);
		}
		if (bs.type != NBD_INFO_BLOCK_SIZE)
			bs.min = 0;
		if (hsp_kernel_block_size(&bs, &block_size, err, sizeof(err)) == 0) {
			must(block_size >= 512 && block_size <= 4096);
			must(!(block_size & (block_size - 1)));
			if (bs.type == NBD_INFO_EXPORT &&
			    hsp_check_export(bs.size, bs.flags, block_size, err, sizeof(err)))
				check_err(err, sizeof(err));
		} else {
			check_err(err, sizeof(err));
		}
	} else {
		check_err(err, sizeof(err));
	}
	if (size >= 4) {
		size_t n = size - 4 > NBDROOT_STRING_MAX ? NBDROOT_STRING_MAX : size - 4;
		int rc = hsp_error_reply(hsp_be32(data) | NBD_REP_FLAG_ERROR, data + 4, n,
					 "root", err, sizeof(err));

		must(rc == HS_PERMANENT || rc == HS_TEMPORARY);
		check_err(err, sizeof(err));
	}
}

/* The data is everything the server says; then it stops talking, so
 * every read ends in data or EOF and the run never waits. */
static void driver(const uint8_t *data, size_t size)
{
	struct nbd_export ex;
	char err[256];
	int sv[2], rc;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return;
	if (size > 65536)
		size = 65536;
	if (size && send(sv[1], data, size, MSG_DONTWAIT) != (ssize_t)size)
		goto out;
	shutdown(sv[1], SHUT_WR);
	rc = nbd_handshake(sv[0], "root", 2000, &ex, err, sizeof(err));
	if (rc == HS_OK) {
		must(ex.flags & NBD_FLAG_HAS_FLAGS);
		must(ex.block_size >= 512 && ex.block_size <= 4096);
		must(!(ex.block_size & (ex.block_size - 1)));
		must(ex.size >= ex.block_size && ex.size <= (uint64_t)INT64_MAX);
		must(ex.size % ex.block_size == 0);
		must(strcmp(handshake_mode_name(ex.mode), "unknown") != 0);
	} else {
		must(rc == HS_PERMANENT || rc == HS_TEMPORARY);
		check_err(err, sizeof(err));
	}
out:
	close(sv[0]);
	close(sv[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parsers(data, size);
	driver(data, size);
	return 0;
}
