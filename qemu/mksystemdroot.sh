#!/bin/bash
# mksystemdroot.sh: builds (once, cached) a minimal Debian systemd root with debootstrap, as an ext4 image for the lab.
# Its lab-test.service runs /test/<name>.sh (tests/boot/root.d) for lab.test=<name>, then powers off.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cache=${NBDROOT_CACHE:-$here/.cache}
base=$cache/systemdroot.base
img=$cache/systemdroot.ext4
size=1G
label=nbdroot-systemd
suite=bookworm
extra=$here/tests/boot/root.d
pkgs=systemd-sysv,dbus,procps

mirror=$("$here/qemu/mirror.sh")

force='' print=''
args=("$@")
while [ $# -gt 0 ]; do
	case $1 in
	--force) force=1 ;;
	--print) print=1 ;;
	-h | --help)
		echo "usage: qemu/mksystemdroot.sh [--force] [--print]"
		echo "  debootstrap $suite ($pkgs) from $mirror into $base (once),"
		echo "  then $img with tests/boot/root.d as /test; --print prints the image path"
		exit 0 ;;
	*) echo "usage: qemu/mksystemdroot.sh [--force] [--print]" >&2; exit 1 ;;
	esac
	shift
done

base_stamp=$(echo "$suite $pkgs v1" | sha256sum | cut -d' ' -f1)
stamp=$({
	cat "$0"
	if [ -d "$extra" ]; then
		(cd "$extra" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
	fi
} | sha256sum | cut -d' ' -f1)
fresh() { [ -f "$img" ] && [ "$(cat "$cache/systemdroot.stamp" 2>/dev/null)" = "$stamp" ]; }
if [ -z "$force" ] && fresh; then
	[ -n "$print" ] && echo "$img"
	exit 0
fi
mkdir -p "$cache"
if [ -z "${MKSYSTEMDROOT_LOCKED:-}" ]; then
	exec 9>"$cache/systemdroot.lock"
	flock 9
	MKSYSTEMDROOT_LOCKED=1 exec "$0" "${args[@]}"
fi

if [ -n "$force" ] || [ "$(cat "$base.stamp" 2>/dev/null)" != "$base_stamp" ]; then
	command -v debootstrap >/dev/null || { echo "mksystemdroot: need debootstrap (qemu/deps.sh)" >&2; exit 1; }
	echo "mksystemdroot: debootstrap $suite from $mirror (a few minutes, once)" >&2
	rm -rf "$base.new"
	debootstrap --variant=minbase --include="$pkgs" "$suite" "$base.new" "$mirror" >&2
	rm -rf "$base.new/var/cache/apt/archives"/*.deb "$base.new/var/lib/apt/lists"/*_Packages
	rm -rf "$base"
	mv "$base.new" "$base"
	echo "$base_stamp" >"$base.stamp"
fi

stage=$(mktemp -d "$cache/systemdroot.stage.XXXXXX")
trap 'rm -rf "$stage" "$img.new"' EXIT
cp -a "$base"/. "$stage"/
echo nbdroot-systemd >"$stage/etc/hostname"
: >"$stage/etc/fstab"
sed -i 's/^root:[^:]*:/root::/' "$stage/etc/shadow"
# No udev here: getty units would wait 90 s for device units that never come.
ln -sf /dev/null "$stage/etc/systemd/system/getty.target"
mkdir -p "$stage/test" "$stage/etc/systemd/system/multi-user.target.wants"
cat >"$stage/etc/systemd/system/lab-test.service" <<'EOF'
[Unit]
Description=nbdroot lab test (lab.test= on the kernel command line)
After=basic.target

[Service]
# simple: the boot completes while the test waits for it
Type=simple
ExecStart=/test/lab-test-dispatch
StandardOutput=journal+console
StandardError=journal+console
EOF
ln -sf ../lab-test.service "$stage/etc/systemd/system/multi-user.target.wants/lab-test.service"
cat >"$stage/test/lab-test-dispatch" <<'EOF'
#!/bin/sh
# lab-test-dispatch: runs /test/<name>.sh for lab.test=<name>, reports, powers off through systemd.
test=
for arg in $(cat /proc/cmdline); do
	case $arg in
	lab.test=*) test=${arg#lab.test=} ;;
	esac
done
[ -n "$test" ] || exit 0
read -r up _ </proc/uptime
echo "NBDROOT-TEST: systemd-root uptime=$up pid1=$(cat /proc/1/comm)"
if [ -x "/test/$test.sh" ]; then
	"/test/$test.sh"
	echo "NBDROOT-TEST: test $test exit=$?"
else
	echo "NBDROOT-TEST: test $test exit=missing"
fi
systemctl --no-block poweroff
EOF
chmod 755 "$stage/test/lab-test-dispatch"
if [ -d "$extra" ]; then
	cp -r "$extra"/. "$stage/test/"
	chmod -R a+rX "$stage/test"
fi

rm -f "$img.new"
mkfs.ext4 -q -F -L "$label" -d "$stage" "$img.new" "$size" >&2
mv "$img.new" "$img"
echo "$stamp" >"$cache/systemdroot.stamp"
echo "mksystemdroot: $img ($size, label $label)" >&2
[ -n "$print" ] && echo "$img"
exit 0
