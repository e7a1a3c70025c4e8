/* config.h: the configuration nbdroot acts on, as parsed from the kernel command line. */
#ifndef NBDROOT_CONFIG_H
#define NBDROOT_CONFIG_H

#include <stdint.h>
#include <stddef.h>

#define NBDROOT_STRING_MAX 4096 /* NBD's cap on names and messages */
#define NBDROOT_DEFAULT_PORT 10809
#define NBDROOT_DEFAULT_DEVICE "/dev/nbd0"
/* Per-request timeout (s): a request unanswered this long marks the link dead. */
#define NBDROOT_DEFAULT_TIMEOUT 30
/* How long (s) the kernel holds I/O for a dead link before failing it:
 * long enough that a server restart or a one-minute outage never surfaces. */
#define NBDROOT_DEFAULT_DEAD_TIMEOUT 600
#define NBDROOT_DEFAULT_CONNECTIONS 1
#define NBDROOT_MAX_CONNECTIONS 16
#define NBDROOT_MAX_ALT 3 /* nbdroot.alt_server= */
#define NBDROOT_DEFAULT_OVERLAY_SIZE "50%" /* of RAM, as live-boot's overlay-size= */

/* An IP address literal; family 0 means "not given". */
struct nbdroot_addr {
	int family; /* 0, 4 or 6 */
	uint8_t bytes[16]; /* network order; IPv4 uses the first 4 */
};

/* The kernel's ip= parameter (Documentation/admin-guide/nfs/nfsroot.rst). */
struct nbdroot_ipconf {
	int present;
	struct nbdroot_addr client, server, gateway, netmask;
	char hostname[65];
	char device[16]; /* IFNAMSIZ */
	char autoconf[16]; /* off, none, static, dhcp, ... */
};

struct nbdroot_config {
	struct nbdroot_addr server; /* family 0: DHCP or ip= must supply it */
	uint16_t port;
	/* nbdroot.alt_server=: the same export elsewhere, tried in turn after server */
	struct nbdroot_addr alt[NBDROOT_MAX_ALT];
	uint16_t alt_port[NBDROOT_MAX_ALT]; /* 0: port */
	uint32_t nalt;
	char export_name[NBDROOT_STRING_MAX + 1];
	char device[64];
	char fstype[32];
	char rootflags[256];
	uint32_t timeout;
	uint32_t dead_timeout;
	uint32_t connections;
	int readonly;
	int overlay; /* nbdroot.overlay=tmpfs: a RAM layer on a read-only root */
	char overlay_size[16]; /* tmpfs size=: <N>[k|m|g] or <N>% */
	int debug;
	int dhcp; /* nbdroot=dhcp, or root-path wanted from DHCP */
	int spec; /* a root spec other than dhcp: its port and export beat DHCP's */
	char bootif[18]; /* BOOTIF=: the boot interface's MAC, xx:xx:xx:xx:xx:xx, or "" */
	struct nbdroot_ipconf ip;
};

#endif
