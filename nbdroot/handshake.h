/* handshake.h: NBD negotiation over a connected socket, ending in transmission phase. */
#ifndef NBDROOT_HANDSHAKE_H
#define NBDROOT_HANDSHAKE_H

#include <stddef.h>
#include <stdint.h>

#include "fingerprint.h"

enum handshake_mode {
	HS_FIXED_NEWSTYLE_GO,
	HS_FIXED_NEWSTYLE_EXPORT_NAME,
	HS_NEWSTYLE,
	HS_OLDSTYLE,
};

/* What the kernel needs to carry the export afterwards. */
struct nbd_export {
	uint64_t size; /* bytes, non-zero, fits the kernel */
	uint16_t flags; /* transmission flags, HAS_FLAGS set */
	uint32_t block_size; /* what to give the kernel: 512..page size, power of 2 */
	enum handshake_mode mode;
	char fingerprint[FP_TEXT_MAX]; /* fingerprint_of() the export's first block */
};

/* Result codes, which are also nbdroot's exit codes. */
#define HS_OK 0
#define HS_PERMANENT 1 /* the server said no, or spoke nonsense: retrying won't help */
#define HS_TEMPORARY 2 /* EOF, reset, timeout: the caller may retry */

/* Negotiate `export_name` on fd within timeout_ms in total. On failure err
 * holds one line naming what went wrong ("handshake: ..." context is the
 * caller's), and NBD_OPT_ABORT has been sent when the failure was not EOF. */
int nbd_handshake(int fd, const char *export_name, unsigned timeout_ms,
		  struct nbd_export *out, char *err, size_t errlen);

const char *handshake_mode_name(enum handshake_mode m);

#endif
