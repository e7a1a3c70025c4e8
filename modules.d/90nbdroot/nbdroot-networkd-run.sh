#!/bin/sh
# nbdroot-networkd-run.sh: dracut initqueue/settled hook (with dracut 059's systemd-networkd): once networkd has configured an interface, its lease becomes dracut's dhcpopts and /sbin/netroot runs, as with dhclient.
# shellcheck shell=dash

type getarg > /dev/null 2>&1 || . /lib/dracut-lib.sh

for _if in /sys/class/net/*; do
    _name=${_if##*/}
    [ "$_name" = lo ] && continue
    [ -e /tmp/nbdroot-networkd."$_name".done ] && continue
    # Not configured yet: the next pass of the initqueue looks again.
    /usr/lib/systemd/systemd-networkd-wait-online --timeout=0.000001 --interface="$_name" \
        > /dev/null 2>&1 || continue
    _lease=/run/systemd/netif/leases/$(cat "$_if"/ifindex)
    if [ -r "$_lease" ]; then
        # networkd's KEY=value lease, as dhclient-script's new_* lines
        sed -n -e "s/'/'\\\\''/g" \
            -e "s/^ROOT_PATH=\(.*\)/new_root_path='\1'/p" \
            -e "s/^NEXT_SERVER=\(.*\)/new_next_server='\1'/p" \
            -e "s/^SERVER_ADDRESS=\(.*\)/new_dhcp_server_identifier='\1'/p" \
            "$_lease" > /tmp/dhclient."$_name".dhcpopts
    fi
    : > /tmp/nbdroot-networkd."$_name".done
    source_hook initqueue/online "$_name"
    /sbin/netroot "$_name"
done
unset _if _name _lease
