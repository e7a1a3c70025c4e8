/* netif.h: interface bring-up (static ip= or a DHCP lease). */
#ifndef NBDROOT_NETIF_H
#define NBDROOT_NETIF_H

#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include "config.h"

/* Bring the interface of a static ip= up: link up, address/netmask, default
 * route via the gateway when given. An empty device means the first
 * non-loopback interface. Returns 0, or 1/2 with err set. */
int netif_static(const struct nbdroot_ipconf *ip, char *err, size_t errlen);

/* Configure ifname: IPv4 address addr, netmask mask (NULL: the address
 * class's), default route via gw (none when 0.0.0.0), hostname (when not
 * ""); lo comes up too. Returns 0, or 1 with err set. */
int netif_apply(const char *ifname, const uint8_t *addr, const uint8_t *mask,
		const uint8_t *gw, const char *hostname, char *err, size_t errlen);

/* a dotted quad into buf (16 bytes); returns buf */
char *netif_ip(const uint8_t *a, char *buf);

/* The interfaces to configure: dev alone when not "", else the one whose
 * MAC is mac ("xx:xx:xx:xx:xx:xx") when not "", else every eligible one (not
 * loopback, able to broadcast, at most max) in name order; waits for
 * drivers that probe late. Returns how many, or -1 with err set. */
int netif_find(const char *dev, const char *mac, char (*names)[IFNAMSIZ], int max,
	       char *err, size_t errlen);

/* Set IFF_UP on ifname through socket s. Returns 0, or 1 with err set. */
int netif_link_up(int s, const char *ifname, char *err, size_t errlen);

/* 1 when the interface has a carrier (sysfs), 0 when not or unknown */
int netif_carrier(const char *ifname);

#endif
