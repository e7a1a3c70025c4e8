#!/bin/sh
# reconnect-workload: writes, fsyncs and re-reads checksummed files on the NBD root until the supervisor counts
# lab.reconnects=N reconnects (default 5), and at least lab.workload_min_s=S seconds (default 0), have passed, or
# lab.workload_s=S seconds (default 400); the truth stays in tmpfs. On an overlay root, where those files live in
# the RAM layer, each check also re-reads regions of /dev/nbd0 itself (O_DIRECT) against their first read.
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
truth=/run/workload-truth
mkdir -p /work "$truth"
devreads=
if [ "$(awk '$2 == "/" { t = $3 } END { print t }' /proc/mounts)" = overlay ]; then
	# 8 regions of 256 KiB spread over the export, in 64 KiB blocks
	devblocks=$(($(blockdev --getsize64 /dev/nbd0) / 65536))
	devreads=0
	mkdir -p /run/workload-device
fi
echo "NBDROOT-TEST: workload start want=$want supervisor-pid=$(status PID) state=$(status STATE)"
start=$(up) round=0 bad=0 checked=0
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
	[ -n "$devreads" ] || return 0
	for k in 0 1 2 3 4 5 6 7; do
		got=$(dd if=/dev/nbd0 iflag=direct bs=65536 skip=$((k * devblocks / 8)) count=4 2>/dev/null | sha256sum)
		devreads=$((devreads + 1))
		t=/run/workload-device/r$k
		if [ ! -e "$t" ]; then
			echo "$got" >"$t"
		elif [ "$got" != "$(cat "$t")" ]; then
			bad=$((bad + 1))
			echo "NBDROOT-TEST: workload mismatch /dev/nbd0 region $k in round $round"
		fi
	done
}
while :; do
	round=$((round + 1))
	f=f$((round % 12))
	dd if=/dev/urandom of=/run/workload-data bs=4096 count=32 2>/dev/null
	sha256sum </run/workload-data >"$truth/$f.new"
	if ! dd if=/run/workload-data of="/work/$f" bs=4096 conv=fsync 2>/dev/null; then
		echo "NBDROOT-TEST: workload write of /work/$f failed in round $round"
		bad=$((bad + 1))
	fi
	mv "$truth/$f.new" "$truth/$f"
	verify
	r=$(status RECONNECTS)
	[ "${r:-0}" -ge "$want" ] && [ "$(status STATE)" = up ] && [ $(($(up) - start)) -ge "$min" ] && break
	[ $(($(up) - start)) -ge "$limit" ] && break
done
verify
e=$(ioerrors)
r=$(status RECONNECTS)
echo "NBDROOT-TEST: workload rounds=$round checked=$checked mismatches=$bad ioerrors=$e reconnects=${r:-none} state=$(status STATE) seconds=$(($(up) - start))${devreads:+ device-reads=$devreads}"
[ "$e" = 0 ] || dmesg | grep -iE "$errs" | head -n 5
[ "$bad" = 0 ] && [ "$e" = 0 ] && [ "${r:-0}" -ge "$want" ]
