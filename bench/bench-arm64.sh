#!/bin/bash
# bench-arm64: the arm64 static nbdroot, init and initramfs beside the x86-64 ones, and the guest uptime when the NBD root's init starts on each (QEMU TCG, same lab, server and command line).
# Progress on stderr, a markdown section on stdout (bench/run.sh's contract).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
# shellcheck source=bench/lib.sh
. bench/lib.sh

BOOTS=${BENCH_BOOTS:-5}
cache=${NBDROOT_CACHE:-$here/.cache}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make -s build/nbdroot build/init >&2
make -s ARCH=arm64 all >&2
./qemu/mkroot.sh >/dev/null
./qemu/mkroot.sh --arch arm64 >/dev/null
kver_x86=$(cat "$cache/kernel/version")
kver_arm64=$(cat "$cache/arm64/kernel/version")

# The lab's images (virtio NIC only, as bench-initramfs's first row) and the shipped default NIC set.
for nic in virtio default; do
	n=()
	[ "$nic" = virtio ] && n=(--nic "virtio_net virtio_pci")
	./initramfs/build.sh "${n[@]}" -o "$work/x86_64-$nic.cpio.gz" >&2
	./initramfs/build.sh "${n[@]}" -o "$work/arm64-$nic.cpio.gz" --nbdroot build/arm64/nbdroot \
		--init build/arm64/init -k "$cache/arm64/kernel/root/lib/modules/$kver_arm64" \
		--klibc-root "$cache/arm64/root" >&2
done

# boots ARCH: BOOTS guests from the virtio image (lib.sh's boot_times), the root init's uptime of each, one a
# line, in $work/ARCH.times; a failed boot fails the benchmark.
boots() {
	local arch=$1 n
	boot_times "bench-arm64: $arch" "$BOOTS" ./qemu/lab.sh --arch "$arch" --case "bench-$arch" \
		--initrd "$work/$arch-virtio.cpio.gz" --timeout 240 \
		--append "nbdroot=10.77.0.1:10809/root ip=10.77.0.10:10.77.0.1::255.255.255.0::eth0:off root=/dev/nbd0 lab.test=poweroff" \
		--expect 'NBDROOT-TEST: root-init' >"$work/$arch.times"
	n=$(wc -l <"$work/$arch.times")
	[ "$n" = "$BOOTS" ] || { echo "bench-arm64: $arch: $n of $BOOTS boots reached the root's init" >&2; return 1; }
}
load_start=$(cut -d' ' -f1 /proc/loadavg)
boots x86_64
boots arm64
load_end=$(cut -d' ' -f1 /proc/loadavg)

mib() { awk -v b="$1" 'BEGIN { printf "%.2f MiB", b / 1048576 }'; }
img() { local s; s=$(stat -c %s "$1"); echo "$s ($(mib "$s")); $(raw_size "$1") uncompressed"; }

echo "## arm64 beside x86-64"
echo
echo "The same sources cross-built for arm64 (make ARCH=arm64: Debian's arm64 klibc $(dpkg-query -W -f='${Version}' libklibc-dev), aarch64-linux-gnu-gcc $(aarch64-linux-gnu-gcc -dumpversion)), Debian kernels $kver_x86 and $kver_arm64."
echo "Boot: guest uptime when the NBD root's /sbin/init starts, $BOOTS boots each, QEMU TCG, 1 vCPU, 512 MB, virtio-net-pci, nbdkit in the lab netns, static ip=;"
echo "x86-64 on -machine pc, arm64 on -machine virt -cpu cortex-a57 (qemu-system-aarch64 $(qemu-system-aarch64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')). Host load average $load_start at the start, $load_end at the end ($(nproc) cores)."
echo
echo "| | x86-64 | arm64 |"
echo "|---|---:|---:|"
echo "| nbdroot, static, stripped (bytes; limit 49152) | $(stat -c %s build/nbdroot) | $(stat -c %s build/arm64/nbdroot) |"
echo "| init, static, stripped (bytes) | $(stat -c %s build/init) | $(stat -c %s build/arm64/init) |"
for nic in virtio default; do
	[ "$nic" = virtio ] && what="virtio NIC only" || what="default NIC set"
	echo "| initramfs, $what, gzip (bytes) | $(img "$work/x86_64-$nic.cpio.gz") | $(img "$work/arm64-$nic.cpio.gz") |"
done
read -r xmed xmin xmax < <(stats <"$work/x86_64.times")
read -r amed amin amax < <(stats <"$work/arm64.times")
echo "| boot to root init, virtio image, median (min – max) | $xmed s ($xmin – $xmax) | $amed s ($amin – $amax) |"
echo
echo "The arm64 default NIC set has what the arm64 kernel has of the builder's list (its build names the rest); the rescue shell is klibc-utils of the same architecture."
