#!/bin/bash
# boot-qemu-nbd: the same boot works against qemu-nbd.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-qemu-nbd --server qemu-nbd --timeout 60 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP $ROOT_ARGS" \
	--expect "$(marker_re rw ok 0)"
