#!/bin/sh
# slow-server: while the host's nbdkit delays every write by lab.delay_write_ms and every read by lab.delay_read_ms
# (less than nbdroot.timeout), lab.rounds rounds (default 3) of write + fsync, then a cold re-read, on the NBD root,
# and O_DIRECT reads of the device. Prints "NBDROOT-TEST: slow ..." lines; exit 0 only if every round reads back
# what it wrote, each write and read took at least the server's delay (the slowness was real), no I/O error or
# request timeout reached the kernel log, and the supervisor stayed up with 0 reconnects.
rounds=3 dw=0 dr=0
# shellcheck disable=SC2013 # the command line is one line of words
for arg in $(cat /proc/cmdline); do
	case $arg in
	lab.rounds=*) rounds=${arg#*=} ;;
	lab.delay_write_ms=*) dw=${arg#*=} ;;
	lab.delay_read_ms=*) dr=${arg#*=} ;;
	esac
done
st=/run/nbdroot/nbd0.status
status() { sed -n "s/^$1='\(.*\)'\$/\1/p" "$st" 2>/dev/null; }
# milliseconds of uptime (centisecond resolution)
ms() {
	read -r u _ </proc/uptime
	c=${u#*.}
	echo $((${u%.*} * 1000 + 10 * ${c#0}))
}
# what a request the kernel gave up on leaves behind, from nbd up to ext4
errs='I/O error|EXT4-fs error|Buffer I/O|nbd0: Connection timed out|nbd0: Receive control failed|shutting down sockets|Dead connection'
fails=0
fail() {
	echo "NBDROOT-TEST: slow FAIL $*"
	fails=$((fails + 1))
}
echo "NBDROOT-TEST: slow start delay-write=${dw}ms delay-read=${dr}ms state=$(status STATE)"
wmin=999999 rmin=999999 dmin=999999 r=0
while [ $r -lt "$rounds" ]; do
	r=$((r + 1))
	dd if=/dev/urandom of=/run/slow-data bs=4096 count=16 2>/dev/null
	t=$(ms)
	dd if=/run/slow-data of="/slow-$r" bs=4096 conv=fsync 2>/dev/null || fail "write $r"
	w=$(($(ms) - t))
	sync
	echo 3 >/proc/sys/vm/drop_caches
	t=$(ms)
	[ "$(sha256sum <"/slow-$r")" = "$(sha256sum </run/slow-data)" ] || fail "round $r reads back wrong"
	rd=$(($(ms) - t))
	t=$(ms)
	dd if=/dev/nbd0 of=/dev/null iflag=direct bs=4096 skip=$((r * 97)) count=1 2>/dev/null || fail "direct read $r"
	d=$(($(ms) - t))
	echo "NBDROOT-TEST: slow round $r write+fsync=${w}ms cold-read=${rd}ms direct-read=${d}ms"
	[ $w -lt $wmin ] && wmin=$w
	[ $rd -lt $rmin ] && rmin=$rd
	[ $d -lt $dmin ] && dmin=$d
done
[ $wmin -ge "$dw" ] || fail "a write+fsync took ${wmin}ms, under the server's ${dw}ms"
if [ $rmin -lt "$dr" ] || [ $dmin -lt "$dr" ]; then
	fail "a read took ${rmin}/${dmin}ms, under the server's ${dr}ms"
fi
e=$(dmesg | grep -ciE "$errs")
[ "$e" = 0 ] || dmesg | grep -iE "$errs" | head -n 5
[ "$e" = 0 ] || fail "$e I/O errors or timeouts in the kernel log"
if [ "$(status STATE)" != up ] || [ "$(status RECONNECTS)" != 0 ]; then
	fail "supervisor state $(status STATE), $(status RECONNECTS) reconnects"
fi
echo "NBDROOT-TEST: slow rounds=$rounds write-min=${wmin}ms read-min=${rmin}ms direct-min=${dmin}ms ioerrors=$e state=$(status STATE) reconnects=$(status RECONNECTS) fails=$fails"
[ $fails = 0 ]
