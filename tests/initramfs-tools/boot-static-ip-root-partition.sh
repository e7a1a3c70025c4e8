#!/bin/bash
# boot-static-ip-root-partition: a static ip= (no DHCP server on the link) and root=/dev/nbd0p1 on a partitioned export (issue 14's case for bookworm's nbd-client): the script has the partition table read, and the real root is the rw ext4 on /dev/nbd0p1.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img=$(it_image nbdroot) || exit 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
partitioned_image "$work/disk.img" || exit 2
it_lab "$img" --case it-static-ip-root-partition --server nbdkit --image "$work/disk.img" \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP root=/dev/nbd0p1 $IT_ARGS lab.test=poweroff" \
	--expect 'nbdroot: ip: eth0: 10\.77\.0\.10 netmask 255\.255\.255\.0' \
	--expect 'NBDROOT-TEST: root-init uptime=[0-9.]+ root="/dev/nbd0p1 / ext4 rw,[^"]*" pid1=yes rw-probe=ok nbd0-ro=0' \
	--reject 'nbdroot: dhcp: ' --reject "$IT_NBD_CLIENT_RE" "$@"
