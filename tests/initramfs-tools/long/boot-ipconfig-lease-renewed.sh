#!/bin/bash
# boot-ipconfig-lease-renewed: when another script (dropbear-initramfs's, here a stand-in) has run configure_networking first, nbdroot (claiming the root by nbd-client's nbddev= alone, the server from DHCP) takes klibc ipconfig's lease from /run/net-eth0.conf, rebinds it at once (the file names no server), and the supervisor renews it after run-init at T1 (20 s here), twice, each acknowledged by dnsmasq.
# In make check-long: about a minute of a guest under TCG.
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
img=$(it_image ipconfig-first) || exit 2
it_lab "$img" --case it-ipconfig-lease-renewed --server nbdkit --dnsmasq --timeout 300 \
	"--dnsmasq-arg=--dhcp-option=option:root-path,$SERVER_IP:10809/root" \
	--dnsmasq-arg=--dhcp-option=option:T1,20 --dnsmasq-arg=--dhcp-option=option:T2,40 \
	--append "ip=dhcp nbddev=/dev/nbd0 $IT_ARGS lab.test=dhcp-renewal" \
	--expect 'IP-Config: eth0 complete' \
	--expect 'nbdroot: dhcp: eth0: lease from /run/net-eth0\.conf' \
	--expect 'nbdroot: dhcp: root 10\.77\.0\.1 port 10809 export "root" \(server from the root-path\)' \
	--expect 'nbdroot: supervise: /dev/nbd0: start -> up 10\.77\.0\.1:10809' \
	--expect 'nbdroot: dhcp: eth0: lease renewed for' \
	--expect "$(marker_re rw ok 0)" \
	--expect 'NBDROOT-TEST: dhcp renewals=[2-9]' \
	--expect 'NBDROOT-TEST: test dhcp-renewal exit=0' \
	--reject 'lease expired' "$@"
