#!/bin/bash
# boot-dhcp-root-path: no server on the command line at all: the built-in DHCP client gets a lease and the root from dnsmasq's root-path in the canonical form; the lease file has klibc's keys.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-dhcp-root-path --server nbdkit --dnsmasq --timeout 90 \
	--dnsmasq-arg=--dhcp-option=17,10.77.0.1:10809/root \
	--append "root=/dev/nbd0 lab.test=dhcp-lease" \
	--expect 'nbdroot: dhcp: eth0: lease from 10\.77\.0\.1 for 600 s, after [0-9]+ ms' \
	--expect 'nbdroot: dhcp: root 10\.77\.0\.1 port 10809 export "root" \(server from the root-path\)' \
	--expect "$(marker_re rw ok 0)" \
	--expect "NBDROOT-TEST: lease IPV4ADDR='10\.77\.0\.10'" \
	--expect "NBDROOT-TEST: lease IPV4NETMASK='255\.255\.255\.0'" \
	--expect "NBDROOT-TEST: lease ROOTPATH='10\.77\.0\.1:10809/root'" \
	--expect "NBDROOT-TEST: lease DHCPLEASETIME='600'" \
	--expect 'NBDROOT-TEST: test dhcp-lease exit=0'
