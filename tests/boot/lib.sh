# lib.sh: shared by the boot tests: the lab's fixed addresses and the root init's marker.
# shellcheck shell=bash disable=SC2034 # the variables are for the tests that source this
set -euo pipefail

BOOT_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LAB=$BOOT_HERE/qemu/lab.sh
INITRD=${NBDROOT_INITRD:-$BOOT_HERE/build/initramfs.cpio.gz}
# The lab's cache (qemu/deps.sh's kernel, qemu/mkroot.sh's roots).
LAB_CACHE=${NBDROOT_CACHE:-$BOOT_HERE/.cache}
KVER=$(cat "$LAB_CACHE/kernel/version" 2>/dev/null || true)
KMODDIR=$LAB_CACHE/kernel/root/lib/modules/$KVER

SERVER_IP=10.77.0.1
STATIC_IP="ip=10.77.0.10:$SERVER_IP::255.255.255.0::eth0:off"
# lab.test=poweroff: the test root's init reports, then powers the guest off.
ROOT_ARGS="root=/dev/nbd0 lab.test=poweroff"

# The line the real root's /sbin/init prints (qemu/mkroot.sh), for a root that
# is /dev/nbd0 mounted with the given mode, the probe result and nbd0's ro flag.
marker_re() {
	local mode=$1 probe=$2 ro=$3
	echo "NBDROOT-TEST: root-init uptime=[0-9.]+ root=\"/dev/nbd0 / ext4 $mode,[^\"]*\" pid1=yes rw-probe=$probe nbd0-ro=$ro"
}

# Run one lab case against the test root; its verdict line is the test's.
lab() {
	"$LAB" --initrd "$INITRD" "$@"
}

# The same line for an nbdroot.overlay=tmpfs root: / is overlayfs over /run/nbdroot/lower, writable (the probe
# lands in the upper layer), and nbd0 is attached read-only.
overlay_marker_re() {
	echo "NBDROOT-TEST: root-init uptime=[0-9.]+ root=\"overlay / overlay rw,[^\"]*lowerdir=/run/nbdroot/lower,upperdir=/run/nbdroot/overlay/upper,workdir=/run/nbdroot/overlay/work[^\"]*\" pid1=yes rw-probe=ok nbd0-ro=1"
}

# overlay_boot CASE IMAGE FSTYPE "MORE CMDLINE" [LAB ARGS...]: boots IMAGE read-only (nbdkit -r) with nbdroot.overlay=tmpfs
# and lab.test=overlay-writes; the hook takes the served image's sha256 once the guest is done, which
# must equal IMAGE's: no write reached the server.
overlay_boot() {
	local case=$1 image=$2 fstype=$3 more=$4 work before after rc=0
	shift 4
	work=$(mktemp -d)
	before=$(sha256sum <"$image" | cut -d' ' -f1)
	lab --case "$case" --server nbdkit --readonly --image "$image" --timeout 90 \
		--hook ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'
wait_console 'NBDROOT-TEST: test overlay-writes exit=' 120 || exit 1
sha256sum <\"\$LAB_IMAGE\" | cut -d' ' -f1 >'$work/after'" \
		--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP root=/dev/nbd0 lab.test=overlay-writes nbdroot.overlay=tmpfs${more:+ $more}" \
		--expect "nbdroot-init: root /dev/nbd0: $fstype \\(superblock: " \
		--expect "nbdroot-init: root: overlay tmpfs size=[^ ]+ on /dev/nbd0 \\($fstype, ro\\)" \
		--expect "$(overlay_marker_re)" \
		--expect "NBDROOT-TEST: overlay root=overlay lower=\"/dev/nbd0 $fstype ro\" upper=\"tmpfs size=" \
		--reject 'NBDROOT-TEST: overlay FAIL' "$@" || rc=1
	after=$(cat "$work/after" 2>/dev/null || echo "none (the hook did not get to it)")
	rm -rf "$work"
	if [ "$after" != "$before" ]; then
		echo "lab: FAIL $case: the served image changed: sha256 $before before, $after after"
		return 1
	fi
	echo "lab: $case: served image unchanged (sha256 $before)"
	return "$rc"
}

# partitioned_image OUT: an MBR disk image with one partition at 1 MiB holding
# the test root's ext4 image (no loop devices), for root=/dev/nbd0p1.
partitioned_image() {
	local fs
	fs=$("$BOOT_HERE/qemu/mkroot.sh" --print) || return 1
	truncate -s $(($(stat -c %s "$fs") + 2 * 1048576)) "$1"
	echo 'start=2048, type=83' | sfdisk -q "$1"
	dd if="$fs" of="$1" bs=1M seek=1 conv=notrunc,sparse status=none
}

# served_image_hook DIR REGEX: a lab --hook that writes the served image's
# sha256 to DIR/before at once and to DIR/after once the console shows REGEX
# (the guest has written and synced by then).
served_image_hook() {
	# shellcheck disable=SC2016 # expanded by the hook's shell
	printf '%s\n' ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'" \
		'sha256sum <"$LAB_IMAGE" >'"'$1/before'" \
		"wait_console '$2' 170 || exit 1" \
		'sha256sum <"$LAB_IMAGE" >'"'$1/after'"
}

# served_image_unchanged CASE DIR: served_image_hook's two sums are there and
# equal: no write reached the server.
served_image_unchanged() {
	local before after
	before=$(cat "$2/before" 2>/dev/null) after=$(cat "$2/after" 2>/dev/null)
	echo "$1: export sha256 before ${before%% *} after ${after%% *}"
	if [ -z "$before" ] || [ "$before" != "$after" ]; then
		echo "$1: FAIL: the served image changed (or was not hashed)"
		return 1
	fi
}

# What a debootstrap systemd root (qemu/mksystemdroot.sh) booted with
# lab.test=systemd-root lab.reconnects=1 and a server restart must show
# (tests/boot/root.d/systemd-root.sh): multi-user reached, the supervisor
# still there with systemd's '@', the workload through the restart with no
# I/O error, and systemd's poweroff.
SYSTEMD_ROOT_CHECKS=(
	--expect 'NBDROOT-TEST: systemd boot state=(running|degraded)'
	--expect 'NBDROOT-TEST: systemd supervisor pid=[0-9]+ cmdline="@'
	--expect 'NBDROOT-TEST: workload rounds=[0-9]+ checked=[1-9][0-9]* mismatches=0 ioerrors=0 reconnects=1 state=up'
	--expect 'NBDROOT-TEST: systemd done fails=0'
	--expect 'NBDROOT-TEST: test systemd-root exit=0'
	--expect 'reboot: Power down'
	--reject 'NBDROOT-TEST: (systemd FAIL|workload mismatch|workload write)'
	--reject 'I/O error|EXT4-fs error|Buffer I/O error'
)

# What tests/boot/root.d/dracut-overlay.sh must report for an
# nbdroot.overlay=tmpfs root built by an initramfs generator's hook (dracut's,
# initramfs-tools'): / is the overlay named nbdroot, /dev/nbd0 read-only
# below it, its own tmpfs above, and a write that stayed in the upper layer.
GENERATOR_OVERLAY_CHECKS=(
	--expect 'NBDROOT-TEST: root-init uptime=[0-9.]+ root="nbdroot / overlay rw,[^"]*lowerdir=/run/nbdroot/lower,upperdir=/run/nbdroot/overlay/upper,workdir=/run/nbdroot/overlay/work[^"]*" pid1=yes rw-probe=ok nbd0-ro=1'
	--expect 'NBDROOT-TEST: overlay root=.* lower="/dev/nbd0 /run/nbdroot/lower ext4 ro,[^"]*" upper="nbdroot-overlay /run/nbdroot/overlay tmpfs rw,[^"]*mode=755[^"]*"'
	--expect 'NBDROOT-TEST: overlay write=ok done fails=0'
	--expect 'NBDROOT-TEST: test dracut-overlay exit=0'
	--reject 'NBDROOT-TEST: overlay FAIL'
	--reject 'nbdroot: overlay: .*(cannot|failed|expected)'
)
