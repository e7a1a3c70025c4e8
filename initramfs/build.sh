#!/bin/sh
# build.sh: builds the standalone klibc initramfs (init, nbdroot, the needed modules) as a reproducible cpio.gz.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
out=$here/build/initramfs.cpio.gz
kernel=
modules="nbd virtio_net virtio_pci ext4 crc32c_generic"
nbdroot=$here/build/nbdroot
shell=

usage() {
	cat <<EOF
usage: initramfs/build.sh [-o OUT] [-k KVER|MODULES_DIR] [--modules "m1 m2"]
                          [--nbdroot BIN] [--shell]
  -o OUT        output cpio.gz (default build/initramfs.cpio.gz)
  -k K          kernel version under .cache/kernel/root/lib/modules, or a
                /lib/modules/<version> folder (default: the lab kernel)
  --modules L   modules to include with their dependencies
                (default: $modules)
  --nbdroot B   the nbdroot binary (default build/nbdroot)
  --shell       add busybox as /bin/sh (for nbdroot.shell debugging)
EOF
}

die() {
	echo "initramfs/build.sh: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case $1 in
	-o) out=$2; shift 2 ;;
	-k) kernel=$2; shift 2 ;;
	--modules) modules=$2; shift 2 ;;
	--nbdroot) nbdroot=$2; shift 2 ;;
	--shell) shell=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument \"$1\"" ;;
	esac
done

case $kernel in
"") kernel=$(cat "$here/.cache/kernel/version" 2>/dev/null) ||
	die "no lab kernel in .cache/kernel: run ./qemu/deps.sh or pass -k"
	moddir=$here/.cache/kernel/root/lib/modules/$kernel ;;
*/*) moddir=$kernel ;;
*) moddir=$here/.cache/kernel/root/lib/modules/$kernel
	[ -d "$moddir" ] || moddir=/lib/modules/$kernel ;;
esac
[ -f "$moddir/modules.dep" ] || die "no modules.dep in $moddir (run depmod -b)"
[ -x "$nbdroot" ] || die "no nbdroot binary at $nbdroot: run make"

stage=$(mktemp -d)
ordered=$stage.order
: >"$ordered"
trap 'rm -rf "$stage" "$ordered" "$stage.init" "$stage.cpio"' EXIT

# init is built here so that the image never carries a stale one; private
# names first, since several builds may run at once.
mkdir -p "$here/build"
klcc -static -Os -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wcast-qual -Wvla -Werror \
	-Wp,-isystem,/usr/lib/klibc/include/arch/x86_64,-isystem,/usr/lib/klibc/include/bits64,-isystem,/usr/lib/klibc/include \
	-o "$stage.init" "$here/initramfs/init.c"
strip -o "$stage/init" "$stage.init"
cp "$stage/init" "$here/build/init.$$"
mv "$here/build/init.$$" "$here/build/init"

# The modules.dep path of a module name (dashes and underscores are the same).
modpath() {
	awk -F: -v want="$(echo "$1" | tr - _)" '{
		n = $1; sub(/.*\//, "", n); sub(/\.ko.*/, "", n); gsub(/-/, "_", n)
		if (n == want) { print $1; exit }
	}' "$moddir/modules.dep"
}

# Depth-first: every module's dependencies are listed before it.
visit() {
	grep -qxF "$1" "$ordered" && return 0
	# shellcheck disable=SC2013 # one line of space-separated paths
	for d in $(awk -F: -v p="$1" '$1 == p { print $2; exit }' "$moddir/modules.dep"); do
		visit "$d"
	done
	grep -qxF "$1" "$ordered" || echo "$1" >>"$ordered"
}

for m in $modules; do
	p=$(modpath "$m")
	if [ -z "$p" ]; then
		if grep -q "/$(echo "$m" | tr - _)\.ko\$\|/$m\.ko\$" "$moddir/modules.builtin" 2>/dev/null; then
			echo "initramfs: $m is built into the kernel"
			continue
		fi
		die "module $m not found in $moddir/modules.dep"
	fi
	visit "$p"
done

mkdir -p "$stage/dev" "$stage/proc" "$stage/sys" "$stage/run" "$stage/newroot" \
	"$stage/sbin" "$stage/etc" "$stage/lib/modules"
# The kernel opens /dev/console for init before anything is mounted.
mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null || true
chmod 755 "$stage/init"
install -m 755 "$nbdroot" "$stage/sbin/nbdroot"
: >"$stage/etc/modules"
while read -r p; do
	b=${p##*/}
	b=${b%%.ko*}.ko
	case $p in
	*.ko) cp "$moddir/$p" "$stage/lib/modules/$b" ;;
	*.ko.xz) xz -dc "$moddir/$p" >"$stage/lib/modules/$b" ;;
	*.ko.zst) zstd -qdc "$moddir/$p" >"$stage/lib/modules/$b" ;;
	*.ko.gz) gzip -dc "$moddir/$p" >"$stage/lib/modules/$b" ;;
	*) die "unknown module file type: $p" ;;
	esac
	chmod 644 "$stage/lib/modules/$b"
	echo "/lib/modules/$b" >>"$stage/etc/modules"
done <"$ordered"
if [ -n "$shell" ]; then
	mkdir -p "$stage/bin"
	install -m 755 /bin/busybox "$stage/bin/busybox"
	ln -s busybox "$stage/bin/sh"
fi

find "$stage" -exec touch -h -d @0 {} +
mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --reproducible --quiet) >"$stage.cpio"
raw=$(stat -c %s "$stage.cpio")
gzip -n -9 <"$stage.cpio" >"$out.$$"
mv "$out.$$" "$out"
echo "initramfs: $out: $(stat -c %s "$out") bytes gzip, $raw bytes uncompressed;" \
	"modules: $(sed 's|.*/||; s|\.ko$||' "$stage/etc/modules" | tr '\n' ' ')"
