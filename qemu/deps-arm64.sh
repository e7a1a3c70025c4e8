#!/bin/bash
# deps-arm64.sh: what the arm64 build, tests and lab need beyond qemu/deps.sh's: the cross compiler,
# qemu-user and qemu-system-aarch64 with AAVMF as host packages, and Debian's arm64 klibc, klibc-utils,
# busybox-static, kernel (the x86 kernel's version) and systemd-boot-efi (the UKI stub) unpacked into the cache (.cache/arm64/), so the
# host's own klibc and dpkg architectures stay as they are. Called by qemu/deps.sh.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cache=${NBDROOT_CACHE:-$here/.cache}
a64=$cache/arm64

pkgs=(
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross libubsan1-arm64-cross libasan8-arm64-cross
	qemu-user-static qemu-system-arm qemu-efi-aarch64
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps-arm64: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The x86 lab kernel's version names the arm64 one (same Debian ABI, other flavour).
kver_amd64=$(cat "$cache/kernel/version" 2>/dev/null) ||
	{ echo "deps-arm64: no $cache/kernel/version (qemu/deps.sh fetches the x86 kernel first)" >&2; exit 1; }
kver=${kver_amd64%-amd64}-arm64
klibc_ver=$(dpkg-query -W -f='${Version}' libklibc-dev)
stamp="klibc=$klibc_ver kernel=$kver busybox-static=$(dpkg-query -W -f='${Version}' busybox-static) v2"
if [ "$(cat "$a64/stamp" 2>/dev/null)" = "$stamp" ]; then
	echo "deps-arm64: ok (kernel $kver, klibc $klibc_ver, in ${a64#"$here"/})"
	exit 0
fi

# A private apt state that sees only arm64 package lists: apt-get download of :arm64 packages without
# dpkg --add-architecture (the lists go to .cache/arm64.new/apt, not /var/lib/apt).
new=$a64.new
rm -rf "$new"
mkdir -p "$new/apt/lists/partial" "$new/apt/cache/archives/partial" "$new/debs" "$new/root"
: >"$new/apt/status"
apt=(apt-get -q -o APT::Architecture=arm64 -o APT::Architectures::=arm64
	-o "Dir::State::Lists=$new/apt/lists" -o "Dir::Cache=$new/apt/cache"
	-o "Dir::State::status=$new/apt/status" -o Debug::NoLocking=1)
echo "deps-arm64: fetching Debian's arm64 lists, then klibc $klibc_ver, busybox-static, systemd-boot-efi and linux-image-$kver"
"${apt[@]}" update >&2
# klibc at the host's version, so both architectures build against the same library.
(cd "$new/debs" && "${apt[@]}" download "libklibc-dev=$klibc_ver" "libklibc=$klibc_ver" \
	"klibc-utils=$klibc_ver" busybox-static "linux-image-$kver" systemd-boot-efi 2>&1 | grep -v 'unsandboxed as root' >&2)
for d in "$new"/debs/*.deb; do
	case ${d##*/} in
	linux-image-*) ;;
	*) dpkg-deb -x "$d" "$new/root" ;;
	esac
done

# klibc: its include folder links linux/, asm/ and asm-generic/ relative to /usr/include; here they are
# the cross compiler's arm64 kernel headers. klcc is Debian's arm64 one, its prefix moved here.
inc=$new/root/usr/include
mkdir -p "$inc/aarch64-linux-gnu"
ln -s /usr/aarch64-linux-gnu/include/linux "$inc/linux"
ln -s /usr/aarch64-linux-gnu/include/asm-generic "$inc/asm-generic"
ln -s /usr/aarch64-linux-gnu/include/asm "$inc/aarch64-linux-gnu/asm"
[ -e "$new/root/usr/lib/klibc/include/asm/unistd.h" ] || { echo "deps-arm64: klibc's asm/ does not resolve" >&2; exit 1; }
# (its settings spell the path with escaped slashes, "\/" in a perl string, which is "/": unescaped first)
sed -e '1,/^# -\*- perl -\*-$/ s|\\/|/|g' -e "s|/usr/lib/klibc|$a64/root/usr/lib/klibc|g" "$new/root/usr/bin/klcc" >"$new/klcc"
grep -q "^\\\$prefix = \"$a64/root/usr/lib/klibc\";" "$new/klcc" || { echo "deps-arm64: klcc's prefix was not moved" >&2; exit 1; }
chmod 755 "$new/klcc"

# The kernel: as qemu/deps.sh unpacks the x86 one.
mkdir -p "$new/kernel/root"
dpkg-deb -x "$new"/debs/linux-image-"$kver"_*.deb "$new/kernel/root"
cp "$new/kernel/root/boot/vmlinuz-$kver" "$new/kernel/vmlinuz"
depmod -b "$new/kernel/root" "$kver"
echo "$kver" >"$new/kernel/version"

rm -rf "$new/debs" "$new/apt"
echo "$stamp" >"$new/stamp"
rm -rf "$a64"
mv "$new" "$a64"
echo "deps-arm64: ok (kernel $kver, klibc $klibc_ver, in ${a64#"$here"/})"
