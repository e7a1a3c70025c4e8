#!/bin/bash
# mkroot.sh: builds (and caches) the lab's test root: busybox, a reporting /sbin/init, as an ext4 (or squashfs, erofs) image.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cache=${NBDROOT_CACHE:-$here/.cache}
dir=$cache/testroot
img=$cache/testroot.ext4
size=64M
label=nbdroot-test
# Files a test wants inside the root (run by lab.test=<name> as /test/<name>.sh).
extra=$here/tests/boot/root.d
force=

usage() {
	cat <<EOF
usage: qemu/mkroot.sh [--force] [--print] [--squashfs | --erofs] [--arch arm64]
  Builds $dir and $img (cached; rebuilt when this script,
  busybox, tests/boot/root.d, or (x86-64) tc, its libraries or the netem modules change).
  --print prints the image path.
  --squashfs / --erofs: also the same tree as $cache/testroot.squashfs
  (mksquashfs) or $cache/testroot.erofs (mkfs.erofs), cached alike; --print then
  prints that image's path.
  --arch arm64 (default: \$NBDROOT_ARCH): the same root with Debian's arm64 busybox-static
  (qemu/deps-arm64.sh), in $cache/arm64/ (testroot, testroot.ext4, ...).
EOF
}

print=
format=ext4
arch=${NBDROOT_ARCH:-}
args=("$@")
while [ $# -gt 0 ]; do
	case $1 in
	--force) force=1 ;;
	--print) print=1 ;;
	--squashfs) format=squashfs ;;
	--erofs) format=erofs ;;
	--arch) arch=$2; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 1 ;;
	esac
	shift
done

busybox=$(command -v busybox || true)
run=()
case $arch in
"" | x86_64) ;;
arm64)
	cache=$cache/arm64
	dir=$cache/testroot img=$cache/testroot.ext4
	busybox=$cache/root/bin/busybox
	[ -x "$busybox" ] || { echo "mkroot: no arm64 busybox at $busybox (run qemu/deps.sh)" >&2; exit 1; }
	run=(qemu-aarch64-static) ;;
*) echo "mkroot: --arch \"$arch\": expected arm64 or x86_64" >&2; exit 1 ;;
esac
# A dynamic busybox would find no libc on the test root.
if [ -z "$busybox" ] || readelf -l "$busybox" | grep -q 'program interpreter'; then
	echo "mkroot: need a static busybox (Debian: busybox-static)" >&2
	exit 1
fi

# The x86-64 root also carries iproute2's tc (busybox's has no netem) with its shared libraries and loader, and
# the lab kernel's modules for netem on egress and, through ifb, on ingress: the soak's packet loss, delay and
# reordering happen inside the guest (the host kernel has no netem).
netem_files=()
netem_mods=(sch_netem sch_ingress cls_matchall act_mirred ifb)
if [ -z "$arch" ] || [ "$arch" = x86_64 ]; then
	kver=$(cat "$cache/kernel/version" 2>/dev/null) || { echo "mkroot: no lab kernel in $cache/kernel (run qemu/deps.sh)" >&2; exit 1; }
	tc=$(command -v tc) || { echo "mkroot: need iproute2's tc" >&2; exit 1; }
	mapfile -t netem_files < <(echo "$tc"; ldd "$tc" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p')
	for m in "${netem_mods[@]}"; do
		f=$(find "$cache/kernel/root/lib/modules/$kver" -name "$m.ko*" | head -n 1)
		[ -n "$f" ] || { echo "mkroot: the lab kernel has no $m module" >&2; exit 1; }
		netem_files+=("$f")
	done
fi
stamp=$({
	cat "$0"
	sha256sum "$busybox"
	[ ${#netem_files[@]} = 0 ] || sha256sum "${netem_files[@]}"
	if [ -d "$extra" ]; then
		(cd "$extra" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
	fi
} | sha256sum | cut -d' ' -f1)
# The tree as a read-only image (shared-image roots), once the tree is current.
finish() {
	local out=$cache/testroot.$format
	stale() { [ -n "$force" ] || [ ! -f "$out" ] || [ "$(cat "$out.stamp" 2>/dev/null)" != "$stamp" ]; }
	if [ "$format" != ext4 ] && stale; then
		exec 8>"$out.lock"
		flock 8
	fi
	if [ "$format" != ext4 ] && stale; then
		rm -f "$out.new"
		case $format in
		squashfs) mksquashfs "$dir" "$out.new" -noappend -all-root -quiet -no-progress >&2 ;;
		erofs) mkfs.erofs --quiet --all-root -zlz4hc "$out.new" "$dir" >&2 ;;
		esac
		mv "$out.new" "$out"
		echo "$stamp" >"$out.stamp"
		echo "mkroot: $out ($format) from $dir" >&2
	fi
	[ -z "$print" ] || echo "$out"
	exit 0
}

if [ -z "$force" ] && [ -f "$img" ] && [ "$(cat "$cache/testroot.stamp" 2>/dev/null)" = "$stamp" ]; then
	finish
fi

# Other cases may be building the same cache right now: one builder at a time,
# and whoever waited re-checks the stamp.
if [ -z "${MKROOT_LOCKED:-}" ]; then
	exec 9>"$cache/testroot.lock"
	flock 9
	MKROOT_LOCKED=1 exec "$0" "${args[@]}"
fi

new=$dir.new
rm -rf "$new"
mkdir -p "$new"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,run,tmp,root,mnt,test}
chmod 1777 "$new/tmp"
install -m 755 "$busybox" "$new/bin/busybox"
"${run[@]}" "$busybox" --list-full | while read -r applet; do
	[ -e "$new/$applet" ] || ln -s /bin/busybox "$new/$applet"
done

rm -f "$new/sbin/init"
cat >"$new/sbin/init" <<'EOF'
#!/bin/sh
# init (lab test root): reports what the real root sees, then powers off (tests) or opens a shell (demo).
PATH=/sbin:/bin:/usr/sbin:/usr/bin
export PATH
# The initramfs moves its /dev, /proc, /sys and /run here; mount what is missing.
[ -r /proc/self/mounts ] || mount -t proc proc /proc
mounted() { grep -q "^[^ ]* $1 " /proc/self/mounts; }
mounted /sys || mount -t sysfs sysfs /sys
mounted /dev || mount -t devtmpfs devtmpfs /dev
mounted /run || mount -t tmpfs -o mode=0755 tmpfs /run

read -r up _ </proc/uptime
rootline=$(awk '$2 == "/"' /proc/mounts | tail -n 1)
pid1=no
[ $$ = 1 ] && pid1=yes
# A write that must reach the NBD device, not just the page cache.
if err=$(dd if=/proc/uptime of=/.nbdroot-rw-probe bs=64 count=1 conv=fsync 2>&1); then
	probe=ok
	rm -f /.nbdroot-rw-probe
else
	case $err in
	*Read-only*) probe=erofs ;;
	*) probe="failed($err)" ;;
	esac
fi
nbd0ro=$(cat /sys/block/nbd0/ro 2>/dev/null || echo none)
echo "NBDROOT-TEST: root-init uptime=$up root=\"$rootline\" pid1=$pid1 rw-probe=$probe nbd0-ro=$nbd0ro"

test=
for arg in $(cat /proc/cmdline); do
	case $arg in
	lab.test=*) test=${arg#lab.test=} ;;
	esac
done
if [ -n "$test" ]; then
	if [ "$test" != poweroff ]; then
		if [ -x "/test/$test.sh" ]; then
			"/test/$test.sh"
			echo "NBDROOT-TEST: test $test exit=$?"
		else
			echo "NBDROOT-TEST: test $test exit=missing"
		fi
	fi
	sync
	poweroff -f
fi

hostname nbdroot-demo
cat <<BANNER

  nbdroot demo: this shell runs on the NBD root ($rootline)
  Try: mount | grep nbd0; cat /sys/block/nbd0/size; dmesg | grep -i nbd
  'exit' powers the guest off; ctrl-a x quits QEMU at any time.

BANNER
# setsid + cttyhack give the shell a controlling tty, so ctrl-c works.
setsid cttyhack sh -l
sync
poweroff -f
EOF
chmod 755 "$new/sbin/init"

cat >"$new/etc/profile" <<'EOF'
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
export PS1='nbdroot-demo:$PWD# '
EOF
echo 'root:x:0:0:root:/root:/bin/sh' >"$new/etc/passwd"
echo 'root:x:0:' >"$new/etc/group"
echo nbdroot-demo >"$new/etc/hostname"
# systemd-based initramfs images (dracut's) refuse to switch to a root without it.
cat >"$new/etc/os-release" <<'EOF'
NAME="nbdroot lab test root"
ID=nbdroot-lab
PRETTY_NAME="nbdroot lab test root (busybox)"
EOF
# iproute2's tc as /sbin/tc in place of busybox's (call it by that path: busybox sh prefers its own applet to a
# bare "tc"); libraries where ldd found them, the modules under /lib/modules/KVER for insmod by path.
if [ ${#netem_files[@]} -gt 0 ]; then
	rm -f "$new/sbin/tc"
	install -m 755 "${netem_files[0]}" "$new/sbin/tc"
	for f in "${netem_files[@]:1}"; do
		case $f in
		*.ko*) install -D -m 644 "$f" "$new/lib/modules/$kver/${f##*/}" ;;
		*)
			# the file under its own name, the soname a link to it (tc reads libbpf's version from the name)
			real=$(readlink -f "$f")
			install -D -m 755 "$real" "$new${f%/*}/${real##*/}"
			[ "${real##*/}" = "${f##*/}" ] || ln -s "${real##*/}" "$new$f"
			;;
		esac
	done
fi
if [ -d "$extra" ]; then
	cp -r "$extra"/. "$new/test/"
	chmod -R a+rX "$new/test"
fi
# What the image holds: workloads check their reads of the lower layer
# (nbdroot.overlay=tmpfs) against it, from the device and not the page cache.
# The data file is what they read most: drop_caches keeps the pages of
# running programs (busybox), so those reads would not reach the device.
mkdir -p "$new/data"
head -c 4M /dev/urandom >"$new/data/lower-4m"
(cd "$new" && find bin sbin test data -type f | LC_ALL=C sort | xargs sha256sum) >"$new/etc/lab-files.sha256"

rm -f "$img.new"
mkfs.ext4 -q -F -L "$label" -d "$new" "$img.new" "$size" >&2
rm -rf "$dir"
mv "$new" "$dir"
mv "$img.new" "$img"
echo "$stamp" >"$cache/testroot.stamp"
echo "mkroot: $img ($size, label $label) from $dir" >&2
force=
finish
