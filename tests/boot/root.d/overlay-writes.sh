#!/bin/sh
# overlay-writes: on an nbdroot.overlay=tmpfs root, / is overlayfs, both layers are visible under /run/nbdroot, a
# write to / reads back from the upper layer and never the lower, and a write larger than the upper layer gets
# ENOSPC while the machine keeps running.
fails=0
fail() {
	echo "NBDROOT-TEST: overlay FAIL $*"
	fails=$((fails + 1))
}
# field MOUNTPOINT N: field N of the last /proc/mounts line for MOUNTPOINT
field() { awk -v m="$1" -v n="$2" '$2 == m { v = $n } END { print v }' /proc/mounts; }
root=$(field / 3)
lower="$(field /run/nbdroot/lower 1) $(field /run/nbdroot/lower 3) $(field /run/nbdroot/lower 4 | cut -d, -f1)"
# tmpfs shows size= only when it is not its default, half of RAM
size=$(field /run/nbdroot/overlay 4 | tr , '\n' | grep '^size=' || echo "size=50%")
upper="$(field /run/nbdroot/overlay 3) $size"
echo "NBDROOT-TEST: overlay root=$root lower=\"$lower\" upper=\"$upper\""
[ "$root" = overlay ] || fail "/ is \"$root\", expected overlay"
[ -d /run/nbdroot/lower/sbin ] || fail "no /run/nbdroot/lower/sbin: the lower layer is not visible"
[ -d /run/nbdroot/overlay/upper ] || fail "no /run/nbdroot/overlay/upper: the upper layer is not visible"
echo "written on the overlay" >/overlay-probe || fail "write to /overlay-probe"
[ "$(cat /overlay-probe 2>/dev/null)" = "written on the overlay" ] || fail "/overlay-probe reads back wrong"
[ -f /run/nbdroot/overlay/upper/overlay-probe ] || fail "/overlay-probe is not in the upper layer"
[ ! -e /run/nbdroot/lower/overlay-probe ] || fail "/overlay-probe reached the lower layer"
sync
if err=$(dd if=/dev/zero of=/overlay-big bs=1M count=8 conv=fsync 2>&1); then
	big=ok
else
	case $err in
	*"No space left"*) big=enospc ;;
	*) big="failed($err)" ;;
	esac
fi
rm -f /overlay-big
echo "after the big write" >/overlay-probe2 || fail "write after the big write"
[ "$(cat /overlay-probe2 2>/dev/null)" = "after the big write" ] || fail "/overlay-probe2 reads back wrong"
sync
echo "NBDROOT-TEST: overlay done fails=$fails big-write=$big alive=yes"
[ "$fails" = 0 ]
