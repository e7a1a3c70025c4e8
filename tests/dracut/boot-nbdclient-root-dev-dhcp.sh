#!/bin/bash
# boot-nbdclient-root-dev-dhcp: nbd-client's root=/dev/nbd0 ip=dhcp alone (no nbdroot=) with network-legacy: the module claims the root, DHCP's root-path in nbd-client's <server>:/<path> form reaches nbdroot (export "/root", its '/' kept), and /dev/nbd0 is mounted.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img=$(dracut_image legacy) || exit 2
dracut_lab "$img" --case dracut-nbdclient-root-dev-dhcp --dnsmasq --export /root \
	--dnsmasq-arg "--dhcp-option=option:root-path,$SERVER_IP:/root" \
	--append "root=/dev/nbd0 ip=dhcp net.ifnames=0 $DRACUT_ARGS" \
	--expect "$(dracut_marker_re '')" "$@"
