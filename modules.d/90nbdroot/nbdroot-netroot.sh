#!/bin/sh
# nbdroot-netroot.sh, installed as /sbin/nbdroot: dracut's netroot handler for nbd: — attaches the NBD root with the nbdroot binary once an interface is up.
# shellcheck shell=dash
# dracut's /sbin/netroot runs "${netroot%%:*}root" for every interface it
# brings up: nbdroot <interface> <netroot> <NEWROOT>. The binary itself lives in
# /usr/lib/nbdroot/nbdroot (see nbdroot-lib.sh).

PATH=/usr/sbin:/usr/bin:/sbin:/bin
type getarg > /dev/null 2>&1 || . /lib/dracut-lib.sh
type nbdroot_config > /dev/null 2>&1 || . /lib/nbdroot-lib.sh

netif=$1
netroot=$2
NEWROOT=${3:-/sysroot}
if [ -z "$netif" ] || [ -z "$netroot" ]; then
    warn "nbdroot: usage: nbdroot <interface> <netroot> [<newroot>]"
    exit 1
fi

dhcp_arg=$(nbdroot_dhcp_arg "$netif" "$netroot")
nbdroot_config "$dhcp_arg" || die "nbdroot: cannot use the NBD root (see the message above)"
# Another interface got there first.
nbdroot_attached "$NBDROOT_DEVICE" && exit 0
# The binary does not load modules; /dev/nbd* and the netlink family come with nbd.
[ -d /sys/module/nbd ] || modprobe nbd || die "nbdroot: cannot load the nbd kernel module"

# /dev/root: when root= names it (root=nbd:..., nbdroot= alone, root=/dev/root)
# or root=dhcp. Written before the attach, so the kernel's change event finds it.
case "$root" in
    block:/dev/root | dhcp | dhcp6)
        printf 'KERNEL=="%s", ENV{DEVTYPE}=="disk", ENV{ID_FS_TYPE}=="?*", SYMLINK+="root"\n' \
            "${NBDROOT_DEVICE##*/}" > /etc/udev/rules.d/99-nbdroot-root.rules
        udevadm control --reload
        ;;
esac

# A root-path from DHCP may carry fstype and flags the cmdline phase could not
# know: say them to whoever mounts the root.
if [ -n "$dhcp_arg" ]; then
    opts=$(nbdroot_mount_opts)
    if [ -n "$DRACUT_SYSTEMD" ]; then
        mkdir -p /run/systemd/system/sysroot.mount.d
        {
            echo "[Mount]"
            [ -n "$NBDROOT_FSTYPE" ] && echo "Type=$NBDROOT_FSTYPE"
            [ -n "$opts" ] && echo "Options=$opts"
        } > /run/systemd/system/sysroot.mount.d/50-nbdroot.conf
        case "$root" in
            dhcp | dhcp6)
                # No root= device for systemd's fstab-generator: the whole unit.
                {
                    echo "[Unit]"
                    echo "Before=initrd-root-fs.target"
                    echo "[Mount]"
                    echo "What=/dev/root"
                    echo "Where=/sysroot"
                } > /run/systemd/system/sysroot.mount
                mkdir -p /run/systemd/system/initrd-root-fs.target.requires
                ln -sf ../sysroot.mount /run/systemd/system/initrd-root-fs.target.requires/sysroot.mount
                ;;
        esac
        systemctl --no-block daemon-reload
    else
        # Before rootfs-block's 99-mount-root.sh, which knows only the cmdline.
        # shellcheck disable=SC2016 # expanded when the mount hook runs
        {
            printf 'ismounted "$NEWROOT" || mount'
            [ -n "$NBDROOT_FSTYPE" ] && printf ' -t %s' "$(nbdroot_q "$NBDROOT_FSTYPE")"
            [ -n "$opts" ] && printf ' -o %s' "$(nbdroot_q "$opts")"
            printf ' /dev/root "$NEWROOT"\n'
        } > "$hookdir"/mount/10-nbdroot.sh
    fi
fi

# The binary logs to stderr: /dev/kmsg reaches the console and the journal in
# both inits, and stays writable for the supervisor it leaves behind (a pipe
# to the initrd's journald would break at switch_root).
"$NBDROOT_BIN" --cmdline "$(getcmdline) $dhcp_arg $(nbdroot_ip_arg "$netif")" \
    < /dev/null > /dev/null 2> /dev/kmsg
case $? in
    0)
        info "nbdroot: $NBDROOT_DEVICE attached over $netif"
        # The root lives on the network: let dracut's shutdown take it down last.
        need_shutdown
        ;;
    2)
        # Temporary (server not reachable yet): the initqueue tries again,
        # within dracut's rd.retry.
        warn "nbdroot: the NBD server is not reachable yet over $netif; retrying"
        /sbin/initqueue --onetime --unique --name nbdroot-retry \
            /sbin/nbdroot "$netif" "$netroot" "$NEWROOT"
        ;;
    *)
        die "nbdroot: cannot attach the NBD root (see the message above)"
        ;;
esac
exit 0
