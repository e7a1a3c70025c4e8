/* fingerprint.h: what identifies an export's image across reconnects: its size and its filesystem's invariant superblock fields. */
#ifndef NBDROOT_FINGERPRINT_H
#define NBDROOT_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

/* The bytes read from offset 0 of the export (less for a smaller export):
 * they hold the squashfs, ext2/3/4, erofs superblocks and MBR/GPT headers. */
#define FP_HEAD_LEN 4096u
#define FP_TEXT_MAX 32 /* "squashfs:0123456789abcdef" and its NUL */

/* Pure: "<kind>:<16 hex digits>", a 64-bit FNV-1a hash of the size and the
 * fields that identify the image and never change while it is in use
 * (ext UUID and mkfs time, not its mount counts; the whole superblock of the
 * read-only squashfs and erofs; the MBR signature and table; the GPT disk
 * GUID). "size:<hash>" when the head holds no format we know: then only
 * the size identifies it. */
void fingerprint_of(const uint8_t *head, size_t len, uint64_t size, char out[FP_TEXT_MAX]);

#endif
