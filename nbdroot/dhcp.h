/* dhcp.h: the DHCPv4 client that gets the boot interface its address and the root its server. */
#ifndef NBDROOT_DHCP_H
#define NBDROOT_DHCP_H

#include "config.h"
#include "dhcp_packet.h"

/* How long the first lease may take, from the start of the search. */
#define DHCP_WAIT_MS 30000u

/* Get an IPv4 lease on ip->device, else on the interface with MAC bootif
 * ("xx:xx:xx:xx:xx:xx", when not ""), else on every eligible interface at once, the first lease
 * winning; apply it (address, netmask, default route, and the hostname when
 * ip= names none), write /run/nbdroot/net-<if>.conf and keep the lease for
 * dhcp_lease_*(). A lease that klibc's ipconfig (/run/net-<if>.conf) or
 * dracut (/tmp/dhclient.<if>.dhcpopts) already holds for one of those
 * interfaces is taken instead, as it is, and kept: rebound at once (the file
 * names no server), then renewed like one of ours. Returns 0 with r filled, or 1/2
 * (permanent/temporary) with the reason logged, naming the interfaces tried. */
int dhcp_run(const struct nbdroot_ipconf *ip, const char *bootif, struct dhcp_reply *r);

#endif
