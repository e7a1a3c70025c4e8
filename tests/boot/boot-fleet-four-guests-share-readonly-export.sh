#!/bin/bash
# boot-fleet-four-guests-share-readonly-export: 4 guests boot together from one nbdkit -r export (log filter): each sees its own file and none of the others', the export's sha256 is unchanged, nbdkit logged no Write/Trim/Zero/Flush.
# FLEET_FORMAT=squashfs|erofs serves the same test root in that format (qemu/mkroot.sh), told by its superblock on every guest.
# cases: alone
# shellcheck source-path=SCRIPTDIR source=fleet-lib.sh
. "$(dirname "$0")/fleet-lib.sh"
format=${FLEET_FORMAT:-ext4}
# ext4: fleet.sh's own copy of the test root (it re-checks that copy for lab.test's script)
image=()
case $format in
ext4) ;;
squashfs | erofs) image=(--image "$("$BOOT_HERE/qemu/mkroot.sh" "--$format" --print)") ;;
*) echo "fleet: FAIL: FLEET_FORMAT=$format: expected ext4, squashfs or erofs"; exit 2 ;;
esac
fleet_case "${FLEET_CASE:-boot-fleet-four-guests-share-readonly-export}" nbdkit 4 "${image[@]}" \
	--expect "nbdroot-init: root /dev/nbd0: $format \\(superblock: " "$@"
