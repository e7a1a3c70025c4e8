#!/bin/bash
# boot-netroot-dhcp-networkd: the same DHCP root-path case with systemd-networkd as dracut's network backend (systemd initrd): the lease's root-path reaches nbdroot.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img=$(dracut_image networkd) || exit 2
dracut_lab "$img" --case dracut-netroot-dhcp-networkd --dnsmasq \
	--dnsmasq-arg "--dhcp-option=option:root-path,nbd:$SERVER_IP:root:ext4:errors=panic" \
	--append "root=/dev/root netroot=dhcp ip=dhcp net.ifnames=0 $DRACUT_ARGS" \
	--expect "$(dracut_marker_re 'errors=panic')" "$@"
