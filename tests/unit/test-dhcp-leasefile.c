/* test-dhcp-leasefile.c: leases left by klibc's ipconfig and dracut's dhclient (quoted as their shells quote) read as stated, hostile ones refused. */
#include <stdint.h>

#include "leasefile.h"
#include "unit.h"

static const struct {
	const char *what;
	int kind;
	const char *text;
	int rc;
	const char *yiaddr, *siaddr, *server_id, *root_path;
	unsigned lease; /* seconds, 0: none */
} cases[] = {
	/* klibc 2.0.12 ipconfig, /run/net-eth0.conf (write_option: '...' with ' and ! as '\x') */
	{ "klibc ipconfig", LEASEFILE_KLIBC,
	  "DEVICE='eth0'\nPROTO='dhcp'\nIPV4ADDR='10.77.0.10'\nIPV4BROADCAST='10.77.0.255'\n"
	  "IPV4NETMASK='255.255.255.0'\nIPV4GATEWAY='10.77.0.1'\nIPV4DNS0='0.0.0.0'\n"
	  "IPV4DNS1='0.0.0.0'\nHOSTNAME=''\nDNSDOMAIN=''\nNISDOMAIN=''\n"
	  "ROOTSERVER='10.77.0.1'\nROOTPATH='nbd:10.77.0.1:root'\nfilename=''\nUPTIME='3'\n"
	  "DHCPLEASETIME='600'\nDOMAINSEARCH=''\n",
	  0, "10.77.0.10", "10.77.0.1", "0.0.0.0", "nbd:10.77.0.1:root", 600 },
	{ "klibc: 0.0.0.0 root server is none", LEASEFILE_KLIBC,
	  "IPV4ADDR='10.77.0.10'\nROOTSERVER='0.0.0.0'\nROOTPATH=''\n",
	  0, "10.77.0.10", "0.0.0.0", "0.0.0.0", "", 0 },
	{ "klibc: a quote in the root-path", LEASEFILE_KLIBC,
	  "IPV4ADDR='10.0.0.2'\nROOTPATH='10.0.0.1:10809/it'\\''s'\n",
	  0, "10.0.0.2", "0.0.0.0", "0.0.0.0", "10.0.0.1:10809/it's", 0 },
	{ "klibc: static (no address) is no lease", LEASEFILE_KLIBC,
	  "DEVICE='eth0'\nPROTO='none'\nIPV4ADDR='0.0.0.0'\n", -1, NULL, NULL, NULL, NULL, 0 },
	{ "nbdroot's own file reads back", LEASEFILE_KLIBC,
	  "DEVICE='eth0'\nPROTO='dhcp'\nIPV4ADDR='10.77.0.10'\nROOTSERVER='10.77.0.2'\n"
	  "ROOTPATH='10809/root'\nfilename=''\nDHCPLEASETIME='120'\n",
	  0, "10.77.0.10", "10.77.0.2", "0.0.0.0", "10809/root", 120 },
	{ "the longest lease time", LEASEFILE_KLIBC,
	  "IPV4ADDR='10.0.0.2'\nDHCPLEASETIME='4294967295'\n",
	  0, "10.0.0.2", "0.0.0.0", "0.0.0.0", "", 0xffffffffu },
	{ "a lease time over 32 bits is none", LEASEFILE_KLIBC,
	  "IPV4ADDR='10.0.0.2'\nDHCPLEASETIME='4294967296'\n",
	  0, "10.0.0.2", "0.0.0.0", "0.0.0.0", "", 0 },
	{ "a lease time that is no number is none", LEASEFILE_KLIBC,
	  "IPV4ADDR='10.0.0.2'\nDHCPLEASETIME='600s'\n",
	  0, "10.0.0.2", "0.0.0.0", "0.0.0.0", "", 0 },
	{ "an empty lease time is none (ipconfig's static file)", LEASEFILE_KLIBC,
	  "IPV4ADDR='10.0.0.2'\nPROTO='none'\nDHCPLEASETIME=''\n",
	  0, "10.0.0.2", "0.0.0.0", "0.0.0.0", "", 0 },
	/* Ubuntu 24.04 (initramfs-tools 0.142ubuntu25.8, dhcpcd-hooks/70-net-conf):
	 * ROOTSERVER is the router and there is no ROOTPATH */
	{ "Ubuntu 24.04 dhcpcd: its ROOTSERVER (the router) is no next server", LEASEFILE_KLIBC,
	  "DEVICE='eth0'\nPROTO='dhcp'\nIPV4ADDR='10.77.0.10'\nIPV4BROADCAST='10.77.0.255'\n"
	  "IPV4NETMASK='255.255.255.0'\nIPV4GATEWAY='10.77.0.254'\nIPV4DNS0='10.77.0.1'\n"
	  "HOSTNAME=''\nDNSDOMAIN=''\nROOTSERVER='10.77.0.254'\nfilename=''\n"
	  "DHCPLEASETIME='3600'\nDOMAINSEARCH=''\n",
	  0, "10.77.0.10", "0.0.0.0", "0.0.0.0", "", 3600 },
	/* Ubuntu 22.04 (isc-dhcp-client 4.4.1-2.3ubuntu2.4's initramfs enter hook): the
	 * same, and no lease time */
	{ "Ubuntu 22.04 dhclient: no next server, no lease time", LEASEFILE_KLIBC,
	  "DEVICE='eth0'\nPROTO='dhcp'\nIPV4PROTO='dhcp'\nIPV4ADDR='10.77.0.10'\n"
	  "IPV4NETMASK='255.255.255.0'\nIPV4BROADCAST='10.77.0.255'\nIPV4GATEWAY='10.77.0.254'\n"
	  "IPV4DNS0='10.77.0.1'\nROOTSERVER='10.77.0.254'\nHOSTNAME=''\nDNSDOMAIN=''\n",
	  0, "10.77.0.10", "0.0.0.0", "0.0.0.0", "", 0 },
	/* dracut 059 dhclient-script: `set` output of dash (always '...') */
	{ "dracut, dash quoting", LEASEFILE_DRACUT,
	  "new_broadcast_address='10.77.0.255'\nnew_dhcp_lease_time='600'\n"
	  "new_dhcp_server_identifier='10.77.0.1'\nnew_ip_address='10.77.0.10'\n"
	  "new_next_server='10.77.0.2'\nnew_root_path='nbd:10.77.0.1:root'\n"
	  "new_subnet_mask='255.255.255.0'\n",
	  0, "10.77.0.10", "10.77.0.2", "10.77.0.1", "nbd:10.77.0.1:root", 600 },
	{ "dracut: the other kind's lease time does not count", LEASEFILE_DRACUT,
	  "new_ip_address=10.0.0.2\nDHCPLEASETIME=600\n",
	  0, "10.0.0.2", "0.0.0.0", "0.0.0.0", "", 0 },
	/* bash's `set` quotes only where needed */
	{ "dracut, bash quoting", LEASEFILE_DRACUT,
	  "new_ip_address=10.77.0.10\nnew_next_server=10.77.0.1\n"
	  "new_root_path='10.77.0.1:10809/my disk'\n",
	  0, "10.77.0.10", "10.77.0.1", "0.0.0.0", "10.77.0.1:10809/my disk", 0 },
	/* network-manager's dhcpopts: printf %q */
	{ "dracut, printf %q", LEASEFILE_DRACUT,
	  "new_root_path=10.77.0.1:10809/my\\ disk\nnew_next_server=10.77.0.1\n"
	  "new_ip_address=10.77.0.10\n",
	  0, "10.77.0.10", "10.77.0.1", "0.0.0.0", "10.77.0.1:10809/my disk", 0 },
	{ "the last assignment wins, as when sourced", LEASEFILE_DRACUT,
	  "new_ip_address=10.0.0.1\nnew_ip_address=10.0.0.2\n"
	  "new_root_path=a\nnew_root_path=b\n",
	  0, "10.0.0.2", "0.0.0.0", "0.0.0.0", "b", 0 },
	{ "keys must match whole", LEASEFILE_DRACUT,
	  "new_ip_address=10.0.0.2\nold_new_root_path=x\nnew_root_path_extra=y\n"
	  "xnew_next_server=10.0.0.9\n",
	  0, "10.0.0.2", "0.0.0.0", "0.0.0.0", "", 0 },
	{ "a quoted newline is part of the value", LEASEFILE_DRACUT,
	  "new_root_path='a\nb'\nnew_ip_address=10.0.0.2\n",
	  0, "10.0.0.2", "0.0.0.0", "0.0.0.0", "a\nb", 0 },
	{ "an unclosed quote ends with the text", LEASEFILE_DRACUT,
	  "new_ip_address=10.0.0.2\nnew_root_path='abc",
	  0, "10.0.0.2", "0.0.0.0", "0.0.0.0", "abc", 0 },
	{ "no address: no lease", LEASEFILE_DRACUT,
	  "new_root_path=10.0.0.1:10809/root\n", -1, NULL, NULL, NULL, NULL, 0 },
	{ "an address that is none", LEASEFILE_DRACUT,
	  "new_ip_address=010.0.0.2\n", -1, NULL, NULL, NULL, NULL, 0 },
	{ "an IPv6 address is none", LEASEFILE_DRACUT,
	  "new_ip_address=fd00::2\n", -1, NULL, NULL, NULL, NULL, 0 },
	{ "an address with junk is none", LEASEFILE_DRACUT,
	  "new_ip_address='10.0.0.2 '\n", -1, NULL, NULL, NULL, NULL, 0 },
	{ "empty", LEASEFILE_DRACUT, "", -1, NULL, NULL, NULL, NULL, 0 },
	{ "the other kind's keys do not count", LEASEFILE_DRACUT,
	  "IPV4ADDR='10.0.0.2'\n", -1, NULL, NULL, NULL, NULL, 0 },
};

static const char *ip(const uint8_t *a)
{
	static char buf[4][16];
	static int n;

	n = (n + 1) % 4;
	snprintf(buf[n], sizeof(buf[n]), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	return buf[n];
}

static struct dhcp_reply r;

static void table(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = leasefile_parse(cases[i].text, strlen(cases[i].text), cases[i].kind, &r);

		CHECK(rc == cases[i].rc, "%s: rc %d", cases[i].what, rc);
		if (rc || cases[i].rc)
			continue;
		CHECK(!strcmp(ip(r.yiaddr), cases[i].yiaddr), "%s: address %s", cases[i].what,
		      ip(r.yiaddr));
		CHECK(!strcmp(ip(r.siaddr), cases[i].siaddr), "%s: next server %s", cases[i].what,
		      ip(r.siaddr));
		CHECK(!strcmp(ip(r.server_id), cases[i].server_id), "%s: server id %s",
		      cases[i].what, ip(r.server_id));
		CHECK(!strcmp(r.root_path, cases[i].root_path), "%s: root-path \"%s\"",
		      cases[i].what, r.root_path);
		CHECK(dhcp_be32(r.lease) == cases[i].lease, "%s: lease %u", cases[i].what,
		      (unsigned)dhcp_be32(r.lease));
	}
}

/* Values too long for their field, or holding a NUL, are not taken. */
static void limits(void)
{
	static char text[8192];
	size_t n;

	n = (size_t)snprintf(text, sizeof(text), "new_ip_address=10.0.0.2\nnew_root_path=");
	memset(text + n, 'a', sizeof(r.root_path) - 1);
	n += sizeof(r.root_path) - 1;
	CHECK(leasefile_parse(text, n, LEASEFILE_DRACUT, &r) == 0 &&
	      strlen(r.root_path) == sizeof(r.root_path) - 1, "root-path at the cap: %zu",
	      strlen(r.root_path));
	text[n++] = 'a';
	CHECK(leasefile_parse(text, n, LEASEFILE_DRACUT, &r) == 0 && !r.root_path[0],
	      "root-path over the cap is none: %zu", strlen(r.root_path));
	memcpy(text, "new_root_path=ok\nnew_root_path=a", 32);
	text[32] = '\0';
	text[33] = 'b';
	memcpy(text + 34, "\nnew_ip_address=10.0.0.3\n", 25);
	CHECK(leasefile_parse(text, 59, LEASEFILE_DRACUT, &r) == 0 && !r.root_path[0] &&
	      !strcmp(ip(r.yiaddr), "10.0.0.3"), "a NUL in the last value: none, \"%s\"",
	      r.root_path);
	n = (size_t)snprintf(text, sizeof(text), "new_ip_address=10.0.0.2%s", "0000000000");
	CHECK(leasefile_parse(text, n, LEASEFILE_DRACUT, &r) == -1, "address too long");
}

int main(void)
{
	table();
	limits();
	return unit_done("test-dhcp-leasefile");
}
