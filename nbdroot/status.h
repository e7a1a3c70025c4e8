/* status.h: the supervisor's /run/nbdroot/<device>.status file, and nbdroot --status. */
#ifndef NBDROOT_STATUS_H
#define NBDROOT_STATUS_H

#define STATUS_DIR "/run/nbdroot"

struct status {
	const char *device; /* "/dev/nbd0" */
	const char *state; /* up, down, refused, gone */
	const char *image; /* the attached export's fingerprint_of() */
	char server[64]; /* the server in use or being tried, "<ip>:<port>" */
	unsigned long reconnects;
	unsigned long restarts; /* of a supervisor process that died */
	unsigned long long last_reconnect; /* seconds since the epoch, 0: never */
	char error[256]; /* the last failure, "" before any */
};

/* Replace <device>.status in the directory dirfd (STATUS_DIR, opened before
 * switch_root) with s as KEY='value' lines, atomically (write, rename). */
void status_write(int dirfd, const struct status *s);

/* Print STATUS_DIR/<device>.status to stdout, then the RAM overlay's
 * OVERLAY ('tmpfs' or '') and OVERLAY_USED (bytes; df has the size) from
 * STATUS_DIR/overlay; 0, or 1 when there is no status file. */
int status_print(const char *device);

#endif
