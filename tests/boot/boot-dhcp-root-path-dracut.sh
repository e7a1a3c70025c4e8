#!/bin/bash
# boot-dhcp-root-path-dracut: dracut's root=dhcp ip=dhcp with its nbd:<server>:<export> root-path, as dracut users configure dnsmasq.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-dhcp-root-path-dracut --server nbd-server --export dracut-root --dnsmasq \
	--timeout 90 --dnsmasq-arg=--dhcp-option=17,nbd:10.77.0.1:dracut-root \
	--append "root=dhcp ip=dhcp lab.test=poweroff" \
	--expect 'nbdroot: dhcp: root 10\.77\.0\.1 port 10809 export "dracut-root" \(server from the root-path\)' \
	--expect "$(marker_re rw ok 0)"
