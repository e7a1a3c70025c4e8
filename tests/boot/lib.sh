# lib.sh: shared by the boot tests: the lab's fixed addresses and the root init's marker.
# shellcheck shell=bash disable=SC2034 # the variables are for the tests that source this
set -euo pipefail

BOOT_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LAB=$BOOT_HERE/qemu/lab.sh
INITRD=${NBDROOT_INITRD:-$BOOT_HERE/build/initramfs.cpio.gz}

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
