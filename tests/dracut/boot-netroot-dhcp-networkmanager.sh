#!/bin/bash
# boot-netroot-dhcp-networkmanager: the DHCP root-path case with NetworkManager as dracut's network backend (systemd initrd): dracut's nm-run.sh hands the root-path to /sbin/nbdroot.
# Skipped (exit 77) where network-manager is not installed: qemu/deps.sh
# leaves it out, because installing it on a host that runs systemd starts
# NetworkManager there, which may take over the host's own interfaces.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
if ! command -v NetworkManager >/dev/null; then
	echo "SKIP dracut-netroot-dhcp-networkmanager: network-manager is not installed"
	exit 77
fi
img=$(dracut_image networkmanager) || exit 2
dracut_lab "$img" --case dracut-netroot-dhcp-networkmanager --dnsmasq \
	--dnsmasq-arg "--dhcp-option=option:root-path,nbd:$SERVER_IP:root:ext4:errors=panic" \
	--append "root=/dev/root netroot=dhcp ip=dhcp net.ifnames=0 $DRACUT_ARGS" \
	--expect "$(dracut_marker_re 'errors=panic')" "$@"
