#!/bin/bash
# boot-initramfs-module-closure: the builder takes nbd, the asked filesystems and the NICs with their modules.dep/softdep closure in load order, nothing else, and refuses an unknown module by name.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
	echo "initramfs-module-closure: $*"
	echo "lab: FAIL boot-initramfs-module-closure: $*"
	exit 1
}
# The load order /etc/modules gives, as bare names on one line.
order() {
	mkdir -p "$work/x"
	(cd "$work/x" && rm -rf ./* && gzip -dc "$1" | cpio -id --quiet etc/modules)
	sed 's|.*/||; s|\.ko.*||' "$work/x/etc/modules" | tr '\n' ' '
}
before() { # before A B LIST: module A is loaded before B
	awk -v a="$1" -v b="$2" '{ for (i = 1; i <= NF; i++) { if ($i == a) ia = i; if ($i == b) ib = i }
		exit !(ia && ib && ia < ib) }' <<<"$3"
}

"$here/initramfs/build.sh" --nic "virtio_net virtio_pci no_such_nic" --shell none \
	-o "$work/v.cpio.gz" >"$work/v.log" 2>&1 || fail "virtio build failed: $(cat "$work/v.log")"
grep -q 'NIC drivers not in this kernel, skipped: no_such_nic' "$work/v.log" ||
	fail "a NIC the kernel lacks was not reported as skipped"
o=$(order "$work/v.cpio.gz")
echo "initramfs-module-closure: virtio image loads: $o"
for m in nbd ext4 jbd2 mbcache crc16 crc32c_generic squashfs erofs libcrc32c overlay \
	virtio virtio_ring virtio_net virtio_pci; do
	case " $o " in *" $m "*) ;; *) fail "$m is missing from $o" ;; esac
done
before jbd2 ext4 "$o" || fail "jbd2 is not loaded before ext4"
before crc32c_generic jbd2 "$o" || fail "crc32c_generic (jbd2's softdep) is not loaded before jbd2"
before libcrc32c erofs "$o" || fail "libcrc32c (erofs's dependency) is not loaded before erofs"
before virtio_ring virtio_net "$o" || fail "virtio_ring is not loaded before virtio_net"
for m in xfs e1000 igb; do
	case " $o " in *" $m "*) fail "$m was not asked for but is in the image" ;; esac
done
gzip -dc "$work/v.cpio.gz" | cpio -t --quiet | grep -qx 'bin/sh' && fail "--shell none still has bin/sh"

"$here/initramfs/build.sh" --fs "ext4 xfs" --nic none -o "$work/x.cpio.gz" >/dev/null 2>&1 ||
	fail "--fs \"ext4 xfs\" build failed"
o=$(order "$work/x.cpio.gz")
case " $o " in *" xfs "*) ;; *) fail "--fs xfs did not add xfs: $o" ;; esac
case " $o " in *" virtio_net "*) fail "--nic none still has virtio_net" ;; esac

if "$here/initramfs/build.sh" --add-modules no_such_module -o "$work/n.cpio.gz" >"$work/n.log" 2>&1; then
	fail "an unknown --add-modules name was accepted"
fi
grep -q 'module no_such_module is neither in .*modules.dep nor built in' "$work/n.log" ||
	fail "unknown module message: $(cat "$work/n.log")"
echo "lab: PASS boot-initramfs-module-closure"
