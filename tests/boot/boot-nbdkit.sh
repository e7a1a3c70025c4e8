#!/bin/bash
# boot-nbdkit: nbdroot=<server>:<port>/<export> + static ip= boots the guest from nbdkit onto a rw /dev/nbd0 root.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-nbdkit --server nbdkit --timeout 60 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP $ROOT_ARGS" \
	--expect "$(marker_re rw ok 0)"
