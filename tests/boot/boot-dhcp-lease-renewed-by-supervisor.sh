#!/bin/bash
# boot-dhcp-lease-renewed-by-supervisor: a root found by DHCP (nbdroot=dhcp, dnsmasq's root-path) keeps its lease:
# after switch_root the supervisor renews it at T1 (20 s here), twice, and dnsmasq acknowledges.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-dhcp-lease-renewed-by-supervisor --server nbdkit --dnsmasq --timeout 200 \
	--dnsmasq-arg=--dhcp-option=option:root-path,$SERVER_IP:10809/root \
	--dnsmasq-arg=--dhcp-option=option:T1,20 --dnsmasq-arg=--dhcp-option=option:T2,40 \
	--append "nbdroot=dhcp root=/dev/nbd0 lab.test=dhcp-renewal" \
	--expect 'nbdroot: supervise: /dev/nbd0: start -> up 10.77.0.1:10809' \
	--expect 'NBDROOT-TEST: dhcp renewals=[2-9]' \
	--expect 'NBDROOT-TEST: test dhcp-renewal exit=0' "$@"
