#!/bin/bash
# nbd-module-replaced: asking dracut for both its nbd module and nbdroot builds an image with nbdroot alone, and the build says so: no nbd-client, no parse-nbdroot.sh hook, /sbin/nbdroot is our handler.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img=$(dracut_image both) || exit 2
log=$(cat "$DRACUT_DIR/both.log")
list=$(lsinitrd "$img" 2>/dev/null) || exit 2
mods=$(lsinitrd -f usr/lib/dracut/modules.txt "$img")
handler=$(lsinitrd -f usr/sbin/nbdroot "$img")
failed=0
# check DESCRIPTION COMMAND...
check() {
	local what=$1
	shift
	if "$@"; then
		echo "PASS $what"
	else
		echo "FAIL $what"
		failed=$((failed + 1))
	fi
}
has() { grep -qE -e "$2" <<<"$1"; }
hasnt() { ! grep -qE -e "$2" <<<"$1"; }
check "the build warns that both were requested" has "$log" "both 'nbd' and 'nbdroot' were requested"
check "the build says which one the image gets" has "$log" "nbdroot replaces dracut's nbd module"
check "nbdroot is among the image's modules" has "$mods" '^nbdroot$'
check "nbd is not" hasnt "$mods" '^nbd$'
check "no nbd-client in the image" hasnt "$list" 'bin/nbd-client$'
check "no nbd module cmdline hook" hasnt "$list" 'hooks/cmdline/90-parse-nbdroot\.sh$'
check "the nbdroot binary is in the image" has "$list" 'usr/lib/nbdroot/nbdroot$'
check "/sbin/nbdroot is the nbdroot handler" has "$handler" 'nbdroot-netroot\.sh, installed as /sbin/nbdroot'
echo "nbd-module-replaced: $failed failed"
[ "$failed" = 0 ]
