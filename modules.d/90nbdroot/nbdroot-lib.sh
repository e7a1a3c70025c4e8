#!/bin/sh
# nbdroot-lib.sh: what the nbdroot hooks share: where the binary is, its view of the command line, which root is ours.
# shellcheck shell=dash
# Sourced after /lib/dracut-lib.sh (getarg, getcmdline). The grammar lives in the
# binary alone: these functions route by dracut's own conventions (the netroot
# scheme, root=dhcp) and ask `nbdroot --print-config` for everything else.

# /sbin/nbdroot is taken: dracut's /sbin/netroot runs "<scheme>root" for a
# netroot, so that name belongs to the handler (nbdroot-netroot.sh).
NBDROOT_BIN=/usr/lib/nbdroot/nbdroot

# nbdroot_config [TEXT]: the binary's configuration for dracut's command line
# (/etc/cmdline.d included) followed by TEXT, as NBDROOT_* variables. On an
# invalid line the binary prints its one-line message and this returns 1.
nbdroot_config() {
    _nbdroot_out=$("$NBDROOT_BIN" --print-config --cmdline "$(getcmdline) ${1:-}") || return 1
    # shquote'd KEY='value' lines: safe to evaluate.
    eval "$_nbdroot_out"
}

# nbdroot_q VALUE: VALUE single-quoted for a shell.
nbdroot_q() {
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# nbdroot_cmdline_wants: on the command line alone, is the root an NBD root
# now (not only once DHCP answers)? Sets netroot (what dracut's /sbin/netroot
# dispatches on: its scheme "nbd" selects /sbin/nbdroot) and, for root=nbd:,
# root=block:/dev/root, as dracut's own nbd module does.
nbdroot_cmdline_wants() {
    local _n
    case "$root" in
        nbd:*)
            netroot=$root
            root=block:/dev/root
            return 0
            ;;
    esac
    for _n in $(getargs netroot=); do
        case "$_n" in nbd:*) netroot=$_n ;; esac
    done
    [ -n "$netroot" ] && return 0
    # Our own names: the binary reads the value; dracut only needs a scheme.
    if getarg nbdroot > /dev/null || getarg nbd.root_server= > /dev/null; then
        netroot=nbd:nbdroot
        return 0
    fi
    # nbd-client's: nbddev= or root=/dev/nbdN[pM] alone mean the DHCP
    # root-path (Debian's initramfs script); the binary picks the device.
    case "$root" in
        /dev/nbd* | block:/dev/nbd* | nbd[0-9]*) netroot=nbd:nbdroot ;;
    esac
    getarg nbddev= > /dev/null && netroot=nbd:nbdroot
    [ -n "$netroot" ]
}

# nbdroot_has_spec: does the command line name a root spec of ours (else a
# DHCP root-path is handed over as nbdroot=, as nbd-client's script reads it)?
nbdroot_has_spec() {
    getarg nbdroot > /dev/null || getarg nbd.root_server= > /dev/null
}

# nbdroot_dhcp_arg NETIF NETROOT: the text that hands a DHCP root-path to the
# binary, in the parameter that asked for DHCP, so the line's precedence holds.
# dracut's root=dhcp / netroot=dhcp: /sbin/netroot already put the root-path
# into NETROOT. Ours (nbdroot=dhcp, a bare nbdroot, or no spec at all beside
# nbddev= / root=/dev/nbdN): the dhcpopts file.
nbdroot_dhcp_arg() {
    local _v new_root_path
    if getarg root=dhcp > /dev/null || getarg root=dhcp6 > /dev/null; then
        printf '"root=%s"' "$2"
    elif getarg netroot=dhcp > /dev/null || getarg netroot=dhcp6 > /dev/null; then
        printf '"netroot=%s"' "$2"
    elif { _v=$(getarg nbdroot) && { [ -z "$_v" ] || [ "$_v" = dhcp ]; }; } \
        || { [ "$2" = nbd:nbdroot ] && ! nbdroot_has_spec; }; then
        # shellcheck disable=SC1090
        [ -r /tmp/dhclient."$1".dhcpopts ] && . /tmp/dhclient."$1".dhcpopts
        [ -n "$new_root_path" ] && printf '"nbdroot=%s"' "$new_root_path"
    fi
    return 0
}

# nbdroot_ip_arg NETIF: dracut has configured NETIF, so the binary must leave
# the network alone (ip=...:off with no client address); its server field
# carries DHCP's next-server or server identifier for a spec that names none.
nbdroot_ip_arg() {
    local new_next_server new_dhcp_server_identifier _srv
    # shellcheck disable=SC1090
    [ -r /tmp/dhclient."$1".dhcpopts ] && . /tmp/dhclient."$1".dhcpopts
    _srv=${new_next_server:-$new_dhcp_server_identifier}
    [ "$_srv" = 0.0.0.0 ] && _srv=
    if [ -z "$_srv" ]; then
        # A static ip= names the server in its second field: take it from
        # dracut's own ip= reader, for the interface dracut brought up.
        command -v ip_to_var > /dev/null || . /lib/net-lib.sh
        for _p in $(getargs ip=); do
            case "$_p" in *:*) ;; *) continue ;; esac
            ip_to_var "$_p"
            if [ -z "$dev" ] || [ "$dev" = "$1" ]; then
                [ -n "$srv" ] && _srv=$srv
            fi
        done
    fi
    printf 'ip=:%s::::%s:off' "$_srv" "$1"
}

# nbdroot_attached DEVICE: the kernel has an export behind DEVICE (/dev/nbdN).
nbdroot_attached() {
    local _s=0
    [ -r /sys/block/"${1##*/}"/size ] && read -r _s < /sys/block/"${1##*/}"/size
    [ "${_s:-0}" != 0 ]
}

# nbdroot_mount_opts: the root's mount options: the spec's (or rootflags=),
# then the kernel's ro / rw, as dracut does for rootflags=. Under an overlay
# (nbdroot.overlay=) the root is the read-only lower layer: any rw is dropped
# and ro comes last, since the device is attached read-only. _netdev keeps
# rootfs-block's fsck away from it (e2fsck cannot check a read-only device and
# stops the boot); mount itself ignores _netdev.
nbdroot_mount_opts() {
    local _o="$NBDROOT_ROOTFLAGS"
    if [ -n "$NBDROOT_OVERLAY" ]; then
        _o=$(printf ',%s,' "$_o" | sed -e 's/,rw,/,/g' -e 's/,rw,/,/g' -e 's/^,*//' -e 's/,*$//')
        printf '%s' "${_o:+$_o,}_netdev,ro"
        return 0
    fi
    getargbool 0 ro && _o="${_o:+$_o,}ro"
    getargbool 0 rw && _o="${_o:+$_o,}rw"
    printf '%s' "$_o"
}

# nbdroot_log TEXT: "nbdroot: TEXT" in the kernel log, which reaches the
# console in both inits (a systemd initrd's info() goes to the journal only).
nbdroot_log() {
    echo "<30>nbdroot: $*" > /dev/kmsg 2> /dev/null
}

# nbdroot_fail TEXT: "nbdroot: TEXT" on the console and in the kernel log, then
# dracut's die (rescue shell or halt, as rd.shell says).
nbdroot_fail() {
    echo "nbdroot: $*" >&2
    echo "<27>nbdroot: $*" > /dev/kmsg 2> /dev/null
    die "nbdroot: $*"
}
