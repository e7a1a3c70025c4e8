#!/bin/bash
# boot-uefi-secure-boot-refuses-tampered-uki: the signed UKI that boot-uefi-secure-boot-signed-uki boots, with one byte of its .initrd section changed (the signature kept), is refused by the firmware with Secure Boot on: Access Denied, no kernel starts.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=uefi-lib.sh
. "$(dirname "$0")/uefi-lib.sh"
case=boot-uefi-secure-boot-refuses-tampered-uki
signed=$(uki sb-signed 1 "nbdroot=dhcp ip=dhcp root=/dev/nbd0 lab.test=secure-boot" --add-modules efivarfs) || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
img=$work/tampered.efi
cp "$signed" "$img"
off=$(section_offset "$img" .initrd)
[ -n "$off" ] || { echo "lab: FAIL $case: no .initrd section in $signed"; exit 1; }
# One byte 4 KiB into the initramfs (inside the gzip stream), inverted.
at=$((0x$off + 4096))
byte=$(od -An -tu1 -j "$at" -N1 "$img" | tr -d ' ')
# shellcheck disable=SC2059 # the format is the octal escape of the new byte
printf "$(printf '\\%03o' $((255 - byte)))" | dd of="$img" bs=1 seek="$at" conv=notrunc status=none
diff=$({ cmp -l "$signed" "$img" || true; } | wc -l)
echo "$case: byte $at (.initrd at 0x$off + 4096) changed from $byte to $((255 - byte)); $diff byte(s) differ"
[ "$diff" = 1 ] || { echo "lab: FAIL $case: expected one changed byte, got $diff"; exit 1; }
if sbverify --cert "$SNAKEOIL_CERT" "$img" >/dev/null 2>&1; then
	echo "lab: FAIL $case: sbverify still accepts the tampered UKI"
	exit 1
fi
refused_boot "$case" "$img"
