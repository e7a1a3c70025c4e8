#!/bin/sh
# dhcp-lease: shows the lease files nbdroot wrote under /run/nbdroot (moved into the real root by the init), one line per key, and the address of any /run/net-<if>.conf.
set -- /run/nbdroot/net-*.conf
[ -e "$1" ] || set -- none
echo "NBDROOT-TEST: lease files: $*"
echo "NBDROOT-TEST: hostname $(hostname)"
[ "$1" != none ] || exit 1
for f; do
	sed 's/^/NBDROOT-TEST: lease /' "$f"
done
# initramfs-tools' scripts look for a lease as /run/net-<if>.conf
for f in /run/net-*.conf; do
	[ -e "$f" ] && sed -n "s|^IPV4ADDR=|NBDROOT-TEST: initramfs-tools lease $f IPV4ADDR=|p" "$f"
done
# the file is meant to be sourced by shell scripts
# shellcheck source=/dev/null
(. "$1" && [ -n "$IPV4ADDR" ] && [ -n "$DEVICE" ])
