#!/bin/bash
# boot-uefi-secure-boot-signed-uki: with OVMF's Secure Boot build and Debian's snakeoil keys enrolled, the builder's UKI signed with the snakeoil key (--sign/--cert) is let through by the firmware and boots to the NBD root, whose init reads SecureBoot=1 and SetupMode=0 from efivarfs.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=uefi-lib.sh
. "$(dirname "$0")/uefi-lib.sh"
img=$(uki sb-signed 1 "nbdroot=dhcp ip=dhcp root=/dev/nbd0 lab.test=secure-boot" --add-modules efivarfs) || exit 1
sbverify --cert "$SNAKEOIL_CERT" "$img" 2>&1 | grep -x 'Signature verification OK' || {
	echo "lab: FAIL boot-uefi-secure-boot-signed-uki: sbverify does not accept $img"
	exit 1
}
lab --case boot-uefi-secure-boot-signed-uki --http-boot --secure-boot --uki "$img" --server nbdkit --timeout 200 \
	"$ROOT_PATH_ARG" \
	--expect 'BdsDxe: starting Boot0001 "UEFI HTTPv4 \(MAC:525400123456\)"' \
	--expect 'secureboot: Secure boot enabled' \
	--expect "$(marker_re rw ok 0)" \
	--expect 'NBDROOT-TEST: secure-boot efi=yes SecureBoot=1 SetupMode=0' \
	--expect 'NBDROOT-TEST: test secure-boot exit=0' \
	--reject 'BdsDxe: failed|Secure boot disabled|NBDROOT-TEST: secure-boot FAIL'
