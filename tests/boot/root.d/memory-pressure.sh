#!/bin/sh
# memory-pressure: dirties about 55% of RAM in page cache on the NBD root (writeback held off by vm.dirty_*), asks the
# host to stop the server ("memory-pressure dirty"), and once the supervisor is down starts a hog (oom_score_adj 1000)
# holding all but 24 MB of the free memory and says "memory-pressure holding"; the host restarts the server 5 s later.
# Then: the supervisor reconnects, sync writes the dirty pages back, the big file re-read from the device matches,
# no I/O error, the supervisor was neither OOM-killed nor restarted. Prints "NBDROOT-TEST: memory-pressure ..." lines.
st=/run/nbdroot/nbd0.status
status() { sed -n "s/^$1='\(.*\)'\$/\1/p" "$st" 2>/dev/null; }
mem() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
cs() { read -r u _ </proc/uptime; echo "${u%.*}${u#*.}"; }
secs() { echo "$(($1 / 100)).$(($1 / 10 % 10))"; }
errs='I/O error|EXT4-fs error|Buffer I/O|Remounting filesystem read-only|Aborting journal|blk_update_request|hung_task|blocked for more than'
fail() {
	echo "NBDROOT-TEST: memory-pressure FAIL $*"
	echo stop >/run/hog-stop
	exit 1
}
# wait_state STATE SECONDS
wait_state() {
	i=0
	while [ "$(status STATE)" != "$1" ]; do
		i=$((i + 1))
		[ $i -le $(($2 * 5)) ] || fail "no STATE=$1 within $2 s (STATE=$(status STATE))"
		sleep 0.2
	done
}
pid=$(status PID)
mkdir -p /work
echo 90 >/proc/sys/vm/dirty_ratio
echo 85 >/proc/sys/vm/dirty_background_ratio
echo 60000 >/proc/sys/vm/dirty_expire_centisecs
echo 60000 >/proc/sys/vm/dirty_writeback_centisecs
total=$(mem MemTotal)
mb=$((total * 55 / 100 / 1024))
dd if=/dev/urandom of=/run/blk bs=1M count=1 2>/dev/null
gen() {
	i=0
	while [ $i -lt "$mb" ]; do
		cat /run/blk
		i=$((i + 1))
	done
}
want=$(gen | sha256sum)
gen >/work/big || fail "writing /work/big"
echo "NBDROOT-TEST: memory-pressure dirty mem-total=$((total / 1024))MB file=${mb}MB Dirty=$(($(mem Dirty) / 1024))MB supervisor=$pid"
wait_state down 120
rm -f /run/hog-held /run/hog-stop
hog=$(($(mem MemFree) / 1024 - 24))
(
	echo 1000 >/proc/self/oom_score_adj
	exec awk -v mb="$hog" 'BEGIN {
		s = sprintf("%1048576s", "")
		for (i = 0; i < mb; i++)
			a[i] = s i
		print "held" >"/run/hog-held"
		close("/run/hog-held")
		while ((getline l <"/run/hog-stop") <= 0) {
			close("/run/hog-stop")
			system("sleep 1")
		}
	}'
) &
hogpid=$!
i=0
while [ ! -e /run/hog-held ] && kill -0 "$hogpid" 2>/dev/null; do
	i=$((i + 1))
	[ $i -le 600 ] || fail "the hog did not fill ${hog}MB within 120 s"
	sleep 0.2
done
t0=$(cs)
echo "NBDROOT-TEST: memory-pressure holding hog=${hog}MB held=$([ -e /run/hog-held ] && echo yes || echo no-oom-killed) MemFree=$(($(mem MemFree) / 1024))MB Dirty=$(($(mem Dirty) / 1024))MB"
wait_state up 300
t1=$(cs)
sync
t2=$(cs)
echo "NBDROOT-TEST: memory-pressure resumed up-after=$(secs $((t1 - t0))) synced-after=$(secs $((t2 - t0))) Dirty=$(($(mem Dirty) / 1024))MB hog-alive=$(kill -0 "$hogpid" 2>/dev/null && echo yes || echo no)"
echo stop >/run/hog-stop
wait "$hogpid"
echo 3 >/proc/sys/vm/drop_caches
got=$(sha256sum </work/big)
bad=0
[ "$got" = "$want" ] || bad=1
e=$(dmesg | grep -ciE "$errs")
oom=$(dmesg | grep -c 'Killed process')
soom=$(dmesg | grep -c 'Killed process [0-9]* (nbdroot)')
echo "NBDROOT-TEST: memory-pressure done mismatch=$bad ioerrors=$e oom-kills=$oom supervisor-oom-kills=$soom supervisor-restarts=$(status SUPERVISOR_RESTARTS) supervisor-pid-same=$([ "$(status PID)" = "$pid" ] && echo yes || echo no) reconnects=$(status RECONNECTS)"
[ "$e" = 0 ] || dmesg | grep -iE "$errs" | head -n 5
rm -f /work/big
[ "$bad" = 0 ] && [ "$e" = 0 ] && [ "$soom" = 0 ] && [ "$(status SUPERVISOR_RESTARTS)" = 0 ] && [ "$(status PID)" = "$pid" ]
