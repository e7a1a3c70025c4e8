#!/bin/sh
# fault-errors: O_DIRECT reads of a raw region past the filesystem (the export's last 4 MiB, block K holding
# "raw-block-K" lines) before, during and after a window in which the host's nbdkit fails every read; the host
# then writes "done injected=N" (its count of injected errors) into the region's last block. Prints
# "NBDROOT-TEST: fault ..." lines; exit 0 only if every read outside the window returned the right bytes, the
# failed reads form one run, match the host's count and the kernel's I/O error lines (all in the raw region),
# and the root filesystem, the connection and the supervisor are unharmed.
# Runs from tmpfs: while reads fail, nothing may need the root filesystem.
if [ "$1" != --tmpfs ]; then
	cp /bin/busybox /run/busybox && cp "$0" /run/fault-errors.sh && exec /run/busybox sh /run/fault-errors.sh --tmpfs
	echo "NBDROOT-TEST: fault cannot copy itself to /run"
	exit 1
fi
bb=/run/busybox
st=/run/nbdroot/nbd0.status
status() { $bb sed -n "s/^$1='\(.*\)'\$/\1/p" "$st"; }
up() { $bb cut -d. -f1 /proc/uptime; }
fails=0
fail() {
	echo "NBDROOT-TEST: fault FAIL $*"
	fails=$((fails + 1))
}
raw=1024
base=$(($($bb cat /sys/block/nbd0/size) / 8 - raw))
mailbox=$((raw - 1))

# get K: raw block K into /run/blk with O_DIRECT (the page cache would hide
# the server); 1 when the read failed
get() {
	$bb dd if=/dev/nbd0 of=/run/blk iflag=direct bs=4096 skip=$((base + $1)) count=1 2>/dev/null
}
# check K: 0 when block K reads back right, 1 on a read error, 2 on wrong bytes
check() {
	get "$1" || return 1
	[ "$($bb sort -u /run/blk)" = "$(printf 'raw-block-%05d' "$1")" ] || return 2
}
# steady WHAT N: N reads that must all succeed with the right bytes; sets ok
steady() {
	ok=0 k=0
	while [ $k -lt "$2" ]; do
		check $((k * 13 % mailbox)) && ok=$((ok + 1))
		k=$((k + 1))
	done
	[ $ok = "$2" ] || fail "$1: $ok of $2 reads right"
}

kerr0=$($bb dmesg | $bb grep -c 'I/O error, dev nbd0')
steady before 64
before=$ok/64
echo "NBDROOT-TEST: fault arm base=$base before=$before"
# One read every 0.25 s (and of the mailbox after each good one) until the
# host says it is done. o: right bytes, E: read error, B: wrong bytes.
seq='' errors=0 i=0 t0=$(up) injected=''
while [ $(($(up) - t0)) -lt 120 ]; do
	check $((i % mailbox))
	case $? in
	0) seq=${seq}o ;;
	1) seq=${seq}E errors=$((errors + 1)) ;;
	*) seq=${seq}B ;;
	esac
	i=$((i + 1))
	if [ "${seq%o}" != "$seq" ]; then
		if get $mailbox; then
			m=$($bb head -n 1 /run/blk)
			case $m in "done injected="*)
				injected=${m#done injected=}
				break
				;;
			esac
		else
			seq=${seq}E errors=$((errors + 1))
		fi
	fi
	$bb sleep 0.25
done
[ -n "$injected" ] || fail "the host never said it was done"
case $seq in
o*E*o) ;;
*) fail "reads did not go right, then fail, then right again: $seq" ;;
esac
case $seq in *E*o*E* | *B*) fail "failed reads outside one window, or wrong bytes: $seq" ;; esac
[ "$errors" = "$injected" ] || fail "$errors reads failed, the server injected ${injected:-?} errors"
steady after 64
after=$ok/64

# The kernel's view: one line per failed request, each inside the raw region.
kerr=$(($($bb dmesg | $bb grep -c 'I/O error, dev nbd0') - kerr0))
outside=0
for s in $($bb dmesg | $bb sed -n 's/.*I\/O error, dev nbd0, sector \([0-9]*\).*/\1/p'); do
	[ "$s" -ge $((base * 8)) ] || outside=$((outside + 1))
done
[ "$kerr" = "$errors" ] || fail "the kernel logged $kerr I/O errors for $errors failed reads"
[ $outside = 0 ] || fail "$outside I/O errors outside the raw region"

# The root filesystem and the supervisor are unharmed.
$bb dd if=/dev/urandom of=/run/data bs=4096 count=64 2>/dev/null
$bb dd if=/run/data of=/fault-check bs=4096 conv=fsync 2>/dev/null || fail "write to the root"
$bb sync
echo 3 >/proc/sys/vm/drop_caches
[ "$($bb sha256sum </fault-check)" = "$($bb sha256sum </run/data)" ] || fail "the root reads back wrong"
fserr=$($bb dmesg | $bb grep -ciE 'EXT4-fs (error|warning)|Buffer I/O error|Remounting filesystem read-only|Aborting journal')
[ "$fserr" = 0 ] || fail "$fserr filesystem errors"
if [ "$(status STATE)" != up ] || [ "$(status RECONNECTS)" != 0 ]; then
	fail "supervisor state $(status STATE), $(status RECONNECTS) reconnects"
fi
echo "NBDROOT-TEST: fault before=$before window=$seq errors=$errors injected=$injected kernel-errors=$kerr outside=$outside after=$after fs-errors=$fserr state=$(status STATE) reconnects=$(status RECONNECTS) fails=$fails"
[ $fails = 0 ]
