#!/bin/bash
# boot-nbd-server: the same boot works against nbd-server (the reference server, forks per client).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-nbd-server --server nbd-server --timeout 60 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP $ROOT_ARGS" \
	--expect "$(marker_re rw ok 0)"
