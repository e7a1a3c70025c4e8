#!/bin/bash
# boot-uefi-http-boot-uki: UEFI HTTP boot: OVMF's HTTP boot client (its PXE switched off) gets a URL by DHCP for the vendor class HTTPClient, loads one file from lighttpd in the lab netns, the builder's UKI (kernel, nbdroot initramfs, command line in one EFI binary), whose nbdroot takes the root from the DHCP root-path.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=uefi-lib.sh
. "$(dirname "$0")/uefi-lib.sh"
img=$(uki dhcp 0 "nbdroot=dhcp ip=dhcp $ROOT_ARGS") || exit 1
echo "boot-uefi-http-boot-uki: UKI $img, $(stat -c %s "$img") bytes"
lab --case boot-uefi-http-boot-uki --http-boot --uki "$img" --server nbdkit --timeout 200 \
	"$ROOT_PATH_ARG" \
	--expect '>>Start HTTP Boot over IPv4' \
	--expect 'URI: http://10\.77\.0\.1/nbdroot\.efi' \
	--expect "File Size: $(stat -c %s "$img") Bytes" \
	--expect 'BdsDxe: starting Boot0001 "UEFI HTTPv4 \(MAC:525400123456\)"' \
	--expect 'EFI stub: Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path' \
	--expect 'Command line: nbdroot=dhcp ip=dhcp root=/dev/nbd0 lab\.test=poweroff console=ttyS0 panic=-1$' \
	--expect 'nbdroot: dhcp: root 10\.77\.0\.1 port 10809 export "root" \(server from the root-path\)' \
	--expect "$(marker_re rw ok 0)" \
	--reject 'PXE over IPv4|tftp://|iPXE'
