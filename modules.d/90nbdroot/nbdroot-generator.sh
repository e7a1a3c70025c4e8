#!/bin/sh
# nbdroot-generator.sh: systemd generator (systemd initrd): the sysroot.mount for an NBD root named by root=nbd:... or by nbdroot= alone, and the root's fstype and flags.
# shellcheck shell=dash
# systemd's fstab-generator skips a root= that is not a device path, so
# without this nothing would mount root=nbd:...; for root=/dev/root or
# root=LABEL=... it makes the unit and this only adds the spec's fstype and flags.

type getarg > /dev/null 2>&1 || . /lib/dracut-lib.sh
type nbdroot_config > /dev/null 2>&1 || . /lib/nbdroot-lib.sh

GENERATOR_DIR=$1
[ -n "$GENERATOR_DIR" ] || exit 1
root=$(getarg root=)
unset netroot
nbdroot_cmdline_wants || exit 0
# An invalid line is reported by the cmdline hook, which stops the boot.
nbdroot_config 2> /dev/null || exit 0
opts=$(nbdroot_mount_opts)
mkdir -p "$GENERATOR_DIR"

case "$root" in
    block:/dev/root | "")
        {
            echo "[Unit]"
            echo "Before=initrd-root-fs.target"
            echo "[Mount]"
            echo "What=/dev/root"
            echo "Where=/sysroot"
            [ -n "$NBDROOT_FSTYPE" ] && echo "Type=$NBDROOT_FSTYPE"
            [ -n "$opts" ] && echo "Options=$opts"
        } > "$GENERATOR_DIR"/sysroot.mount
        mkdir -p "$GENERATOR_DIR"/initrd-root-fs.target.requires "$GENERATOR_DIR"/initrd.target.wants
        ln -sf ../sysroot.mount "$GENERATOR_DIR"/initrd-root-fs.target.requires/sysroot.mount
        # Wait for /dev/root as long as dracut's initqueue does (rd.timeout,
        # default: no limit), not systemd's default 90 s.
        ln -sf ../dev-root.device "$GENERATOR_DIR"/initrd.target.wants/dev-root.device
        mkdir -p "$GENERATOR_DIR"/dev-root.device.d
        {
            echo "[Unit]"
            echo "JobTimeoutSec=$(getarg rd.timeout || echo 0)"
            echo "JobRunningTimeoutSec=$(getarg rd.timeout || echo 0)"
        } > "$GENERATOR_DIR"/dev-root.device.d/50-nbdroot.conf
        ;;
    *)
        if [ -n "$NBDROOT_FSTYPE$opts" ]; then
            mkdir -p "$GENERATOR_DIR"/sysroot.mount.d
            {
                echo "[Mount]"
                [ -n "$NBDROOT_FSTYPE" ] && echo "Type=$NBDROOT_FSTYPE"
                [ -n "$opts" ] && echo "Options=$opts"
            } > "$GENERATOR_DIR"/sysroot.mount.d/50-nbdroot.conf
        fi
        ;;
esac
exit 0
