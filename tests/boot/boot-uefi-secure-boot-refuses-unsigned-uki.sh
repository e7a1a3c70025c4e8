#!/bin/bash
# boot-uefi-secure-boot-refuses-unsigned-uki: with Secure Boot on (OVMF's Secure Boot build, snakeoil keys), the firmware downloads an unsigned UKI by HTTP boot and refuses to run it: OVMF reports Access Denied for the boot option and no kernel starts.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=uefi-lib.sh
. "$(dirname "$0")/uefi-lib.sh"
img=$(uki dhcp 0 "nbdroot=dhcp ip=dhcp $ROOT_ARGS") || exit 1
if sbverify --list "$img" 2>&1 | grep -q 'signature 1'; then
	echo "lab: FAIL boot-uefi-secure-boot-refuses-unsigned-uki: $img carries a signature"
	exit 1
fi
refused_boot boot-uefi-secure-boot-refuses-unsigned-uki "$img"
