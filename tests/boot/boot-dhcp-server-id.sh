#!/bin/bash
# boot-dhcp-server-id: no root-path and an empty next-server (siaddr 0.0.0.0): the server is the DHCP server identifier (option 54).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# dnsmasq puts its own address in siaddr unless told otherwise.
lab --case boot-dhcp-server-id --server qemu-nbd --dnsmasq --timeout 90 \
	--dnsmasq-arg=--dhcp-option=option:server-ip-address,0.0.0.0 \
	--append "nbdroot=10809/root ip=eth0:dhcp $ROOT_ARGS" \
	--expect 'nbdroot: dhcp: root 10\.77\.0\.1 port 10809 export "root" \(server from the server id\)' \
	--expect "$(marker_re rw ok 0)"
