#!/bin/bash
# boot-systemd-root-on-overlay-runs-on-when-full: the debootstrap systemd root (qemu/mksystemdroot.sh), served read-only,
# boots in the standalone initramfs with nbdroot.overlay=tmpfs to multi-user.target with `systemctl --failed` empty
# and the supervisor alive; `nbdroot --status` reports OVERLAY tmpfs and OVERLAY_USED as statfs counts it; the 32 MiB
# upper layer is filled until the writer gets ENOSPC, and the machine runs on (systemd answers, a service starts)
# to a clean systemd poweroff.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
case_name=boot-systemd-root-on-overlay-runs-on-when-full
img=$("$BOOT_HERE/qemu/mksystemdroot.sh" --print) || { echo "lab: FAIL $case_name: qemu/mksystemdroot.sh failed"; exit 2; }
lab --case "$case_name" --server nbdkit --readonly --image "$img" --timeout 420 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP root=/dev/nbd0 nbdroot.overlay=tmpfs nbdroot.overlay_size=32m lab.test=systemd-root lab.systemd_then=overlay-full" \
	--expect 'nbdroot-init: root: overlay tmpfs size=32m on /dev/nbd0 \(ext4, ro\)' \
	--expect 'NBDROOT-TEST: systemd boot state=running failed="" multi-user.target=active' \
	--expect 'NBDROOT-TEST: systemd supervisor pid=[0-9]+ cmdline="@nbdroot ' \
	--expect 'NBDROOT-TEST: overlay OVERLAY=tmpfs OVERLAY_USED=[1-9][0-9]* ' \
	--expect 'NBDROOT-TEST: overlay 2MiB-write grew OVERLAY_USED by ' \
	--expect 'NBDROOT-TEST: overlay fill=enospc OVERLAY_USED=[0-9]+ size=33554432' \
	--expect 'NBDROOT-TEST: overlay full-root systemd=running service=ok supervisor=yes state=up' \
	--expect 'NBDROOT-TEST: overlay done fails=0' \
	--expect 'NBDROOT-TEST: systemd done fails=0' \
	--expect 'NBDROOT-TEST: test systemd-root exit=0' \
	--expect 'reboot: Power down' \
	--reject 'NBDROOT-TEST: (systemd|overlay) FAIL' \
	--reject 'I/O error|EXT4-fs error|Buffer I/O error' "$@"
