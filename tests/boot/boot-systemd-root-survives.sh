#!/bin/bash
# boot-systemd-root-survives: a debootstrap systemd root (qemu/mksystemdroot.sh) boots completely over the NBD root,
# the supervisor is still there afterwards (@, oom -1000, mlocked), rides out a server restart, and systemd's
# poweroff completes with the supervisor alive (nothing blocks it).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img=$("$BOOT_HERE/qemu/mksystemdroot.sh" --print) || { echo "lab: FAIL boot-systemd-root-survives: qemu/mksystemdroot.sh failed"; exit 2; }
lab --case boot-systemd-root-survives --server nbdkit --image "$img" --timeout 420 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP root=/dev/nbd0 lab.test=systemd-root lab.reconnects=1" \
	--hook ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'; restarts 4 5" \
	"${SYSTEMD_ROOT_CHECKS[@]}" "$@"
