#!/bin/bash
# boot-initramfs-reproducible: the builder's output is the same bytes for the same inputs (other temp dir, umask, locale, input mtimes) in each compression.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/t1" "$work/t2"
# fail WHAT LOG: a build itself failed; its own words, not just a status
fail() {
	echo "initramfs-reproducible: $1: initramfs/build.sh failed:"
	tail -n 20 "$2"
	echo "lab: FAIL boot-initramfs-reproducible: the $1 failed"
	exit 1
}
cp -p "$here/build/nbdroot" "$work/nbdroot" || fail "copy of build/nbdroot" /dev/null
rc=0
for c in gz zst xz; do
	(umask 022; cd /; TMPDIR=$work/t1 LC_ALL=C "$here/initramfs/build.sh" --nic "virtio_net virtio_pci" \
		--nbdroot "$work/nbdroot" -o "$work/a.$c") >"$work/a.log" 2>&1 || fail "$c, first build" "$work/a.log"
	touch -d '2001-02-03 04:05:06' "$work/nbdroot"
	(umask 077; cd "$work"; TMPDIR=$work/t2 LC_ALL=C.UTF-8 "$here/initramfs/build.sh" --nic "virtio_net virtio_pci" \
		--nbdroot "$work/nbdroot" -o "$work/b.$c") >"$work/b.log" 2>&1 || fail "$c, second build" "$work/b.log"
	a=$(sha256sum <"$work/a.$c" | cut -c1-16)
	b=$(sha256sum <"$work/b.$c" | cut -c1-16)
	if [ "$a" = "$b" ]; then
		echo "initramfs-reproducible: $c: same bytes ($(stat -c %s "$work/a.$c") bytes, sha256 $a...)"
	else
		echo "initramfs-reproducible: $c: builds differ ($a... vs $b...)"
		rc=1
	fi
done
if [ $rc = 0 ]; then
	echo "lab: PASS boot-initramfs-reproducible"
else
	echo "lab: FAIL boot-initramfs-reproducible: two builds from the same inputs differ"
fi
exit $rc
