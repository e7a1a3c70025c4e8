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
	"${GENERATOR_OVERLAY_CHECKS[@]}" \
	--expect "nbdroot: overlay: /dev/nbd0 read-only on /run/nbdroot/lower \\(${DRACUT_OVERLAY_HOW:-moved} there from /sysroot\\), writes to a tmpfs of size 50% on /run/nbdroot/overlay" \
	"$@" || rc=$?
[ "$rc" = 0 ] || exit "$rc"
served_image_unchanged "$name" "$out"
