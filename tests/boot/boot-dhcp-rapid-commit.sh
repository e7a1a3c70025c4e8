#!/bin/bash
# boot-dhcp-rapid-commit: dnsmasq with --dhcp-rapid-commit answers the DISCOVER (which asks for Rapid Commit, RFC 4039) with the ACK, and the guest boots from that two-message lease: the lease line says "rapid commit", dnsmasq's log has a DHCPDISCOVER and no DHCPREQUEST, and the root comes from its root-path.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
out=$(lab --case boot-dhcp-rapid-commit --server nbdkit --dnsmasq --keep-logs --timeout 90 \
	--dnsmasq-arg=--dhcp-rapid-commit --dnsmasq-arg=--dhcp-option=17,10.77.0.1:10809/root \
	--append "root=/dev/nbd0 lab.test=dhcp-lease" \
	--expect 'nbdroot: dhcp: eth0: lease from 10\.77\.0\.1 for 600 s, after [0-9]+ ms, rapid commit' \
	--expect 'nbdroot: dhcp: root 10\.77\.0\.1 port 10809 export "root" \(server from the root-path\)' \
	--expect "$(marker_re rw ok 0)" \
	--expect "NBDROOT-TEST: lease IPV4ADDR='10\.77\.0\.10'" \
	--expect "NBDROOT-TEST: lease ROOTPATH='10\.77\.0\.1:10809/root'" \
	--expect 'NBDROOT-TEST: test dhcp-lease exit=0')
rc=$?
echo "$out"
logs=$(echo "$out" | sed -n 's/^lab: logs kept in //p')
# the two messages are dnsmasq's word too
if [ "$rc" = 0 ]; then
	if ! grep -q 'DHCPDISCOVER(tap0)' "$BOOT_HERE/$logs/dnsmasq.log"; then
		echo "boot-dhcp-rapid-commit: FAIL: dnsmasq logged no DHCPDISCOVER"
		rc=1
	elif grep -q 'DHCPREQUEST(tap0)' "$BOOT_HERE/$logs/dnsmasq.log"; then
		echo "boot-dhcp-rapid-commit: FAIL: dnsmasq logged a DHCPREQUEST: $(grep -m1 'DHCPREQUEST' "$BOOT_HERE/$logs/dnsmasq.log")"
		rc=1
	fi
fi
[ "$rc" = 0 ] && rm -rf "${BOOT_HERE:?}/$logs"
exit "$rc"
