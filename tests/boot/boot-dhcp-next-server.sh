#!/bin/bash
# boot-dhcp-next-server: no root-path and nbdroot=10809/root: the server is DHCP's next-server (siaddr, from dhcp-boot), an address other than the DHCP server's own; the kernel's ip=::::<host>:<dev>:dhcp form names the interface and the hostname.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# The NBD server listens on 10.77.0.2 only: the DHCP server (10.77.0.1) has none.
lab --case boot-dhcp-next-server --server nbdkit --server-ip 10.77.0.2 --dnsmasq --timeout 90 \
	--dnsmasq-arg=--dhcp-boot=pxelinux.0,bootsrv,10.77.0.2 \
	--append "nbdroot=10809/root ip=::::client7:eth0:dhcp root=/dev/nbd0 lab.test=dhcp-lease" \
	--expect 'nbdroot: dhcp: eth0: lease from 10\.77\.0\.1 ' \
	--expect 'nbdroot: dhcp: root 10\.77\.0\.2 port 10809 export "root" \(server from the next-server\)' \
	--expect "$(marker_re rw ok 0)" \
	--expect 'NBDROOT-TEST: hostname client7' \
	--expect "NBDROOT-TEST: lease ROOTSERVER='10\.77\.0\.2'"
