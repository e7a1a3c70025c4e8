#!/bin/bash
# boot-overlay-tmpfs: nbdroot.overlay=tmpfs from a read-only export in an image from Debian's mkinitramfs: local-bottom/nbdroot makes / an overlayfs over /dev/nbd0 (read-only, on /run/nbdroot/lower) with a tmpfs upper layer (/run/nbdroot/overlay), the root's writes read back, and the served image's sha256 is the same after the boot as before it.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img=$(it_image nbdroot) || exit 2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rc=0
it_lab "$img" --case it-overlay-tmpfs --server nbdkit --readonly \
	--hook "$(served_image_hook "$out" 'NBDROOT-TEST: overlay write=')" \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP root=/dev/nbd0 nbdroot.overlay=tmpfs $IT_ARGS lab.test=dracut-overlay" \
	--expect 'nbdroot: overlay: /dev/nbd0 read-only on /run/nbdroot/lower, writes to a tmpfs of size 50% on /run/nbdroot/overlay' \
	"${GENERATOR_OVERLAY_CHECKS[@]}" "$@" || rc=$?
[ "$rc" = 0 ] || exit "$rc"
served_image_unchanged it-overlay-tmpfs "$out"
