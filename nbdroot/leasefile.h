/* leasefile.h: leases as shell-sourceable files: ours written klibc-style, klibc's and dracut's read. */
#ifndef NBDROOT_LEASEFILE_H
#define NBDROOT_LEASEFILE_H

#include <stddef.h>

#include "dhcp_packet.h"

#define LEASEFILE_DIR "/run/nbdroot"

/* Write LEASEFILE_DIR/net-<ifname>.conf: KEY='value' lines with klibc
 * ipconfig's names (DEVICE, PROTO, IPV4ADDR, IPV4BROADCAST, IPV4NETMASK,
 * IPV4GATEWAY, IPV4DNS0, IPV4DNS1, HOSTNAME, DNSDOMAIN, ROOTSERVER, ROOTPATH,
 * filename, DHCPLEASETIME). ROOTSERVER is the next server, else the DHCP
 * server. Returns 0, or -1 with errno. */
int leasefile_write(const char *ifname, const struct dhcp_reply *r);

#define LEASEFILE_KLIBC 0 /* /run/net-<dev>.conf: IPV4ADDR ROOTSERVER ROOTPATH DHCPLEASETIME */
#define LEASEFILE_DRACUT 1 /* /tmp/dhclient.<if>.dhcpopts: new_ip_address new_next_server
			    * new_dhcp_server_identifier new_root_path new_dhcp_lease_time */

/* Read such a file (shell assignments, quoted as sh's `set` or printf %q
 * quote them: '...' and \; the last one wins) into r's yiaddr, siaddr, server_id,
 * root_path and lease (DHCPLEASETIME, new_dhcp_lease_time; 0 when none).
 * Pure: no I/O, no globals, no allocation. Returns 0, or -1 when it holds no
 * IPv4 address: then it is no lease. */
int leasefile_parse(const char *buf, size_t len, int kind, struct dhcp_reply *r);

#endif
