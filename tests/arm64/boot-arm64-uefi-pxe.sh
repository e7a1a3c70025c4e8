#!/bin/bash
# boot-arm64-uefi-pxe: an arm64 machine's UEFI netboot: AAVMF's own PXE client gets DHCP and TFTP from dnsmasq and starts a UKI (systemd-stub + kernel + nbdroot initramfs + command line); nbdroot's DHCP client then finds the root in the root-path and the root's init runs.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=../boot/lib.sh
. "$ARM64_HERE/tests/boot/lib.sh"
lab --case boot-arm64-uefi-pxe --server nbdkit --pxe --timeout 180 \
	--dnsmasq-arg=--dhcp-option=17,10.77.0.1:10809/root \
	--append "root=/dev/nbd0 lab.test=poweroff" \
	--expect 'nbdroot: dhcp: eth0: lease from 10\.77\.0\.1 ' \
	--expect 'nbdroot: dhcp: root 10\.77\.0\.1 port 10809 export "root" \(server from the root-path\)' \
	--expect "$(marker_re rw ok 0)"
