#!/bin/bash
# mkinitramfs-tools.sh: builds an initramfs with Debian's real mkinitramfs (initramfs-tools-core) and this checkout's initramfs-tools/ hook and scripts, for the lab kernel, with no kernel installed on the host.
# mkinitramfs wants /lib/modules/<ver> and /boot/config-<ver> at those very
# paths, and reads its hooks and scripts from /usr/share/initramfs-tools: all
# three are supplied in a private mount namespace (unshare -m), from the lab's
# cached kernel package and a private copy of the share folder, so nothing on
# the host changes.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cache=${NBDROOT_CACHE:-$here/.cache}
share=/usr/share/initramfs-tools

usage() {
	cat <<EOF
usage: qemu/mkinitramfs-tools.sh [--with-nbd-client | --nbd-client-only] [--nbdroot FILE] [--scripts DIR] -o OUT
  Builds OUT (gzip) for the kernel in $cache/kernel with mkinitramfs -d <own confdir>:
  MODULES=netboot, the files 'make install-initramfs-tools' installs, and the
  static client FILE (default build/nbdroot).
  --with-nbd-client  also Debian's nbd-client package's hook and local-top/nbd,
                     as on a machine with both installed (default: without them)
  --nbd-client-only  nbd-client's files and not ours: what bookworm boots an NBD root
                     with today (the baseline of the negative controls and the benchmark)
  --scripts DIR      also DIR's STAGE/NAME boot scripts, as a site's own in
                     /etc/initramfs-tools/scripts (another package's, in a test)
EOF
}

fail() {
	echo "nbdroot: mkinitramfs-tools: $*" >&2
	exit 1
}

out='' with_nbd_client='' ours=1 bin=$here/build/nbdroot scripts=
while [ $# -gt 0 ]; do
	case $1 in
	-o) out=$2; shift ;;
	--with-nbd-client) with_nbd_client=1 ;;
	--nbd-client-only) with_nbd_client=1 ours='' ;;
	--nbdroot) bin=$2; shift ;;
	--scripts) scripts=$2; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; fail "unknown argument \"$1\", expected one of the options above" ;;
	esac
	shift
done
[ -n "$out" ] || { usage >&2; fail "no -o OUT given, expected the image's path"; }
[ "$(id -u)" = 0 ] || fail "must run as root (unshare -m, mounts), not uid $(id -u)"
command -v mkinitramfs >/dev/null || fail "no mkinitramfs, expected initramfs-tools-core (./qemu/deps.sh)"
[ -x "$bin" ] || fail "no nbdroot binary at $bin, expected one (make)"
[ -z "$scripts" ] || [ -d "$scripts" ] || fail "--scripts $scripts: no such directory, expected STAGE/NAME scripts in it"
ver=$(cat "$cache/kernel/version" 2>/dev/null) || fail "no lab kernel in $cache/kernel, expected ./qemu/deps.sh to have unpacked one"
kmods=$cache/kernel/root/lib/modules/$ver
kconfig=$cache/kernel/root/boot/config-$ver
[ -d "$kmods" ] || fail "no $kmods, expected the kernel package's modules"
[ -r "$kconfig" ] || fail "no $kconfig, expected the kernel package's config"
if [ -n "$with_nbd_client" ]; then
	dpkg-query -W -f='${Status}' nbd-client 2>/dev/null | grep -q 'ok installed' ||
		fail "--with-nbd-client: Debian's nbd-client package is not installed, expected it (./qemu/deps.sh)"
fi
bin=$(realpath "$bin")
out=$(realpath -m "$out")

work=$(mktemp -d "${TMPDIR:-/var/tmp}/nbdroot-mkinitramfs-tools.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The share folder as initramfs-tools-core has it, nbd-client's files kept
# only when asked for, and ours installed by the Makefile's own target.
cp -a "$share" "$work/share"
if [ -z "$with_nbd_client" ]; then
	while read -r f; do
		case $f in "$share"/*) [ -f "$f" ] && rm -f "$work/share/${f#"$share"/}" ;; esac
	done < <(dpkg -L nbd-client 2>/dev/null || true)
fi
if [ -n "$ours" ]; then
	make -s -C "$here" install-initramfs-tools DESTDIR="$work/inst" >/dev/null
	cp -a "$work/inst$share"/. "$work/share"/
fi

# A configuration of our own (mkinitramfs -d), not /etc/initramfs-tools.
conf=$work/conf
mkdir -p "$conf/conf.d" "$conf/hooks" "$conf/scripts"
cat >"$conf/initramfs.conf" <<'EOF'
MODULES=netboot
BUSYBOX=auto
KEYMAP=n
COMPRESS=gzip
DEVICE=
NFSROOT=auto
RUNSIZE=10%
FSTYPE=auto
EOF
# The lab's NIC is virtio: netboot's "net" class has virtio_net, not the bus.
echo virtio_pci >"$conf/modules"
[ -z "$scripts" ] || cp -r "$scripts"/. "$conf/scripts"/

mkdir -p "$work/usrlib/upper" "$work/usrlib/work" "$work/boot"
cp "$kconfig" "$work/boot/"
rc=0
# /lib is /usr/lib on a merged-/usr host, which has no /usr/lib/modules: an
# overlay on /usr/lib gives the namespace one without writing the host's.
# shellcheck disable=SC2016 # expanded by the namespace's shell
NBDROOT_BINARY=$bin unshare -m --propagation private bash -euc '
	mount -t overlay -o "lowerdir=/usr/lib,upperdir=$1/usrlib/upper,workdir=$1/usrlib/work" nbdroot-usrlib /usr/lib
	mkdir -p "/usr/lib/modules/$2"
	mount --bind "$3" "/usr/lib/modules/$2"
	mount --bind "$1/boot" /boot
	mount --bind "$1/share" /usr/share/initramfs-tools
	mkinitramfs -d "$1/conf" -o "$4" "$2"
' _ "$work" "$ver" "$kmods" "$out.new" || rc=$?
if [ "$rc" != 0 ] || [ ! -s "$out.new" ]; then
	rm -f "$out.new"
	fail "mkinitramfs for $ver failed (exit $rc)"
fi
mv "$out.new" "$out"
echo "mkinitramfs-tools: $out ($(stat -c %s "$out") bytes, kernel $ver${ours:+, nbdroot}${with_nbd_client:+, nbd-client})" >&2
