#!/bin/bash
# uki.sh: a unified kernel image (systemd-stub + kernel + initramfs + command line, one EFI program) for
# the lab's UEFI netboot of arm64 (qemu/lab.sh --arch arm64 --pxe): AAVMF loads it by PXE/TFTP, no iPXE.
# Sections as systemd-stub(7) of systemd 252 lays them out (objcopy, each after the one before, 4 KiB aligned).
set -euo pipefail

[ $# -eq 5 ] || { echo "usage: qemu/uki.sh STUB KERNEL INITRD CMDLINE OUT" >&2; exit 2; }
stub=$1 kernel=$2 initrd=$3 cmdline=$4 out=$5
for f in "$stub" "$kernel" "$initrd"; do
	[ -r "$f" ] || { echo "uki: no file $f" >&2; exit 1; }
done
case $(objdump -h "$stub" 2>/dev/null | sed -n 's/.*file format //p') in
pei-aarch64-little) objcopy=aarch64-linux-gnu-objcopy objdump=aarch64-linux-gnu-objdump ;;
pei-x86-64) objcopy=objcopy objdump=objdump ;;
*) objcopy=aarch64-linux-gnu-objcopy objdump=aarch64-linux-gnu-objdump ;;
esac
format=$("$objdump" -h "$stub" | sed -n 's/.*file format //p')
case $format in
pei-aarch64-little | pei-x86-64) ;;
*) echo "uki: $stub: file format \"$format\", expected pei-aarch64-little or pei-x86-64 (systemd-boot-efi's linux*.efi.stub)" >&2; exit 1 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%s' "$cmdline" >"$work/cmdline"
printf 'ID=nbdroot-lab\nPRETTY_NAME="nbdroot lab UKI"\n' >"$work/osrel"
# The end of the stub's last section (VMA + size), where ours start.
next=0
while read -r _ _ size vma _; do
	[ $((0x$vma + 0x$size)) -le "$next" ] || next=$((0x$vma + 0x$size))
done < <("$objdump" -h "$stub" | awk '$1 ~ /^[0-9]+$/')
args=()
align() { echo $((($1 + 4095) / 4096 * 4096)); }
for s in osrel:"$work/osrel" cmdline:"$work/cmdline" initrd:"$initrd" linux:"$kernel"; do
	name=${s%%:*} file=${s#*:}
	next=$(align "$next")
	args+=(--add-section ".$name=$file" --change-section-vma ".$name=$(printf '0x%x' "$next")")
	next=$((next + $(stat -L -c %s "$file")))
done
"$objcopy" "${args[@]}" "$stub" "$out.tmp"
mv "$out.tmp" "$out"
echo "uki: $out: $(stat -c %s "$out") bytes ($format; kernel ${kernel##*/}, initrd ${initrd##*/})" >&2
