/* session.c: one negotiated connection to the configured NBD server(s), for the first attach and every reconnect. */
#include <stdio.h>
#include <unistd.h>

#include "addr.h"
#include "net.h"
#include "session.h"

#define CONNECT_TIMEOUT_MS 5000u
#define HANDSHAKE_TIMEOUT_MS 10000u

void session_server(const struct nbdroot_config *cfg, unsigned n, struct nbdroot_addr *addr,
		    uint16_t *port)
{
	unsigned k = n % (cfg->nalt + 1);

	*addr = k ? cfg->alt[k - 1] : cfg->server;
	*port = k && cfg->alt_port[k - 1] ? cfg->alt_port[k - 1] : cfg->port;
}

int session_open(const struct nbdroot_config *cfg, unsigned n, struct nbd_export *ex, int *fd,
		 const char **stage, char *err, size_t errlen)
{
	struct nbdroot_addr a;
	uint16_t port;
	char host[48], why[256];
	int rc;

	session_server(cfg, n, &a, &port);
	addr_format(&a, host, sizeof(host));
	*stage = "connect";
	*fd = net_connect(&a, port, CONNECT_TIMEOUT_MS, why, sizeof(why));
	if (*fd < 0) {
		snprintf(err, errlen, "%s port %u: %s", host, (unsigned)port, why);
		return HS_TEMPORARY;
	}
	*stage = "handshake";
	rc = nbd_handshake(*fd, cfg->export_name, HANDSHAKE_TIMEOUT_MS, ex, why, sizeof(why));
	if (rc != HS_OK) {
		snprintf(err, errlen, "%s port %u export \"%s\": %s", host, (unsigned)port,
			 cfg->export_name, why);
		close(*fd);
		*fd = -1;
	}
	return rc;
}
