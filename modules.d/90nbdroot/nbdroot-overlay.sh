#!/bin/sh
# nbdroot-overlay.sh: dracut pre-pivot hook: with nbdroot.overlay=tmpfs, the read-only NBD root becomes the lower layer of an overlayfs root whose upper layer is a tmpfs.
# shellcheck shell=dash
# Sourced by dracut's init (or dracut-pre-pivot) once $NEWROOT holds the NBD
# root, mounted read-only (nbdroot_mount_opts). The layout is the standalone
# initramfs's: /run/nbdroot/lower (the export's filesystem), /run/nbdroot/overlay
# (its own tmpfs, so the upper layer is not capped by /run's size) holding
# upper/ and work/. /run moves into the new root, so both stay visible there.

type getarg > /dev/null 2>&1 || . /lib/dracut-lib.sh
type nbdroot_config > /dev/null 2>&1 || . /lib/nbdroot-lib.sh

nbdroot_overlay() {
    local _lower=/run/nbdroot/lower _ov=/run/nbdroot/overlay _e _how
    # The cmdline hook had the binary validate the line; only an attached NBD
    # root of ours gets the overlay.
    nbdroot_config 2> /dev/null || return 0
    case "$NBDROOT_OVERLAY" in
        '') return 0 ;;
        tmpfs) ;;
        *) nbdroot_fail "overlay: nbdroot.overlay=$NBDROOT_OVERLAY is not supported by this module, expected tmpfs" ;;
    esac
    nbdroot_attached "$NBDROOT_DEVICE" || return 0
    ismounted "$NEWROOT" || nbdroot_fail "overlay: nothing is mounted on $NEWROOT, expected the NBD root there"
    # Already done (the hook ran before, e.g. in a rescue shell).
    ismounted "$_lower" && return 0
    [ -d /sys/module/overlay ] || modprobe overlay \
        || nbdroot_fail "overlay: cannot load the overlay kernel module, expected it in the image (module-setup.sh: instmods overlay)"
    mkdir -p "$_lower" "$_ov" || nbdroot_fail "overlay: cannot create $_lower and $_ov"
    _how=moved
    if ! mount --move "$NEWROOT" "$_lower" 2> /dev/null; then
        _how="bound (/ is shared)"
        # systemd's initrd has / shared, and the kernel moves no mount out of
        # a shared parent: the same in two steps.
        _e=$(mount --bind "$NEWROOT" "$_lower" 2>&1 && umount "$NEWROOT" 2>&1) \
            || nbdroot_fail "overlay: cannot move the root from $NEWROOT to $_lower: $_e"
    fi
    # The lower layer must never be written: the device is read-only, and so
    # is the mount (a remount rw would fail on it anyway).
    _e=$(mount -o remount,ro "$_lower" 2>&1) \
        || nbdroot_fail "overlay: cannot make $_lower read-only: $_e"
    _e=$(mount -t tmpfs -o "size=$NBDROOT_OVERLAY_SIZE,mode=0755" nbdroot-overlay "$_ov" 2>&1) \
        || nbdroot_fail "overlay: tmpfs with nbdroot.overlay_size=$NBDROOT_OVERLAY_SIZE failed ($_e), expected a tmpfs size= value such as 50% or 512M"
    mkdir -p "$_ov"/upper "$_ov"/work \
        || nbdroot_fail "overlay: cannot create $_ov/upper and $_ov/work"
    chmod 0755 "$_ov"/upper
    _e=$(mount -t overlay -o "lowerdir=$_lower,upperdir=$_ov/upper,workdir=$_ov/work" nbdroot "$NEWROOT" 2>&1) \
        || nbdroot_fail "overlay: overlayfs lowerdir=$_lower,upperdir=$_ov/upper,workdir=$_ov/work on $NEWROOT failed: $_e"
    nbdroot_log "overlay: $NBDROOT_DEVICE read-only on $_lower ($_how there from $NEWROOT), writes to a tmpfs of size $NBDROOT_OVERLAY_SIZE on $_ov"
}

nbdroot_overlay
