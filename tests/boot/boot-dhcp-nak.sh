#!/bin/bash
# boot-dhcp-nak: dnsmasq NAKs the REQUEST for what it offered: nbdroot starts over, and gets the lease once dnsmasq serves normally.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# The first dnsmasq has no dhcp-range a REQUEST (option 50) may use, so every
# REQUEST gets a NAK ("wrong network"). After the first NAK the hook replaces
# it with a plain one (dnsmasq cannot change this on SIGHUP).
# shellcheck disable=SC2016 # expanded by the hook's shell
hook='
dns() {
	dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --interface=tap0 \
		--bind-interfaces --except-interface=lo --dhcp-host=52:54:00:12:34:56,10.77.0.10 \
		--dhcp-leasefile="$LAB_LOGDIR/nak.leases" --user=root --group=root --log-dhcp \
		--dhcp-option=17,10.77.0.1:10809/root "$@" &
}
dns --log-facility="$LAB_LOGDIR/dnsmasq-nak.log" --dhcp-match=set:req,50 \
	"--dhcp-range=tag:!req,10.77.0.100,10.77.0.199,255.255.255.0,10m"
first=$!
for _ in $(seq 600); do
	grep -q DHCPNAK "$LAB_LOGDIR/dnsmasq-nak.log" 2>/dev/null && break
	sleep 0.1
done
kill "$first"
wait "$first"
dns --log-facility="$LAB_LOGDIR/dnsmasq.log" --dhcp-range=10.77.0.100,10.77.0.199,255.255.255.0,10m
wait
'
lab --case boot-dhcp-nak --server nbdkit --timeout 90 --hook "$hook" \
	--append "root=/dev/nbd0 lab.test=poweroff" \
	--expect 'nbdroot: dhcp: eth0: NAK, starting over' \
	--expect 'nbdroot: dhcp: eth0: lease from 10\.77\.0\.1 ' \
	--expect "$(marker_re rw ok 0)"
