#!/bin/bash
# boot-nbdclient-server-path: nbd-client's nbdroot=<server>:/<path> boots from the default port with the export named "/root", its '/' kept as Debian's script passes it (nbdkit refuses any other name).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-nbdclient-server-path --server nbdkit --timeout 60 --export /root \
	--append "nbdroot=$SERVER_IP:/root $STATIC_IP $ROOT_ARGS" \
	--expect 'nbdroot: attach: /dev/nbd0: [0-9]+ bytes' \
	--expect "$(marker_re rw ok 0)"
