#!/bin/bash
# boot-pxe: a diskless guest boots with no server address on any command line: SeaBIOS + QEMU's iPXE ROM get DHCP and TFTP (kernel, initramfs, boot.ipxe) from dnsmasq, nbdroot does DHCP again and takes the NBD root from the root-path.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-pxe --pxe --server nbdkit --timeout 150 \
	--dnsmasq-arg=--dhcp-option=option:root-path,nbd://$SERVER_IP:10809/root \
	--append "nbdroot=dhcp ip=dhcp $ROOT_ARGS" \
	--expect 'iPXE initialising devices' \
	--expect 'tftp://10\.77\.0\.1/boot\.ipxe\.\.\. ok' \
	--expect 'initrd\.img\.\.\. ([0-9]+%[^a-z]*)*ok' \
	--expect 'Command line: initrd=initrd\.img BOOTIF=01-52-54-00-12-34-56 nbdroot=dhcp ip=dhcp root=/dev/nbd0 ' \
	--expect 'nbdroot: dhcp: eth0: .*from 10\.77\.0\.1' \
	--expect 'nbdroot: dhcp: root 10\.77\.0\.1 port 10809 export "root" \(server from the root-path\)' \
	--expect "$(marker_re rw ok 0)" \
	--reject 'Command line: .*(10\.77\.0\.1|nbdroot=[^d])'
