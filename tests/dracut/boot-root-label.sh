#!/bin/bash
# boot-root-label: root=LABEL=<label> netroot=nbd:<server>:<export>: dracut waits for the label, which appears on the NBD device nbdroot attached.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img=$(dracut_image legacy) || exit 2
# qemu/mkroot.sh labels the test root nbdroot-test.
dracut_lab "$img" --case dracut-root-label \
	--append "root=LABEL=nbdroot-test netroot=nbd:$SERVER_IP:root $DRACUT_STATIC_IP $DRACUT_ARGS" \
	--expect "$(dracut_marker_re '')" "$@"
