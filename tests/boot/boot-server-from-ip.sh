#!/bin/bash
# boot-server-from-ip: nbdroot=<port>/<export> without a server takes the server from ip='s <server-ip> field.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-server-from-ip --server nbdkit --timeout 60 \
	--append "nbdroot=10809/root $STATIC_IP $ROOT_ARGS" \
	--expect "$(marker_re rw ok 0)"
