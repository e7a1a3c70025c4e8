/* session.h: one negotiated connection to the configured NBD server(s), for the first attach and every reconnect. */
#ifndef NBDROOT_SESSION_H
#define NBDROOT_SESSION_H

#include <stddef.h>

#include "config.h"
#include "handshake.h"

/* The server to try for attempt n: the root spec's, then each
 * nbdroot.alt_server= alternate in turn, round and round. */
void session_server(const struct nbdroot_config *cfg, unsigned n, struct nbdroot_addr *addr,
		    uint16_t *port);

/* Connect to that server and negotiate cfg->export_name. Returns 0 with *fd
 * open, or 1/2 (permanent/temporary) with *stage "connect" or "handshake"
 * and err naming the server and what failed. */
int session_open(const struct nbdroot_config *cfg, unsigned n, struct nbd_export *ex, int *fd,
		 const char **stage, char *err, size_t errlen);

#endif
