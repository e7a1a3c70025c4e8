# lib.sh: shared by the dracut tests and bench/bench-dracut.sh: images built by Debian's dracut from this checkout's modules.d, booted in the lab.
# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source this
# shellcheck source-path=SCRIPTDIR source=../boot/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../boot/lib.sh"

DRACUT_DIR=${NBDROOT_DRACUT_DIR:-$BOOT_HERE/build/dracut}
NBDROOT_BIN=${NBDROOT_BINARY:-$BOOT_HERE/build/nbdroot}

# dracut's static ip= (<client>:<peer>:<gw>:<netmask>:<host>:<dev>:<autoconf>);
# net.ifnames=0 keeps the name eth0 whichever udev rules the image carries.
DRACUT_STATIC_IP="ip=10.77.0.10::$SERVER_IP:255.255.255.0::eth0:off net.ifnames=0"
# rd.shell=0: a failed boot ends instead of waiting at a prompt. init=: systemd's
# switch-root wants it named when the new root has no systemd.
DRACUT_ARGS="rw rd.shell=0 init=/sbin/init lab.test=poweroff"

# The dracut module lists of the images, by name.
dracut_modules() {
	case $1 in
	legacy) echo "base nbdroot network-legacy" ;;
	systemd) echo "base systemd-initrd dracut-systemd nbdroot network-legacy" ;;
	networkd) echo "base systemd-initrd dracut-systemd nbdroot systemd-networkd" ;;
	networkmanager) echo "base systemd-initrd dracut-systemd nbdroot network-manager" ;;
	nbd-legacy) echo "base nbd network-legacy" ;;
	nbd-systemd) echo "base systemd-initrd dracut-systemd nbd network-legacy" ;;
	both) echo "base nbd nbdroot network-legacy" ;;
	*) return 1 ;;
	esac
}

# dracut_tree DIR: a private dracut base directory: links to Debian's
# /usr/lib/dracut, with this checkout's modules beside its own in modules.d.
# dracut reads its modules from $dracutbasedir, so nothing is installed.
dracut_tree() {
	local t=$1 f
	mkdir -p "$t/modules.d"
	for f in /usr/lib/dracut/*; do
		[ "${f##*/}" = modules.d ] || ln -s "$f" "$t/"
	done
	for f in /usr/lib/dracut/modules.d/* "$BOOT_HERE"/modules.d/[0-9][0-9]*/; do
		f=${f%/}
		ln -sfn "$f" "$t/modules.d/${f##*/}"
	done
}

# dracut_image NAME [EXTRA DRACUT ARGS...]: builds $DRACUT_DIR/NAME.img (gzip,
# for the lab kernel) unless nothing it is made of changed; prints its path.
# The build log is $DRACUT_DIR/NAME.log.
dracut_image() {
	local name=$1 mods omit=() stamp img work rc
	shift
	mods=$(dracut_modules "$name") || { echo "dracut: unknown image $name" >&2; return 2; }
	case $name in legacy | nbd-legacy | both) omit=(--omit systemd) ;; esac
	img=$DRACUT_DIR/$name.img
	mkdir -p "$DRACUT_DIR"
	stamp=$({
		echo "$mods ${omit[*]} $* $KVER"
		dpkg-query -W -f='${Version}\n' dracut-core
		sha256sum "$NBDROOT_BIN"
		(cd "$BOOT_HERE/modules.d" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
	} | sha256sum | cut -d' ' -f1)
	if [ -f "$img" ] && [ "$(cat "$img.stamp" 2>/dev/null)" = "$stamp" ]; then
		echo "$img"
		return 0
	fi
	work=$(mktemp -d "${TMPDIR:-/var/tmp}/nbdroot-dracut.XXXXXX")
	dracut_tree "$work/base"
	mkdir -p "$work/conf.d"
	echo "dracut: building $name image ($mods)" >&2
	# Only the options below: no /etc/dracut.conf, no host-only guesses.
	rc=0
	NBDROOT_BINARY=$NBDROOT_BIN dracutbasedir=$work/base \
		dracut --force --no-hostonly --no-hostonly-cmdline --conf /dev/null --confdir "$work/conf.d" \
		--kver "$KVER" --kmoddir "$KMODDIR" --no-early-microcode --compress gzip \
		--modules "$mods" "${omit[@]}" \
		--add-drivers "virtio_pci virtio_net ext4 crc32c_generic" \
		"$@" "$img.new" >"$DRACUT_DIR/$name.log" 2>&1 || rc=$?
	rm -rf "$work"
	if [ "$rc" != 0 ] || [ ! -s "$img.new" ]; then
		tail -n 20 "$DRACUT_DIR/$name.log" >&2
		echo "dracut: building the $name image failed (log: $DRACUT_DIR/$name.log)" >&2
		return 2
	fi
	mv "$img.new" "$img"
	echo "$stamp" >"$img.stamp"
	echo "$img"
}

# dracut_marker_re OPTIONS_RE: the test root's report for a rw ext4 root on
# /dev/nbd0 whose mount options match OPTIONS_RE (grep -E, within the options).
dracut_marker_re() {
	echo "NBDROOT-TEST: root-init uptime=[0-9.]+ root=\"/dev/nbd0 / ext4 rw,[^\"]*$1[^\"]*\" pid1=yes rw-probe=ok nbd0-ro=0"
}

# dracut_lab IMAGE LAB ARGS...: one lab case booting a dracut image.
dracut_lab() {
	local img=$1
	shift
	"$LAB" --initrd "$img" --timeout 180 "$@"
}
