#!/bin/bash
# boot-pxe-one-dnsmasq-bios-then-uefi: one dnsmasq, one configuration, serves a BIOS guest (SeaBIOS, QEMU's iPXE ROM) and then a UEFI guest (OVMF's PXE client, then ipxe.efi), told apart by DHCP option 93 and 175 as a site's server does; both boot to the NBD root from the root-path.
# cases: alone
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-pxe-one-dnsmasq-bios-then-uefi --pxe --firmware bios --then-firmware uefi --server nbdkit --timeout 200 \
	--dnsmasq-arg=--dhcp-option=option:root-path,nbd://$SERVER_IP:10809/root \
	--append "nbdroot=dhcp ip=dhcp $ROOT_ARGS" \
	--expect '^g1\| .*SeaBIOS \(version' \
	--expect '^g1\| .*iPXE \(PCI' \
	--expect '^g1\| .*tftp://10\.77\.0\.1/boot\.ipxe\.\.\. ok' \
	--expect "^g1\\| .*$(marker_re rw ok 0)" \
	--expect '^g1\| .*reboot: Power down' \
	--expect '^g2\| .*NBP filename is ipxe\.efi' \
	--expect '^g2\| .*BdsDxe: starting Boot0001 "UEFI PXEv4' \
	--expect '^g2\| .*tftp://10\.77\.0\.1/boot\.ipxe\.\.\. ok' \
	--expect "^g2\\| .*$(marker_re rw ok 0)" \
	--reject '^g1\| .*(BdsDxe|NBP filename)' \
	--reject '^g2\| .*SeaBIOS'
