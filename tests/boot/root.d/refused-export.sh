#!/bin/sh
# refused-export: while the host serves a different-size export in place of the root, the supervisor must refuse
# it (state refused, kmsg, the device untouched); once the right export is back, it must reconnect and the data
# written before must read back (and, on an overlay root, the image's files from the lower layer). The I/O-free
# part runs from tmpfs so that it cannot block on the dead root.
if [ "$1" != --tmpfs ]; then
	cp /bin/busybox /run/busybox && cp "$0" /run/refused-export.sh && exec /run/busybox sh /run/refused-export.sh --tmpfs
	echo "NBDROOT-TEST: refused cannot copy itself to /run"
	exit 1
fi
bb=/run/busybox
st=/run/nbdroot/nbd0.status
status() { $bb sed -n "s/^$1='\(.*\)'\$/\1/p" "$st"; }
# wait_state STATE SECONDS
wait_state() {
	i=0
	while [ "$(status STATE)" != "$1" ] && [ $i -lt $(($2 * 5)) ]; do
		$bb sleep 0.2
		i=$((i + 1))
	done
	[ "$(status STATE)" = "$1" ]
}
fails=0
fail() {
	echo "NBDROOT-TEST: refused FAIL $*"
	fails=$((fails + 1))
}
size=$($bb cat /sys/block/nbd0/size)
$bb dd if=/dev/urandom of=/run/before bs=4096 count=64 2>/dev/null
$bb dd if=/run/before of=/before bs=4096 conv=fsync 2>/dev/null || fail "write before the swap"
sum=$($bb sha256sum </run/before)
echo "NBDROOT-TEST: refused start size=$size"
wait_state refused 120 || fail "state $(status STATE) after 120 s, expected refused"
echo "NBDROOT-TEST: refused state=$(status STATE) error=\"$(status LAST_ERROR)\" reconnects=$(status RECONNECTS)"
case $(status LAST_ERROR) in
"export changed: "*) ;;
*) fail "LAST_ERROR \"$(status LAST_ERROR)\"" ;;
esac
$bb dmesg | $bb grep -q 'nbdroot: supervise: /dev/nbd0: export changed: ' || fail "no kmsg line"
# retried, and refused every time
$bb sleep 5
if [ "$(status STATE)" != refused ] || [ "$(status RECONNECTS)" != 0 ]; then
	fail "after 5 s more: state $(status STATE), reconnects $(status RECONNECTS)"
fi
[ "$($bb cat /sys/block/nbd0/size)" = "$size" ] || fail "device size changed"
# the host restores the right export on this line
echo "NBDROOT-TEST: refused seen"
wait_state up 120 || fail "state $(status STATE) after the right export came back, expected up"
[ "$(status RECONNECTS)" = 1 ] || fail "RECONNECTS=$(status RECONNECTS), expected 1"
$bb sync
echo 3 >/proc/sys/vm/drop_caches
[ "$($bb sha256sum </before)" = "$sum" ] || fail "/before reads back wrong"
$bb dd if=/run/before of=/after bs=4096 conv=fsync 2>/dev/null || fail "write after the reconnect"
# On an overlay root (nbdroot.overlay=tmpfs) the files above are in RAM: the image's own files, re-read from the
# device, show that the lower layer is back too.
more=
manifest=/run/nbdroot/lower/etc/lab-files.sha256
if [ -f "$manifest" ]; then
	n=0
	while read -r sum name; do
		n=$((n + 1))
		[ "$($bb sha256sum </run/nbdroot/lower/"$name" 2>&1)" = "$sum  -" ] || fail "lower layer: $name reads back wrong"
	done <"$manifest"
	more=" lower-checked=$n"
fi
echo "NBDROOT-TEST: refused done fails=$fails state=$(status STATE) reconnects=$(status RECONNECTS)$more"
[ "$fails" = 0 ]
