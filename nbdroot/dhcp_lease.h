/* dhcp_lease.h: keeping the boot lease alive after the hand-off, for the supervisor's poll loop. */
#ifndef NBDROOT_DHCP_LEASE_H
#define NBDROOT_DHCP_LEASE_H

#include <stdint.h>

/* The lease lives in this process's memory (dhcp_run() took it): call these
 * from nbdroot itself or a fork of it, never after an exec. `now` is
 * clock_ms() time. */

/* Milliseconds until dhcp_lease_tick() has work (0: now), or -1 when no
 * lease is kept (none taken by nbdroot, or an infinite one). */
int dhcp_lease_pending_ms(uint64_t now);

/* Read what arrived on dhcp_lease_fd() without blocking, then send what is
 * due: from T1 a REQUEST unicast to the server, from T2 broadcast, each
 * repeated at half the time left (at least 10 s). An expired lease is
 * logged and kept asking for: the root filesystem depends on the address.
 * Call it when pending reaches 0 or the fd is readable. */
void dhcp_lease_tick(uint64_t now);

/* The socket the server's replies arrive on (poll it for POLLIN), or -1. */
int dhcp_lease_fd(void);

#endif
