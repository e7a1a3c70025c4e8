# lib.sh: shared by the initramfs-tools tests: images built by Debian's mkinitramfs (qemu/mkinitramfs-tools.sh) with this checkout's initramfs-tools/, booted in the lab.
# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source this
# shellcheck source-path=SCRIPTDIR source=../boot/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../boot/lib.sh"

IT_DIR=${NBDROOT_IT_DIR:-$BOOT_HERE/build/initramfs-tools}
NBDROOT_BIN=${NBDROOT_BINARY:-$BOOT_HERE/build/nbdroot}

# initramfs-tools mounts the root read-only unless told rw; net.ifnames=0
# keeps the name eth0 (the image's udev would rename it).
IT_ARGS="rw net.ifnames=0"
# nbd-client's own words on the console: its script's banner and messages.
IT_NBD_CLIENT_RE='Setting up nbd-client|nbd-client|Negotiation: '

# it_image NAME: builds $IT_DIR/NAME.img unless nothing it is made of changed;
# prints its path. NAME: nbdroot (initramfs-tools-core and nbdroot), both
# (nbd-client's package installed too), nbd-client (bookworm's client alone:
# the baseline), ipconfig-first (nbdroot, and a script that runs
# configure_networking in init-premount, as dropbear-initramfs does). The
# build log is $IT_DIR/NAME.log.
it_image() {
	local name=$1 stamp img opts=()
	case $name in
	nbdroot) ;;
	both) opts=(--with-nbd-client) ;;
	nbd-client) opts=(--nbd-client-only) ;;
	ipconfig-first) opts=(--scripts "$BOOT_HERE/tests/initramfs-tools/scripts.d/ipconfig-first") ;;
	*) echo "initramfs-tools: unknown image $name, expected nbdroot, both, nbd-client or ipconfig-first" >&2; return 2 ;;
	esac
	img=$IT_DIR/$name.img
	mkdir -p "$IT_DIR"
	stamp=$({
		echo "$name $KVER"
		dpkg-query -W -f='${Package} ${Version}\n' initramfs-tools-core nbd-client udev klibc-utils
		sha256sum "$NBDROOT_BIN" "$BOOT_HERE/qemu/mkinitramfs-tools.sh"
		(cd "$BOOT_HERE/initramfs-tools" && find hooks scripts -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
		(cd "$BOOT_HERE/tests/initramfs-tools" && find scripts.d -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
	} | sha256sum | cut -d' ' -f1)
	if [ -f "$img" ] && [ "$(cat "$img.stamp" 2>/dev/null)" = "$stamp" ]; then
		echo "$img"
		return 0
	fi
	echo "initramfs-tools: building the $name image" >&2
	# several cases may want the same image at once: one build
	(
		flock 9
		if [ -f "$img" ] && [ "$(cat "$img.stamp" 2>/dev/null)" = "$stamp" ]; then
			exit 0
		fi
		"$BOOT_HERE/qemu/mkinitramfs-tools.sh" "${opts[@]}" --nbdroot "$NBDROOT_BIN" -o "$img" >"$IT_DIR/$name.log" 2>&1 || {
			tail -n 20 "$IT_DIR/$name.log" >&2
			echo "initramfs-tools: building the $name image failed (log: $IT_DIR/$name.log)" >&2
			exit 2
		}
		echo "$stamp" >"$img.stamp"
	) 9>"$IT_DIR/$name.lock" || return 2
	echo "$img"
}

# it_files IMAGE: the paths in IMAGE (a gzip'd cpio, mkinitramfs -c gzip), one a line.
it_files() {
	zcat "$1" | cpio -t --quiet 2>/dev/null
}

# it_lab IMAGE LAB ARGS...: one lab case booting an initramfs-tools image:
# it must show the initramfs-tools init and our script at work.
it_lab() {
	local img=$1
	shift
	"$LAB" --initrd "$img" --timeout 180 --expect 'Begin: Running /scripts/local-top' "$@"
}
