#!/bin/bash
# boot-systemd-overlay-tmpfs: boot-overlay-tmpfs in a systemd initrd image: the pre-pivot hook (dracut-pre-pivot.service) builds the same overlay root under systemd's shared mounts.
DRACUT_OVERLAY_IMAGE=systemd DRACUT_OVERLAY_HOW="bound [(]/ is shared[)]" DRACUT_OVERLAY_CASE=dracut-systemd-overlay-tmpfs \
	exec "$(dirname "$0")/boot-overlay-tmpfs.sh" --expect 'Switch Root' "$@"
