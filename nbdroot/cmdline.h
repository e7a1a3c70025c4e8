/* cmdline.h: the kernel command-line grammar (kernel-cmdline/README.md), as one pure parser. */
#ifndef NBDROOT_CMDLINE_H
#define NBDROOT_CMDLINE_H

#include <stddef.h>

#include "config.h"

/* Parse a whole kernel command line (len bytes, not necessarily
 * NUL-terminated) into cfg, starting from the defaults. Pure: no I/O, no
 * globals, no allocation. Returns 0, or -1 with err holding one line such as
 * `nbdroot=: port "99999" is out of range, expected 1..65535` (the caller
 * prefixes "nbdroot: cmdline: "). */
int cmdline_parse(const char *text, size_t len, struct nbdroot_config *cfg,
		  char *err, size_t errlen);

/* The defaults the parser starts from. */
void config_defaults(struct nbdroot_config *cfg);

/* Parse a root-path string in any accepted form: `[server:]port/export`,
 * `nbd://server[:port]/export`, dracut's `nbd:server:port|export[:fstype[:rootflags[:nbdopts]]]`.
 * Used for nbdroot=, nbd.root_server=, root=/netroot= and DHCP option 17.
 * Fills only the fields the string carries. Same conventions as cmdline_parse;
 * `param` names the source in messages ("nbdroot=", "root-path", ...). */
int rootspec_parse(const char *s, size_t len, const char *param,
		   struct nbdroot_config *cfg, char *err, size_t errlen);

/* `<server>[:<port>]` (an IPv6 server in brackets); *port 0 when not given.
 * Same conventions as rootspec_parse. */
int rootspec_server(const char *s, size_t len, const char *param, struct nbdroot_addr *addr,
		    uint16_t *port, char *err, size_t errlen);

/* Shared by the parser's files (cmdline*.c, rootspec.c, nbdclient.c), not a
 * public interface. */

struct cmdline_ctx {
	char *err;
	size_t errlen;
	const char *param; /* "nbdroot=", "ip=", "root-path", ... */
};

/* Write "<param>: <what>, expected <expected>" into err, where the one "%q"
 * in what becomes the len bytes at s, double-quoted, escaped (\xNN) and
 * capped with "...". Returns -1 so that callers can `return cmdline_fail(...)`. */
int cmdline_fail(const struct cmdline_ctx *c, const char *what, const char *s, size_t len,
		 const char *expected);

/* dst (size bytes) = a b c d e, cut to fit: a message made of parts. */
void cmdline_join(char *dst, size_t size, const char *a, const char *b, const char *c,
		  const char *d);

/* What every message about two different devices expects. */
#define X_ONE_DEVICE "one NBD device in root=, nbddev=, nbdroot.device= and " \
	"<server>,<export>,<nbdN>"

/* What every message about a bad device name expects. */
#define X_NBD_DEVICE "/dev/nbd<N> or nbd<N> (N in 0..65535), with p<M> in root=, nbddev= " \
	"and <server>,<export>,<nbdN>"

/* A plain decimal number (digits only, no sign or space): 0, -1 when it is
 * not one (or is empty), -2 when it exceeds max. */
int cmdline_number(const char *s, size_t len, uint32_t max, uint32_t *out);

/* cmdline_ip.c: ip=<...> into *ip, BOOTIF=<mac> into dst (18 bytes). 0 or -1. */
int cmdline_ip(const struct cmdline_ctx *c, const char *v, size_t len, struct nbdroot_ipconf *ip);
int cmdline_bootif(const struct cmdline_ctx *c, const char *val, size_t vlen, char *dst);

/* nbdclient.c. An NBD device name: "/dev/nbdN" or "nbdN" (N 0..65535
 * without leading zeros), followed by "p<M>" (M 1..65535) when part is set,
 * which is dropped. Writes "/dev/nbdN" into dst (64 bytes). 0 or -1. */
int nbd_device(const char *s, size_t len, int part, char *dst);

/* Does a root= value name an NBD device ("/dev/nbd..." or "nbd<digit>...")? */
int nbd_device_like(const char *s, size_t len);

/* nbd-client's <server>,<export>,<device> (s holds a ','): the server's
 * text (maybe empty), the export's (not empty) and the device, checked. */
struct nbdclient_parts {
	const char *server, *export_name;
	size_t server_len, export_len;
	char device[64];
};
int nbdclient_triple(const struct cmdline_ctx *c, const char *s, size_t len,
		     struct nbdclient_parts *p);

#endif
