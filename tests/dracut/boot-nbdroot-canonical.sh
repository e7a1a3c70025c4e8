#!/bin/bash
# boot-nbdroot-canonical: our own nbdroot=<server>:10809/<export> with no root= at all, in a dracut image: the device becomes /dev/root and the real root.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img=$(dracut_image legacy) || exit 2
dracut_lab "$img" --case dracut-nbdroot-canonical \
	--append "nbdroot=$SERVER_IP:10809/root $DRACUT_STATIC_IP $DRACUT_ARGS" \
	--expect "$(dracut_marker_re '')" "$@"
