#!/bin/sh
# bench-reconnect: the guest half of bench/bench-reconnect.sh: reports the supervisor's memory, then reads one
# uncached block of /dev/nbd0 every 50 ms and says when a read that waited (> 300 ms) completes, until the
# supervisor has reconnected lab.reconnects=N times (default 7).
want=7
# shellcheck disable=SC2013 # the command line is one line of words
for arg in $(cat /proc/cmdline); do
	case $arg in lab.reconnects=*) want=${arg#*=} ;; esac
done
st=/run/nbdroot/nbd0.status
status() { sed -n "s/^$1='\(.*\)'\$/\1/p" "$st"; }
pid=$(status PID)
echo "NBDROOT-BENCH: start supervisor-pid=$pid rss_kb=$(sed -n 's/^VmRSS:[^0-9]*\([0-9]*\).*/\1/p' "/proc/$pid/status") binary=$(stat -L -c %s "/proc/$pid/exe" 2>/dev/null || echo -)"
cs() { tr -d . </proc/uptime | cut -d' ' -f1; }
i=0 n=0
while [ "$(status RECONNECTS)" -lt "$want" ] || [ "$n" -lt "$want" ]; do
	i=$((i + 1))
	t0=$(cs)
	dd if=/dev/nbd0 of=/dev/null bs=4096 count=1 skip=$((i * 37 % 16000)) iflag=direct 2>/dev/null ||
		echo "NBDROOT-BENCH: read failed"
	w=$(($(cs) - t0))
	if [ "$w" -gt 30 ]; then
		n=$((n + 1))
		echo "NBDROOT-BENCH: io-resumed $n waited_ms=${w}0"
	fi
	sleep 0.05
done
echo "NBDROOT-BENCH: done reconnects=$(status RECONNECTS) reads=$i"
