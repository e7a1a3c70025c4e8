#!/bin/bash
# boot-dhcp-root-path: an image from Debian's mkinitramfs, root=/dev/nbd0 and nothing else about the root: nbdroot's own DHCP client gets the lease and dnsmasq's root-path, the real root is a rw ext4 /dev/nbd0, and the lease is where initramfs-tools' scripts look for one (/run/net-eth0.conf) as well as in /run/nbdroot.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img=$(it_image nbdroot) || exit 2
it_lab "$img" --case it-dhcp-root-path --server nbdkit --dnsmasq \
	--dnsmasq-arg=--dhcp-option=17,$SERVER_IP:10809/root \
	--append "root=/dev/nbd0 $IT_ARGS lab.test=dhcp-lease" \
	--expect 'nbdroot: dhcp: eth0: lease from 10\.77\.0\.1 for 600 s' \
	--expect 'nbdroot: dhcp: root 10\.77\.0\.1 port 10809 export "root" \(server from the root-path\)' \
	--expect "$(marker_re rw ok 0)" \
	--expect "NBDROOT-TEST: lease ROOTPATH='10\.77\.0\.1:10809/root'" \
	--expect "NBDROOT-TEST: initramfs-tools lease /run/net-eth0.conf IPV4ADDR='10\.77\.0\.10'" \
	--expect 'NBDROOT-TEST: test dhcp-lease exit=0' \
	--reject "$IT_NBD_CLIENT_RE" "$@"
