#!/bin/bash
# module-setup.sh: dracut module "nbdroot": boots an NBD root with the static nbdroot client, in place of dracut's nbd module (nbd-client).

# The binary to put into the image: $NBDROOT_BINARY, else one shipped beside
# this file, else the installed one.
nbdroot_source() {
    local _b
    for _b in "${NBDROOT_BINARY:-}" "$moddir/nbdroot" /usr/lib/nbdroot/nbdroot; do
        if [[ -n $_b ]] && [[ -x $_b ]]; then
            printf '%s\n' "$_b"
            return 0
        fi
    done
    return 1
}

# called by dracut
check() {
    local _rootdev
    nbdroot_source > /dev/null || {
        dwarn "nbdroot: no nbdroot binary (set NBDROOT_BINARY, or install /usr/lib/nbdroot/nbdroot)"
        return 1
    }
    # Host-only: wanted when the running root sits on an NBD device.
    if [[ $hostonly ]] || [[ $mount_needs ]]; then
        _rootdev=$(find_root_block_device)
        [[ -b /dev/block/$_rootdev ]] || return 255
        check_block_and_slaves block_is_nbd "$_rootdev" && return 0
    fi
    # Otherwise only when asked for (--add nbdroot).
    return 255
}

# called by dracut
depends() {
    echo network rootfs-block
    return 0
}

# called by dracut
installkernel() {
    instmods nbd
    # nbdroot.overlay=tmpfs (nbdroot-overlay.sh)
    instmods overlay
}

# dracut's nbd module handles the same root=nbd: and installs the same
# /sbin/nbdroot: one image can hold only one of them. We are installed first
# (90 < 95), so taking it out of the list dracut is working through keeps it
# out of the image.
nbdroot_replace_nbd() {
    dracut_module_included nbd || return 0
    if [[ " $dracutmodules $add_dracutmodules $force_add_dracutmodules " == *" nbd "* ]]; then
        dwarn "nbdroot: both 'nbd' and 'nbdroot' were requested; they handle the same root=nbd:..."
        dwarn "nbdroot: nbdroot replaces dracut's nbd module (nbd-client) in this image; drop 'nbd' from the request (--omit nbd) to silence this"
    else
        dinfo "nbdroot: replacing dracut's nbd module (nbd-client) in this image"
    fi
    # shellcheck disable=SC2154 # dracut's list of modules still to install
    mods_to_load=${mods_to_load// nbd / }
}

# called by dracut
install() {
    local _src
    nbdroot_replace_nbd
    _src=$(nbdroot_source) || {
        dfatal "nbdroot: no nbdroot binary (set NBDROOT_BINARY, or install /usr/lib/nbdroot/nbdroot)"
        exit 1
    }
    inst_simple "$_src" /usr/lib/nbdroot/nbdroot
    inst_simple "$moddir/nbdroot-lib.sh" /lib/nbdroot-lib.sh
    # 90: /sbin/netroot re-runs cmdline/90*.sh with a DHCP root-path.
    inst_hook cmdline 90 "$moddir/nbdroot-cmdline.sh"
    inst_script "$moddir/nbdroot-netroot.sh" /sbin/nbdroot
    # 10: before usrmount (50) mounts /usr, so /usr lands on the overlay too.
    inst_hook pre-pivot 10 "$moddir/nbdroot-overlay.sh"
    inst_multiple sed cat
    if dracut_module_included "systemd-initrd"; then
        inst_script "$moddir/nbdroot-generator.sh" "$systemdutildir"/system-generators/dracut-nbdroot-generator
    fi
    # dracut 059's systemd-networkd never runs /sbin/netroot; later dracut
    # versions bring networkd-run.sh for that, and then ours stays out.
    if dracut_module_included "systemd-networkd" \
        && ! compgen -G "$dracutbasedir/modules.d/*systemd-networkd/networkd-run.sh" > /dev/null; then
        inst_hook cmdline 99 "$moddir/nbdroot-networkd-config.sh"
        inst_hook initqueue/settled 99 "$moddir/nbdroot-networkd-run.sh"
    fi
    dracut_need_initqueue
}
