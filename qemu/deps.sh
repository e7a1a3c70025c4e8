#!/bin/bash
# Installs every Debian package the build, the tests and the lab need, and
# unpacks the Debian kernel into the ignored cache folder (.cache/kernel).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cache=${NBDROOT_CACHE:-$here/.cache}

pkgs=(
	build-essential klibc-utils libklibc-dev
	clang llvm libclang-rt-14-dev
	qemu-system-x86 qemu-utils
	dnsmasq-base nbdkit nbd-server
	e2fsprogs squashfs-tools erofs-utils cpio kmod iproute2 nftables busybox-static
	procps psmisc util-linux python3 nbd-client debootstrap
	fdisk zstd xz-utils seabios ipxe-qemu dracut dracut-network iputils-arping
	fio gnuplot-nox dpkg-dev bzip2
	isc-dhcp-client man-db
	lighttpd
	initramfs-tools-core debhelper lintian
	ovmf ipxe systemd-boot-efi sbsigntool binutils openssl
	# make ARCH=arm64 (qemu/deps-arm64.sh unpacks the arm64 target's own packages)
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross libubsan1-arm64-cross libasan8-arm64-cross
	qemu-user-static qemu-system-arm qemu-efi-aarch64
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The guest kernel: the version linux-image-amd64 currently points at.
mkdir -p "$cache"
if [ ! -e "$cache/kernel/vmlinuz" ]; then
	ver=$(apt-cache depends linux-image-amd64 | sed -n 's/.*Depends: linux-image-\([0-9].*-amd64\)$/\1/p' | head -n1)
	[ -n "$ver" ] || { echo "deps: cannot resolve linux-image-amd64's kernel version" >&2; exit 1; }
	echo "deps: fetching Debian kernel $ver"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get download -q "linux-image-$ver")
	rm -rf "$cache/kernel.new"
	mkdir -p "$cache/kernel.new/root"
	dpkg-deb -x "$tmp"/linux-image-"$ver"_*.deb "$cache/kernel.new/root"
	cp "$cache/kernel.new/root/boot/vmlinuz-$ver" "$cache/kernel.new/vmlinuz"
	depmod -b "$cache/kernel.new/root" "$ver"
	echo "$ver" >"$cache/kernel.new/version"
	rm -rf "$cache/kernel"
	mv "$cache/kernel.new" "$cache/kernel"
fi
echo "deps: ok (kernel $(cat "$cache/kernel/version"))"
# make ARCH=arm64: the cross compiler, qemu-user, qemu-system-aarch64 and Debian's arm64 klibc,
# busybox and kernel (of this version) in $cache/arm64.
"$here/qemu/deps-arm64.sh"
