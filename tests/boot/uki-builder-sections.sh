#!/bin/bash
# uki-builder-sections: mkinitramfs-nbdroot --uki writes a PE image whose added sections (.osrel, .cmdline, .initrd, .linux) start on page-aligned VMAs after the stub's, in order, without overlap, and hold exactly the command line, the initramfs (-o's bytes) and the kernel; --sign gives an image sbverify accepts with the snakeoil certificate and rejects with another; misuse fails with one line.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=uefi-lib.sh
. "$(dirname "$0")/uefi-lib.sh"
name=uki-builder-sections
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
fail() { echo "$name: FAIL $*"; fails=$((fails + 1)); }
build=$BOOT_HERE/initramfs/build.sh
cmdline="nbdroot=dhcp ip=dhcp root=/dev/nbd0 console=ttyS0"
snakeoil_key || exit 1
"$build" --nic "virtio_net virtio_pci" -o "$work/initrd.gz" --uki "$work/u.efi" --cmdline "$cmdline" \
	--sign "$SNAKEOIL_KEY" --cert "$SNAKEOIL_CERT" >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "the build failed"; exit 1; }
objdump -h "$work/u.efi" >"$work/sections"
# name size vma fileoff, for every section, in order
awk '$1 ~ /^[0-9]+$/ { print $2, $3, $4, $6 }' "$work/sections" >"$work/list"
prev_end=0 order=
while read -r sec size vma off; do
	[ $((0x$vma)) -ge "$prev_end" ] || fail "$sec at 0x$vma overlaps the section before (ends at $(printf 0x%x "$prev_end"))"
	prev_end=$((0x$vma + 0x$size))
	case $sec in
	.osrel | .cmdline | .initrd | .linux)
		order="$order $sec"
		[ $((0x$vma % 4096)) = 0 ] || fail "$sec's VMA 0x$vma is not page-aligned"
		dd if="$work/u.efi" of="$work/$sec" bs=1M iflag=skip_bytes,count_bytes skip=$((0x$off)) count=$((0x$size)) status=none
		;;
	esac
done <"$work/list"
[ "$order" = " .osrel .cmdline .initrd .linux" ] || fail "added sections in order \"$order\""
[ "$(cat "$work/.cmdline")" = "$cmdline" ] || fail ".cmdline holds \"$(cat "$work/.cmdline")\""
cmp -s "$work/.initrd" "$work/initrd.gz" || fail ".initrd is not the initramfs written to -o"
cmp -s "$work/.linux" "$LAB_CACHE/kernel/vmlinuz" || fail ".linux is not the lab kernel"
grep -q '^ID=nbdroot$' "$work/.osrel" || fail ".osrel has no ID=nbdroot"
sbverify --cert "$SNAKEOIL_CERT" "$work/u.efi" >/dev/null 2>&1 || fail "sbverify rejects the signed UKI"
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=other -days 1 -keyout "$work/o.key" -out "$work/o.pem" 2>/dev/null
sbverify --cert "$work/o.pem" "$work/u.efi" >/dev/null 2>&1 && fail "sbverify accepts the UKI with an unrelated certificate"
echo "$name: $(tail -n 1 "$work/build.log")"
# misuse: each must fail with one line naming what is wrong
check_err() { # check_err REGEX ARGS...
	local re=$1 out
	shift
	if out=$("$build" "$@" 2>&1); then
		fail "$* succeeded"
	elif ! grep -qE "$re" <<<"$out"; then
		fail "$*: expected /$re/, got: $out"
	fi
}
check_err 'build.sh: --uki needs --cmdline' --uki "$work/x.efi"
check_err 'build.sh: --sign and --cert are for --uki' -o "$work/x.gz" --sign "$SNAKEOIL_KEY" --cert "$SNAKEOIL_CERT"
check_err 'build.sh: --cmdline and --kernel-image are for --uki' -o "$work/x.gz" --cmdline x
check_err 'build.sh: --stub: no EFI stub at /nonexistent' --uki "$work/x.efi" --cmdline x --stub /nonexistent
check_err 'build.sh: --kernel-image: no kernel at /nonexistent' --uki "$work/x.efi" --cmdline x --kernel-image /nonexistent
check_err 'build.sh: --sign KEY --cert CERT: both must be readable' --uki "$work/x.efi" --cmdline x --sign /nonexistent --cert "$SNAKEOIL_CERT"
[ ! -e "$work/x.efi" ] || fail "a failed build left $work/x.efi"
if [ "$fails" = 0 ]; then
	echo "$name: PASS"
else
	echo "$name: $fails failure(s)"
	exit 1
fi
