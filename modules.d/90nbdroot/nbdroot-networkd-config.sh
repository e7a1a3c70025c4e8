#!/bin/sh
# nbdroot-networkd-config.sh: dracut cmdline hook (with dracut 059's systemd-networkd): networkd asks DHCP for the root-path (option 17).
# shellcheck shell=dash
# dracut 059's systemd-networkd module neither requests the root-path nor
# hands it to /sbin/netroot (dracut-ng added both later); this and
# nbdroot-networkd-run.sh are that glue. A server sends option 17 only when
# asked for it, and systemd-network-generator has no way to say so.

type getarg > /dev/null 2>&1 || . /lib/dracut-lib.sh

# The generator turns ip= into .network files; make sure it has run.
systemctl start systemd-network-generator.service
for f in /run/systemd/network/*.network; do
    [ -f "$f" ] || continue
    grep -q '^RequestOptions=.*\<17\>' "$f" && continue
    printf '\n[DHCPv4]\nRequestOptions=17\n' >> "$f"
done
systemctl try-reload-or-restart systemd-networkd.service
