#!/bin/sh
# dracut-overlay: run on a root booted with nbdroot.overlay=tmpfs: / is overlayfs over the read-only NBD root, both layers visible under /run/nbdroot/, a write to / reads back and lands in the tmpfs upper layer, never on /dev/nbd0.
fails=0
fail() {
	echo "NBDROOT-TEST: overlay FAIL $*"
	fails=$((fails + 1))
}
root=$(awk '$2 == "/"' /proc/mounts | tail -n 1)
lower=$(awk '$2 == "/run/nbdroot/lower"' /proc/mounts | tail -n 1)
upper=$(awk '$2 == "/run/nbdroot/overlay"' /proc/mounts | tail -n 1)
echo "NBDROOT-TEST: overlay root=\"$root\" lower=\"$lower\" upper=\"$upper\""
grep -q ' / overlay ' /proc/mounts || fail "/ is not overlayfs"
case $lower in "/dev/nbd0 /run/nbdroot/lower "*" ro,"*) ;; *) fail "/run/nbdroot/lower is not /dev/nbd0 read-only" ;; esac
case $upper in *" /run/nbdroot/overlay tmpfs "*) ;; *) fail "/run/nbdroot/overlay is not a tmpfs" ;; esac
{ [ -d /run/nbdroot/overlay/upper ] && [ -d /run/nbdroot/overlay/work ]; } || fail "no upper/ and work/ under /run/nbdroot/overlay"
[ "$(cat /sys/block/nbd0/ro 2>/dev/null)" = 1 ] || fail "/dev/nbd0 is not read-only"
# A write to the root: it reads back, sits in the upper layer and not below.
token="overlay-$(cat /proc/sys/kernel/random/uuid)"
if echo "$token" >/etc/nbdroot-overlay-probe 2>/dev/null && sync; then
	[ "$(cat /etc/nbdroot-overlay-probe)" = "$token" ] || fail "the write to / did not read back"
	[ -f /run/nbdroot/overlay/upper/etc/nbdroot-overlay-probe ] || fail "the write is not in the upper layer"
	[ -e /run/nbdroot/lower/etc/nbdroot-overlay-probe ] && fail "the write reached the lower layer"
	write=ok
else
	write=failed
	fail "cannot write to /"
fi
echo "NBDROOT-TEST: overlay write=$write done fails=$fails"
# The host's hook takes the image's sha256 on the line above: give it time
# before the power goes.
sleep 3
[ "$fails" = 0 ]
