#!/bin/sh
# overlay-full: on a systemd root booted with nbdroot.overlay=tmpfs and a small nbdroot.overlay_size=, `nbdroot --status`
# (the supervisor's own binary) reports OVERLAY tmpfs and OVERLAY_USED as the layer's tmpfs counts it, growing with a
# 2 MiB write; then the upper layer is filled until the writer gets ENOSPC, and the machine keeps running: systemd
# answers, a service starts, the supervisor is up. Exit 0 only when all of that holds.
fails=0
fail() {
	echo "NBDROOT-TEST: overlay FAIL $*"
	fails=$((fails + 1))
}
st=/run/nbdroot/nbd0.status
pid=$(sed -n "s/^PID='\(.*\)'\$/\1/p" "$st")
# the real root has no nbdroot: the supervisor's binary (the initramfs's copy) answers
nbdroot=/proc/$pid/exe
# get KEY: KEY's value in a fresh `nbdroot --status`
get() { "$nbdroot" --status | sed -n "s/^$1='\(.*\)'\$/\1/p"; }
# the layer's used bytes as statfs tells them (df /run/nbdroot/overlay)
df_used() { stat -f -c '%b %f %S' /run/nbdroot/overlay | awk '{ print ($1 - $2) * $3 }'; }
out=$("$nbdroot" --status) || fail "nbdroot --status exited with $?"
echo "$out" | sed 's/^/NBDROOT-TEST: overlay status: /'
before=$(df_used)
overlay=$(get OVERLAY)
used=$(get OVERLAY_USED)
after=$(df_used)
echo "NBDROOT-TEST: overlay OVERLAY=$overlay OVERLAY_USED=$used df-used=$before..$after"
[ "$overlay" = tmpfs ] || fail "OVERLAY=\"$overlay\", expected tmpfs"
{ [ -n "$used" ] && [ "$used" -ge "$before" ] && [ "$used" -le "$after" ]; } ||
	fail "OVERLAY_USED=\"$used\", expected what statfs says ($before..$after)"
dd if=/dev/urandom of=/nbdroot-used-probe bs=64k count=32 conv=fsync 2>/dev/null || fail "2 MiB write"
grown=$(($(get OVERLAY_USED) - used))
echo "NBDROOT-TEST: overlay 2MiB-write grew OVERLAY_USED by $grown"
{ [ "$grown" -ge 2097152 ] && [ "$grown" -le 3145728 ]; } || fail "OVERLAY_USED grew by $grown after a 2 MiB write, expected 2..3 MiB"
[ ! -e /run/nbdroot/lower/nbdroot-used-probe ] || fail "the write reached the lower layer"
# Fill the layer: the writer must get ENOSPC.
if err=$(dd if=/dev/zero of=/nbdroot-fill bs=64k 2>&1); then
	full="no-error"
else
	case $err in
	*"No space left"*) full=enospc ;;
	*) full="failed($(echo "$err" | head -n 1))" ;;
	esac
fi
size=$(stat -f -c '%b %S' /run/nbdroot/overlay | awk '{ print $1 * $2 }')
echo "NBDROOT-TEST: overlay fill=$full OVERLAY_USED=$(get OVERLAY_USED) size=$size"
[ "$full" = enospc ] || fail "filling the upper layer: $full, expected ENOSPC"
# Still running on a full root: systemd answers, a service starts, the supervisor is up.
state=$(systemctl is-system-running)
if systemd-run --unit=lab-after-full --wait --quiet /bin/true; then svc=ok; else svc="failed($?)"; fi
sup=$(sed -n "s/^STATE='\(.*\)'\$/\1/p" "$st")
[ -d "/proc/$pid" ] && alive=yes || alive=no
echo "NBDROOT-TEST: overlay full-root systemd=$state service=$svc supervisor=$alive state=$sup"
[ "$state" = running ] || fail "systemctl is-system-running: $state on a full root"
[ "$svc" = ok ] || fail "a service on a full root: $svc"
{ [ "$alive" = yes ] && [ "$sup" = up ]; } || fail "supervisor alive=$alive state=$sup"
rm -f /nbdroot-fill /nbdroot-used-probe
echo "NBDROOT-TEST: overlay done fails=$fails"
[ "$fails" = 0 ]
