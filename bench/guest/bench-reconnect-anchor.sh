#!/bin/sh
# bench-reconnect-anchor: the guest half of bench/bench-reconnect.sh's anchor run: reports the NBD client processes' memory, then reads one uncached
# block of /dev/nbd0 every 50 ms forever, saying when reads start failing and when a read completes after failures or a wait (> 300 ms).
for p in $(pidof nbd-client nbdroot 2>/dev/null); do
	echo "NBDROOT-BENCH: client pid=$p comm=$(cat "/proc/$p/comm") args=\"$(tr '\0' ' ' <"/proc/$p/cmdline")\" rss_kb=$(sed -n 's/^VmRSS:[^0-9]*\([0-9]*\).*/\1/p' "/proc/$p/status")"
done
echo "NBDROOT-BENCH: anchor start clients=$(pidof nbd-client nbdroot 2>/dev/null | wc -w)"
cs() { tr -d . </proc/uptime | cut -d' ' -f1; }
i=0 n=0 failing=0
while :; do
	i=$((i + 1))
	t0=$(cs)
	if err=$(dd if=/dev/nbd0 of=/dev/null bs=4096 count=1 skip=$((i * 37 % 100000)) iflag=direct 2>&1 >/dev/null); then
		w=$(($(cs) - t0))
		if [ "$failing" -gt 0 ] || [ "$w" -gt 30 ]; then
			n=$((n + 1))
			echo "NBDROOT-BENCH: io-resumed $n waited_ms=${w}0 failed_reads=$failing"
			failing=0
		fi
	else
		[ "$failing" = 0 ] && echo "NBDROOT-BENCH: read failed: $(echo "$err" | head -n 1)"
		failing=$((failing + 1))
	fi
	sleep 0.05
done
