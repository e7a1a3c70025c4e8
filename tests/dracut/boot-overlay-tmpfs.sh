#!/bin/bash
# boot-overlay-tmpfs: root=nbd:<server>:<export> nbdroot.overlay=tmpfs from a read-only export in a dracut image (network-legacy): / is overlayfs over /dev/nbd0 (read-only, on /run/nbdroot/lower) with a tmpfs upper layer (/run/nbdroot/overlay), the root's writes read back, and the served image's sha256 is the same after the boot as before it.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# boot-systemd-overlay-tmpfs runs this with the systemd initrd image.
flavour=${DRACUT_OVERLAY_IMAGE:-legacy}
name=${DRACUT_OVERLAY_CASE:-dracut-overlay-tmpfs}
img=$(dracut_image "$flavour") || exit 2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The image's sha256 before the guest mounts it, and once the root has
# written and synced (the guest waits 3 s after saying so).
hook=$(served_image_hook "$out" 'NBDROOT-TEST: overlay write=')
rc=0
dracut_lab "$img" --case "$name" --readonly --hook "$hook" \
	--append "root=nbd:$SERVER_IP:root nbdroot.overlay=tmpfs $DRACUT_STATIC_IP $DRACUT_ARGS lab.test=dracut-overlay" \
	--expect 'NBDROOT-TEST: root-init uptime=[0-9.]+ root="nbdroot / overlay rw,[^"]*lowerdir=/run/nbdroot/lower,upperdir=/run/nbdroot/overlay/upper,workdir=/run/nbdroot/overlay/work[^"]*" pid1=yes rw-probe=ok nbd0-ro=1' \
	--expect 'NBDROOT-TEST: overlay root=.* lower="/dev/nbd0 /run/nbdroot/lower ext4 ro,[^"]*" upper="nbdroot-overlay /run/nbdroot/overlay tmpfs rw,[^"]*mode=755[^"]*"' \
	--expect 'NBDROOT-TEST: overlay write=ok done fails=0' \
	--expect "nbdroot: overlay: /dev/nbd0 read-only on /run/nbdroot/lower \\(${DRACUT_OVERLAY_HOW:-moved} there from /sysroot\\), writes to a tmpfs of size 50% on /run/nbdroot/overlay" \
	--expect 'NBDROOT-TEST: test dracut-overlay exit=0' \
	--reject 'NBDROOT-TEST: overlay FAIL' --reject 'nbdroot: overlay: .*(cannot|failed|expected)' "$@" || rc=$?
[ "$rc" = 0 ] || exit "$rc"
served_image_unchanged "$name" "$out"
