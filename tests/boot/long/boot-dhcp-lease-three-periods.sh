#!/bin/bash
# boot-dhcp-lease-three-periods: with a 2-minute lease, after three lease periods on the real root the guest still has its address, still reads and writes its root, and the supervisor has had each renewal ACKed by dnsmasq (one per T1, no expiry).
# About 7 minutes, so it runs in make check-long (which make check runs last),
# not with the tests/boot/*.sh that make boot runs.
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
lab --case boot-dhcp-lease-three-periods --server nbdkit --dnsmasq --lease 2m --timeout 600 \
	--dnsmasq-arg=--dhcp-option=17,10.77.0.1:10809/root \
	--append "root=/dev/nbd0 lab.test=dhcp-lease-periods" \
	--expect 'nbdroot: dhcp: eth0: lease from 10\.77\.0\.1 for 120 s' \
	--expect 'NBDROOT-TEST: lease-periods done fails=0 renewals=[5-9]' \
	--expect 'NBDROOT-TEST: test dhcp-lease-periods exit=0' \
	--reject 'lease expired'
