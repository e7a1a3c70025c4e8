#!/bin/sh
# dhcp-lease: shows the lease files nbdroot wrote under /run/nbdroot (moved into the real root by the init), one line per key.
set -- /run/nbdroot/net-*.conf
[ -e "$1" ] || set -- none
echo "NBDROOT-TEST: lease files: $*"
echo "NBDROOT-TEST: hostname $(hostname)"
[ "$1" != none ] || exit 1
for f; do
	sed 's/^/NBDROOT-TEST: lease /' "$f"
done
# the file is meant to be sourced by shell scripts
# shellcheck source=/dev/null
(. "$1" && [ -n "$IPV4ADDR" ] && [ -n "$DEVICE" ])
