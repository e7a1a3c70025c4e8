#!/bin/bash
# boot-dhcp-lease-renewed: in an image from Debian's mkinitramfs, the DHCP lease nbdroot took in local-top is renewed by the supervisor after run-init has emptied the initramfs and moved /run (noexec) into the real root: at T1 (20 s here), twice, each acknowledged by dnsmasq.
# In make check-long: about 3 minutes of a guest under TCG.
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
img=$(it_image nbdroot) || exit 2
it_lab "$img" --case it-dhcp-lease-renewed --server nbdkit --dnsmasq --timeout 300 \
	"--dnsmasq-arg=--dhcp-option=option:root-path,$SERVER_IP:10809/root" \
	--dnsmasq-arg=--dhcp-option=option:T1,20 --dnsmasq-arg=--dhcp-option=option:T2,40 \
	--append "nbdroot=dhcp root=/dev/nbd0 $IT_ARGS lab.test=dhcp-renewal" \
	--expect 'nbdroot: supervise: /dev/nbd0: start -> up 10\.77\.0\.1:10809' \
	--expect "$(marker_re rw ok 0)" \
	--expect 'NBDROOT-TEST: dhcp renewals=[2-9]' \
	--expect 'NBDROOT-TEST: test dhcp-renewal exit=0' \
	--reject 'lease expired' "$@"
