#!/bin/bash
# run.sh: the Debian packaging test: builds the .debs from a clean copy of the tree, lintian (no E:), installs them into a clean bookworm chroot, builds images there for the lab kernel and boots each in the lab.
# usage: tests/debian/run.sh [--keep]   (--keep: keep the work folder; its path is printed)
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
cache=${NBDROOT_CACHE:-$here/.cache}
# shellcheck source-path=SCRIPTDIR source=../boot/lib.sh
. "$here/tests/boot/lib.sh"
keep=
[ "${1:-}" != --keep ] || keep=1

fail() {
	echo "nbdroot: deb-check: $*"
	exit 1
}
[ "$(id -u)" = 0 ] || fail "must run as root (chroot, mount namespace, the lab)"
for t in lintian debootstrap unshare; do
	command -v "$t" >/dev/null || fail "no $t (run ./qemu/deps.sh)"
done
kver=$(cat "$cache/kernel/version" 2>/dev/null) || fail "no lab kernel in $cache/kernel (run ./qemu/deps.sh)"
kroot=$cache/kernel/root
for f in "lib/modules/$kver/modules.dep" "boot/config-$kver"; do
	[ -f "$kroot/$f" ] || fail "the lab kernel in $kroot lacks $f"
done

work=$(mktemp -d "${TMPDIR:-/var/tmp}/nbdroot-deb.XXXXXX")
cleanup() {
	if [ -n "$keep" ]; then
		echo "deb-check: work folder kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
timings=()
phase_start=$SECONDS
phase_done() {
	timings+=("$(printf '%-38s %4d s' "$1" $((SECONDS - phase_start)))")
	echo "deb-check: ${timings[-1]}"
	phase_start=$SECONDS
}

# --- build, from a clean copy of the tree
"$here/tests/debian/build-debs.sh" "$work/debs" || fail "the packages did not build"
version=$(dpkg-parsechangelog -l "$here/debian/changelog" -S Version)
phase_done "build (dpkg-buildpackage)"

# --- lintian: errors fail, every other tag is listed
changes=$(ls "$work"/debs/nbdroot_"${version}"_*.changes)
lintian --pedantic --display-info "$changes" 2>/dev/null | grep -E '^[EWIPX]: ' >"$work/lintian.txt" || true
sed 's/^/deb-check: lintian: /' "$work/lintian.txt"
if grep -q '^E: ' "$work/lintian.txt"; then
	fail "lintian reports $(grep -c '^E: ' "$work/lintian.txt") error(s): $(grep -m1 '^E: ' "$work/lintian.txt")"
fi
echo "deb-check: lintian: $(grep -c '^E: ' "$work/lintian.txt") errors, $(grep -c '^W: ' "$work/lintian.txt") warnings"
phase_done "lintian"

# --- what each package holds: the files the images are made of, the man pages, the trigger
contains() {
	local pkg=$1 deb list f
	shift
	deb=$(ls "$work"/debs/"${pkg}"_*.deb) || fail "no $pkg package"
	list=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|')
	for f in "$@"; do
		grep -qx -e "$f" <<<"$list" || fail "$pkg does not hold $f"
	done
	dpkg-deb -I "$deb" triggers 2>/dev/null | grep -qx 'activate-noawait update-initramfs' ||
		fail "$pkg has no 'activate-noawait update-initramfs' trigger"
}
contains nbdroot /usr/sbin/nbdroot /usr/sbin/mkinitramfs-nbdroot /usr/lib/nbdroot/nbdroot \
	/usr/lib/nbdroot/init /usr/share/man/man8/nbdroot.8.gz /usr/share/man/man8/mkinitramfs-nbdroot.8.gz \
	/usr/share/man/man7/nbdroot-cmdline.7.gz
contains dracut-nbdroot /usr/lib/dracut/modules.d/90nbdroot/module-setup.sh
contains nbdroot-initramfs-tools /usr/share/initramfs-tools/hooks/nbdroot \
	'/usr/share/initramfs-tools/scripts/[a-z-]*/nbdroot'

# --- a clean bookworm (cached debootstrap, copied per run), the lab kernel's files bound in
base=$("$here/qemu/mkdebchroot.sh" --print) || fail "qemu/mkdebchroot.sh failed"
phase_done "debootstrap base (once, then cached)"
root=$work/root
cp -a "$base" "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mkdir -p "$root/tmp/debs" "$root/tmp/out" "$root/usr/lib/modules/$kver" "$cache/debchroot.apt/partial"
cp "$work"/debs/*.deb "$root/tmp/debs/"
cp "$kroot/boot/config-$kver" "$root/boot/config-$kver"
cp "$cache/kernel/vmlinuz" "$root/boot/vmlinuz-$kver"
cp "$here/tests/debian/in-chroot.sh" "$root/tmp/in-chroot.sh"
steps=(builder initramfs-tools)
echo "deb-check: installing into a clean bookworm chroot (${steps[*]})"
# A private mount namespace: the binds vanish with it, whatever happens.
# The downloaded packages are kept between runs (apt's archive folder).
exec 9>"$cache/debchroot.apt.lock"
flock 9
rc=0
# shellcheck disable=SC2016 # the script expands its own arguments
unshare -m --propagation private bash -euc '
	root=$1 kmods=$2 apt=$3
	shift 3
	mount -t proc proc "$root/proc"
	mount --rbind /dev "$root/dev"
	mount --bind "$kmods" "$root/usr/lib/modules/${kmods##*/}"
	mount -o remount,bind,ro "$root/usr/lib/modules/${kmods##*/}"
	mount --bind "$apt" "$root/var/cache/apt/archives"
	exec chroot "$root" /tmp/in-chroot.sh "$@"
' _ "$root" "$kroot/lib/modules/$kver" "$cache/debchroot.apt" "$kver" "${steps[@]}" 2>&1 |
	tee "$work/chroot.log" || rc=$?
flock -u 9
[ "$rc" = 0 ] || fail "in the chroot: $(grep -m1 'nbdroot: ' "$work/chroot.log" || tail -n 1 "$work/chroot.log")"
phase_done "chroot: apt install, images"

# --- boot each image in the lab: DHCP gives the address and the root-path, the root's init reports
boot() {
	local case=$1 img=$2
	shift 2
	# initramfs-tools' default MODULES=most image is 30 MB: as long as a dracut one to boot under TCG.
	"$LAB" --initrd "$img" --case "$case" --server nbdkit --dnsmasq --timeout 180 \
		"--dnsmasq-arg=--dhcp-option=17,$SERVER_IP:10809/root" "$@" ||
		fail "$case: the image did not boot to the root's init"
}
boot deb-mkinitramfs-nbdroot-dhcp-root-path "$root/tmp/out/mkinitramfs-nbdroot.img" \
	--append "root=/dev/nbd0 lab.test=poweroff" \
	--expect 'nbdroot: dhcp: root 10\.77\.0\.1 port 10809 export "root" \(server from the root-path\)' \
	--expect "$(marker_re rw ok 0)"
phase_done "boot mkinitramfs-nbdroot image"
boot deb-update-initramfs-dhcp-root-path "$root/tmp/out/update-initramfs.img" \
	--append "root=/dev/nbd0 rw lab.test=poweroff" \
	--expect 'nbdroot: dhcp: root 10\.77\.0\.1 port 10809 export "root" \(server from the root-path\)' \
	--expect "$(marker_re rw ok 0)"
phase_done "boot update-initramfs image"

echo "== deb-check timings"
printf '%s\n' "${timings[@]}"
echo "deb-check: PASS (nbdroot $version: built, lintian clean of errors, installed in bookworm, both images booted)"
