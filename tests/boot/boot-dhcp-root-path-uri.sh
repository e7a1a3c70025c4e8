#!/bin/bash
# boot-dhcp-root-path-uri: nbdroot=dhcp takes server, port and export from a root-path in the NBD URI form.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-dhcp-root-path-uri --server nbdkit --export disk7 --dnsmasq --timeout 90 \
	--dnsmasq-arg=--dhcp-option=17,nbd://10.77.0.1:10809/disk7 \
	--append "nbdroot=dhcp $ROOT_ARGS" \
	--expect 'nbdroot: dhcp: root 10\.77\.0\.1 port 10809 export "disk7" \(server from the root-path\)' \
	--expect "$(marker_re rw ok 0)"
