/* status.h: the supervisor's /run/nbdroot/<device>.status file, and nbdroot --status. */
#ifndef NBDROOT_STATUS_H
#define NBDROOT_STATUS_H

#define STATUS_DIR "/run/nbdroot"

struct status {
	const char *device; /* "/dev/nbd0" */
	const char *state; /* up, down, refused, gone */
	char server[64]; /* the server in use or being tried, "<ip>:<port>" */
	unsigned long reconnects;
	unsigned long long last_reconnect; /* seconds since the epoch, 0: never */
	char error[256]; /* the last failure, "" before any */
};

/* Replace <device>.status in the directory dirfd (STATUS_DIR, opened before
 * switch_root) with s as KEY='value' lines, atomically (write, rename). */
void status_write(int dirfd, const struct status *s);

/* Print STATUS_DIR/<device>.status to stdout; 0, or 1 when there is none. */
int status_print(const char *device);

#endif
