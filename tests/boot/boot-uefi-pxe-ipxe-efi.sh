#!/bin/bash
# boot-uefi-pxe-ipxe-efi: a diskless UEFI guest (OVMF) boots from the network with no server on any command line: OVMF's own PXE client gets ipxe.efi by DHCP (option 93: x86-64 UEFI) and TFTP, iPXE's EFI build gets boot.ipxe, the kernel and the initramfs, nbdroot takes the NBD root from the DHCP root-path.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-uefi-pxe-ipxe-efi --firmware uefi --pxe --server nbdkit --timeout 200 \
	--dnsmasq-arg=--dhcp-option=option:root-path,nbd://$SERVER_IP:10809/root \
	--append "nbdroot=dhcp ip=dhcp $ROOT_ARGS" \
	--expect '>>Start PXE over IPv4' \
	--expect 'NBP filename is ipxe\.efi' \
	--expect 'BdsDxe: starting Boot0001 "UEFI PXEv4 \(MAC:525400123456\)"' \
	--expect 'iPXE 1\.0\.0\+git-[^ ]* -- Open Source Network Boot Firmware' \
	--expect 'net0: 52:54:00:12:34:56 using SNP' \
	--expect 'tftp://10\.77\.0\.1/boot\.ipxe\.\.\. ok' \
	--expect 'EFI stub: Loaded initrd from command line option' \
	--expect 'Command line: vmlinuz initrd=initrd\.img BOOTIF=01-52-54-00-12-34-56 nbdroot=dhcp ip=dhcp root=/dev/nbd0 ' \
	--expect 'nbdroot: dhcp: root 10\.77\.0\.1 port 10809 export "root" \(server from the root-path\)' \
	--expect "$(marker_re rw ok 0)" \
	--reject 'SeaBIOS|iPXE \(PCI' \
	--reject 'Command line: .*(10\.77\.0\.1|nbdroot=[^d])'
