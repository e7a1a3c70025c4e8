#!/bin/bash
# boot-netroot-dhcp: root=/dev/root netroot=dhcp ip=dhcp with network-legacy (dhclient): dnsmasq's root-path (option 17) reaches nbdroot, its fstype and flags reach the mount.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img=$(dracut_image legacy) || exit 2
dracut_lab "$img" --case dracut-netroot-dhcp --dnsmasq \
	--dnsmasq-arg "--dhcp-option=option:root-path,nbd:$SERVER_IP:root:ext4:errors=panic" \
	--append "root=/dev/root netroot=dhcp ip=dhcp net.ifnames=0 $DRACUT_ARGS" \
	--expect "$(dracut_marker_re 'errors=panic')" "$@"
