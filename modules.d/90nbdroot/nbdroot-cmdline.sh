#!/bin/sh
# nbdroot-cmdline.sh: dracut cmdline hook: is the root an NBD root? validates the line with the binary, sets rootok and how dracut waits for and mounts the root.
# shellcheck shell=dash
# Sourced by dracut's init in the cmdline phase, and again by /sbin/netroot
# (cmdline/90*.sh) with $netroot holding the DHCP root-path when the line says
# root=dhcp or netroot=dhcp.

type getarg > /dev/null 2>&1 || . /lib/dracut-lib.sh
type nbdroot_config > /dev/null 2>&1 || . /lib/nbdroot-lib.sh

[ -z "$root" ] && root=$(getarg root=)

if [ -n "$netroot" ]; then
    # Handed over by /sbin/netroot (or set by an earlier hook): ours only in
    # dracut's nbd: form (nbd:// included), as the scheme dispatch requires.
    [ "${netroot%%:*}" = nbd ] || return 0
    nbdroot_config "$(nbdroot_dhcp_arg "" "$netroot")" \
        || die "nbdroot: cannot use the root-path \"$netroot\" (see the message above)"
else
    nbdroot_cmdline_wants || return 0
    nbdroot_config || die "nbdroot: invalid kernel command line (see the message above)"
fi

# shellcheck disable=SC2034 # read by dracut's init and /sbin/netroot
rootok=1
# No root= (nbdroot=... alone): the NBD device itself, as /dev/root.
[ -z "$root" ] && root=block:/dev/root

# For rootfs-block's mount-root.sh (the systemd generator does the same).
# shellcheck disable=SC2034
[ -n "$NBDROOT_FSTYPE" ] && fstype=$NBDROOT_FSTYPE
# shellcheck disable=SC2034
{ [ -n "$NBDROOT_ROOTFLAGS" ] || [ -n "$NBDROOT_OVERLAY" ]; } && rflags=$(nbdroot_mount_opts)

# The initqueue is finished when the kernel has the export; the root device
# itself is waited for by whoever owns root= (rootfs-block, systemd).
# shellcheck disable=SC2016 # expanded when dracut runs the hook
printf '[ "$(cat /sys/block/%s/size 2>/dev/null)" -gt 0 ] 2>/dev/null\n' \
    "${NBDROOT_DEVICE##*/}" > "$hookdir"/initqueue/finished/nbdroot.sh
