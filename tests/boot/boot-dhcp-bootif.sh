#!/bin/bash
# boot-dhcp-bootif: BOOTIF= (PXELINUX's IPAPPEND 2) picks the NIC that booted: with two NICs, DHCP runs on that one (eth1) alone.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# No DHCP server at all behind eth0: were it asked too, nothing would show; so
# the lease file for eth1 only, and none for eth0, is what the root reports.
lab --case boot-dhcp-bootif --server nbdkit --dnsmasq --extra-nic --timeout 90 \
	--dnsmasq-arg=--dhcp-option=17,10.77.0.1:10809/root \
	--append "BOOTIF=01-52-54-00-12-34-56 root=/dev/nbd0 lab.test=dhcp-lease" \
	--expect 'nbdroot: dhcp: eth1: lease from 10\.77\.0\.1 ' \
	--expect "NBDROOT-TEST: lease files: /run/nbdroot/net-eth1.conf$" \
	--expect "$(marker_re rw ok 0)"
