#!/bin/sh
# reconnect-workload: writes, fsyncs and re-reads checksummed files on the NBD root until the supervisor counts
# lab.reconnects=N reconnects (default 5), and at least lab.workload_min_s=S seconds (default 0), have passed, or
# lab.workload_s=S seconds (default 400); the truth stays in tmpfs.
# Prints "NBDROOT-TEST: workload ..." lines; exit 0 only with every checksum matching, no I/O error in the
# kernel log and the reconnects counted in /run/nbdroot/nbd0.status.
want=5 limit=400 min=0
# shellcheck disable=SC2013 # the command line is one line of words
for arg in $(cat /proc/cmdline); do
	case $arg in
	lab.reconnects=*) want=${arg#*=} ;;
	lab.workload_s=*) limit=${arg#*=} ;;
	lab.workload_min_s=*) min=${arg#*=} ;;
	esac
done
st=/run/nbdroot/nbd0.status
# what a failed request leaves in the kernel log, from the block layer up to ext4
errs='I/O error|EXT4-fs error|Buffer I/O|Remounting filesystem read-only|Aborting journal|blk_update_request'
status() { sed -n "s/^$1='\(.*\)'\$/\1/p" "$st" 2>/dev/null; }
ioerrors() { dmesg | grep -ciE "$errs"; }
up() { cut -d. -f1 /proc/uptime; }
# centiseconds of uptime
cs() { read -r u _ </proc/uptime; echo "${u%.*}${u#*.}"; }
truth=/run/workload-truth
mkdir -p /work "$truth"
lower=/run/nbdroot/lower
[ -f "$lower/etc/lab-files.sha256" ] || lower=
# sectors nbd0 has read (its stat's third field)
nbd_read() { awk '{ print $3 }' /sys/block/nbd0/stat; }
echo "NBDROOT-TEST: workload ready lower=${lower:-none}"
"$(dirname "$0")/wait-barrier.sh" workload || exit 1
echo "NBDROOT-TEST: workload start want=$want supervisor-pid=$(status PID) state=$(status STATE)"
start=$(up) round=0 bad=0 checked=0 lchecked=0 lbad=0 read0=$(nbd_read) longest=0
verify() {
	# from the device, not the page cache
	sync
	echo 3 >/proc/sys/vm/drop_caches
	for t in "$truth"/*; do
		[ -e "$t" ] || continue
		f=/work/${t##*/}
		checked=$((checked + 1))
		if [ "$(sha256sum <"$f" 2>&1)" != "$(cat "$t")" ]; then
			bad=$((bad + 1))
			echo "NBDROOT-TEST: workload mismatch $f in round $round"
		fi
	done
	[ -n "$lower" ] || return 0
	# the lower layer's files, read from the device, against the image's manifest
	while read -r sum name; do
		lchecked=$((lchecked + 1))
		if [ "$(sha256sum <"$lower/$name" 2>&1)" != "$sum  -" ]; then
			lbad=$((lbad + 1))
			echo "NBDROOT-TEST: workload mismatch $lower/$name (lower layer) in round $round"
		fi
	done <"$lower/etc/lab-files.sha256"
	if [ -e "$lower/work" ]; then
		lbad=$((lbad + 1))
		echo "NBDROOT-TEST: workload FAIL /work reached the lower layer in round $round"
	fi
}
while :; do
	round=$((round + 1))
	t0=$(cs)
	f=f$((round % 12))
	dd if=/dev/urandom of=/run/workload-data bs=4096 count=32 2>/dev/null
	sha256sum </run/workload-data >"$truth/$f.new"
	if ! dd if=/run/workload-data of="/work/$f" bs=4096 conv=fsync 2>/dev/null; then
		echo "NBDROOT-TEST: workload write of /work/$f failed in round $round"
		bad=$((bad + 1))
	fi
	mv "$truth/$f.new" "$truth/$f"
	verify
	# the longest round: one that waited for the server shows the outage
	t=$(($(cs) - t0))
	[ "$t" -le "$longest" ] || longest=$t
	r=$(status RECONNECTS)
	[ "${r:-0}" -ge "$want" ] && [ "$(status STATE)" = up ] && [ $(($(up) - start)) -ge "$min" ] && break
	[ $(($(up) - start)) -ge "$limit" ] && break
done
verify
e=$(ioerrors)
r=$(status RECONNECTS)
more=
[ -z "$lower" ] || more=" lower-checked=$lchecked lower-mismatches=$lbad lower-read-kib=$((($(nbd_read) - read0) / 2))"
echo "NBDROOT-TEST: workload rounds=$round checked=$checked mismatches=$bad ioerrors=$e reconnects=${r:-none} state=$(status STATE) seconds=$(($(up) - start)) longest-round=$((longest / 100)).$((longest / 10 % 10))$more"
[ "$e" = 0 ] || dmesg | grep -iE "$errs" | head -n 5
[ "$bad" = 0 ] && [ "$lbad" = 0 ] && [ "$e" = 0 ] && [ "${r:-0}" -ge "$want" ]
