#!/bin/bash
# boot-readonly-export: a read-only export gives a read-only nbd0 (sysfs ro=1), a root mounted ro, and writes fail with EROFS.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-readonly-export --server nbdkit --readonly --timeout 60 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP $ROOT_ARGS" \
	--expect "$(marker_re ro erofs 1)"
