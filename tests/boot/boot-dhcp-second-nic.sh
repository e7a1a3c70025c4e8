#!/bin/bash
# boot-dhcp-second-nic: two NICs, DHCP only behind the second: nbdroot asks on both at once and boots from the lease on eth1.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-dhcp-second-nic --server nbdkit --dnsmasq --extra-nic --timeout 90 \
	--dnsmasq-arg=--dhcp-option=17,10.77.0.1:10809/root \
	--append "root=/dev/nbd0 lab.test=poweroff" \
	--expect 'nbdroot: ip: eth1: 10\.77\.0\.10 netmask 255\.255\.255\.0' \
	--expect 'nbdroot: dhcp: eth1: lease from 10\.77\.0\.1 ' \
	--expect "$(marker_re rw ok 0)" \
	--reject 'nbdroot: dhcp: eth0: lease'
