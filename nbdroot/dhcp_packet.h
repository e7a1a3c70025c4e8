/* dhcp_packet.h: BOOTP/DHCP messages built and parsed over plain buffers (RFC 2131, 2132, 3396). */
#ifndef NBDROOT_DHCP_PACKET_H
#define NBDROOT_DHCP_PACKET_H

#include <stddef.h>
#include <stdint.h>

#define DHCP_DISCOVER 1
#define DHCP_OFFER 2
#define DHCP_REQUEST 3
#define DHCP_ACK 5
#define DHCP_NAK 6

#define DHCP_HEADER_LEN 240 /* fixed BOOTP part and the magic cookie */
#define DHCP_MIN_LEN 300 /* BOOTP's minimum: requests are padded to it */
#define DHCP_BUILD_MAX 320 /* room a request may need */
#define DHCP_RECV_MAX 1500 /* an Ethernet MTU: larger replies are cut there */

/* What a request carries. Zero fields are left out. */
struct dhcp_request {
	uint8_t type;
	uint8_t mac[6];
	uint32_t xid;
	uint8_t ciaddr[4]; /* renewing or rebinding: our address (no broadcast flag) */
	uint8_t requested[4]; /* option 50 */
	uint8_t server_id[4]; /* option 54 */
};

/* What a reply (or a lease file written by klibc or dracut) says. Strings
 * are NUL-terminated (a NUL sent inside one ends it there), the root-path
 * sized so that no reply that fits DHCP_RECV_MAX is ever cut, the others cut
 * at 255 bytes; absent values are zero / "". */
struct dhcp_reply {
	uint8_t type; /* option 53 */
	uint8_t rapid_commit; /* option 80 (empty) is there: an ACK committed to a DISCOVER */
	uint8_t yiaddr[4], siaddr[4]; /* your address, next server */
	uint8_t server_id[4]; /* option 54 */
	uint8_t netmask[4], router[4], broadcast[4]; /* options 1, 3 (first), 28 */
	uint8_t dns[8]; /* option 6: the first two */
	uint8_t lease[4], t1[4], t2[4]; /* options 51, 58, 59: seconds, big-endian */
	char hostname[256]; /* 12 */
	char domain[256]; /* 15 */
	char file[256]; /* 67, else the file field */
	char root_path[DHCP_RECV_MAX]; /* 17 */
};

static inline uint32_t dhcp_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Build a BOOTREQUEST into buf (DHCP_BUILD_MAX bytes); returns its length.
 * A DISCOVER asks for Rapid Commit (option 80, RFC 4039). */
size_t dhcp_build(uint8_t *buf, const struct dhcp_request *q);

/* Parse a BOOTREPLY to transaction xid from chaddr mac: option 52 overload
 * and long options (RFC 3396, concatenated across options, file, sname) are
 * honoured, every option length is checked. Pure: no I/O, no globals, no
 * allocation. Returns NULL, or why the packet was rejected: "not for us"
 * (not a DHCP reply at all), "wrong xid", "wrong chaddr" (a reply to
 * another transaction or client), "bad options" (an option runs past its
 * field, a fixed-size one has the wrong length, a bad option 52, an option 80
 * that is not empty),
 * "incomplete" (no message type, no server identifier, or no address in
 * what is not a NAK). */
const char *dhcp_parse(const uint8_t *buf, size_t len, uint32_t xid, const uint8_t *mac,
		       struct dhcp_reply *r);

#endif
