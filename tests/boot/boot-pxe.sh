#!/bin/bash
# boot-pxe: a diskless guest boots by PXE: SeaBIOS + QEMU's iPXE ROM get DHCP and TFTP (kernel, initramfs, boot.ipxe) from dnsmasq, then nbdroot attaches the NBD root.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# Until nbdroot does DHCP itself, the iPXE script's command line carries a
# static ip=; the server still comes from ip='s <server> field, not nbdroot=.
lab --case boot-pxe --pxe --server nbdkit --timeout 150 \
	--append "nbdroot=10809/root $STATIC_IP $ROOT_ARGS" \
	--expect 'iPXE initialising devices' \
	--expect 'tftp://10\.77\.0\.1/boot\.ipxe\.\.\. ok' \
	--expect 'initrd\.img\.\.\. ok' \
	--expect 'Command line: initrd=initrd\.img BOOTIF=01-52-54-00-12-34-56 nbdroot=' \
	--expect "$(marker_re rw ok 0)"
