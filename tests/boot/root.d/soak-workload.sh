#!/bin/sh
# soak-workload: the guest half of tests/soak/soak.sh. For lab.soak_s=S seconds: writes checksummed 64 KiB files
# (conv=fsync), re-reads each from the device (drop_caches) and checks it, and reads 1 MiB slices of the fixed
# pattern file /data/lower-4m against per-MiB sums taken from a read checked against the image's manifest. Each
# operation is timed (the longest is the longest stall one I/O saw). Then: sync, remount / read-only, print
# "NBDROOT-TEST: soak ro" (the host runs e2fsck -fn then), verify every file and the whole pattern file again, and
# print "NBDROOT-TEST: soak done ..." with the counts. Exit 0 only with no mismatch, no failed operation and no I/O
# error in the kernel log. About one round in 50 (seeded) starts an episode of packet loss, delay with jitter and
# reordering (netem, on eth0's egress or, through ifb0, its ingress) for 10 to 40 rounds. Each round ends with an
# O_DIRECT read of the sentinel block past the filesystem: when the host has opened an I/O error window there, the
# workload reads nothing but the raw tail until the host closes it, and counts the reads that failed.
# Runs from tmpfs (a copy of itself and of busybox in /run): what the workload runs must not have to be paged in
# from the root while a fault has the root stalled or failing.
if [ "$1" != --tmpfs ]; then
	cp /bin/busybox /run/busybox && cp "$0" /run/soak-workload.sh && exec /run/busybox sh /run/soak-workload.sh --tmpfs
	echo "NBDROOT-TEST: soak FAIL cannot copy itself to /run"
	exit 1
fi
secs=480 nfiles=16 rnd=1 tailsum=''
# shellcheck disable=SC2013 # the command line is one line of words
for arg in $(cat /proc/cmdline); do
	case $arg in
	lab.soak_s=*) secs=${arg#*=} ;;
	lab.soak_seed=*) rnd=$((${arg#*=} + 1)) ;;
	lab.soak_tail=*) tailsum=${arg#*=} ;;
	esac
done
st=/run/nbdroot/nbd0.status
errs='I/O error|EXT4-fs error|Buffer I/O|Remounting filesystem read-only|Aborting journal|blk_update_request'
status() { sed -n "s/^$1='\(.*\)'\$/\1/p" "$st" 2>/dev/null; }
cs() { read -r u _ </proc/uptime; echo "${u%.*}${u#*.}"; }
truth=/run/soak-truth pat=/data/lower-4m
mkdir -p /soak "$truth"
rounds=0 checked=0 bad=0 failed=0 longest=0 longest_what=none preads=0 kills=0
# kill_supervisor: about one round in 60 (seeded by lab.soak_seed), SIGKILL of the supervisor's worker or, every
# other time, of its keeper (the worker's parent): a fault the host cannot inject
kill_supervisor() {
	next
	[ $((rnd / 65536 % 60)) = 0 ] || return 0
	w=$(status PID)
	# not while the last kill's restart is under way
	[ "$(status SUPERVISOR_RESTARTS)" = "$kills" ] && [ -n "$w" ] && [ -d "/proc/$w" ] || return 0
	kills=$((kills + 1))
	if [ $((kills % 2)) = 1 ]; then
		echo "NBDROOT-TEST: soak fault supervisor-kill $kills: worker $w"
		kill -KILL "$w"
	else
		k=$(sed 's/.*) . \([0-9]*\) .*/\1/' "/proc/$w/stat")
		[ "$k" -gt 1 ] || return 0
		echo "NBDROOT-TEST: soak fault supervisor-kill $kills: keeper $k"
		kill -KILL "$k"
	fi
}
# next: the next number of the seeded sequence (15 bits in rnd / 65536)
next() { rnd=$(((rnd * 1103515245 + 12345) % 2147483648)); }
# netem: about one round in 50 an episode of netem (loss 1-4 %, delay 10-60 ms with 5-20 ms of jitter, 10-30 % of
# the packets reordered) for 10 to 40 rounds, on eth0's egress (a root netem qdisc) or its ingress (an ingress
# qdisc whose matchall filter redirects to ifb0, netem there); then removed, checked gone, and what netem carried
# and dropped logged. iproute2's tc and the modules come with the x86-64 test root (qemu/mkroot.sh); without them
# no episode. tc by its path: busybox sh would run its own tc applet, which has no netem.
tc=/sbin/tc nets=0 net_left=0 net_dir='' net_dev=''
kdir=/lib/modules/$(uname -r)
if [ -e "$kdir/sch_netem.ko" ]; then
	for m in sch_netem sch_ingress cls_matchall act_mirred ifb; do
		insmod "$kdir/$m.ko" || {
			echo "NBDROOT-TEST: soak FAIL insmod $kdir/$m.ko"
			exit 1
		}
	done
	ip link set ifb0 up || exit 1
else
	tc=
fi
netem() {
	if [ "$net_left" -gt 0 ]; then
		net_left=$((net_left - 1))
		[ "$net_left" = 0 ] && netem_off
		return 0
	fi
	next
	[ -n "$tc" ] && [ $((rnd / 65536 % 50)) = 0 ] || return 0
	next
	net_left=$((10 + rnd / 65536 % 31))
	next
	set -- "delay" "$((10 + rnd / 65536 % 51))ms"
	next
	set -- "$@" "$((5 + rnd / 65536 % 16))ms"
	next
	set -- "$@" loss "$((1 + rnd / 65536 % 4))%"
	next
	set -- "$@" reorder "$((10 + rnd / 65536 % 21))%" 50%
	next
	nets=$((nets + 1))
	if [ $((rnd / 65536 % 2)) = 0 ]; then
		net_dir=egress net_dev=eth0
		$tc qdisc add dev eth0 root netem "$@"
	else
		net_dir=ingress net_dev=ifb0
		$tc qdisc add dev eth0 handle ffff: ingress &&
			$tc filter add dev eth0 parent ffff: matchall action mirred egress redirect dev ifb0 &&
			$tc qdisc add dev ifb0 root netem "$@"
	fi || {
		failed=$((failed + 1))
		echo "NBDROOT-TEST: soak netem $nets: tc failed"
	}
	echo "NBDROOT-TEST: soak fault netem $nets: $net_dir ($net_dev) $* for $net_left rounds"
}
netem_off() {
	n=$($tc -s qdisc show dev $net_dev root | sed -n 's/^ *Sent \([0-9]*\) bytes \([0-9]*\) pkt (dropped \([0-9]*\),.*/\2 packets, \3 dropped/p')
	if [ $net_dir = egress ]; then
		$tc qdisc del dev eth0 root
	else
		$tc qdisc del dev eth0 ingress && $tc qdisc del dev ifb0 root
	fi
	left=$($tc qdisc show; $tc filter show dev eth0 ingress)
	case $left in
	*netem* | *ingress* | *mirred*)
		failed=$((failed + 1))
		echo "NBDROOT-TEST: soak netem $nets not removed: $left"
		;;
	esac
	case $n in
	"" | "0 packets"*)
		failed=$((failed + 1))
		echo "NBDROOT-TEST: soak netem $nets carried nothing ($n)"
		;;
	esac
	echo "NBDROOT-TEST: soak netem $nets off: $net_dir netem carried $n"
	net_left=0
}
# The raw tail (soak.sh appends it to the image, lab.soak_tail=its sha256): 64 blocks of 4 KiB past the
# filesystem, then the sentinel block, where the host writes "open N" and "close N injected=E" and the guest
# "ready N". During error window N nbdkit fails half the reads, and the workload makes none but O_DIRECT reads of
# the tail and the sentinel: it must count as many failed reads as nbdkit injected errors, see the right bytes in
# every other read and lose no connection. Only the kernel's READ error lines for the tail's sectors are then left
# out of the I/O error count, at most one a failed read. Everything here runs from tmpfs and reads only /run.
wins=0 eios=0 win=0
nblk=$(($(cat /sys/block/nbd0/size) / 8))
sentinel=$((nblk - 1)) tail0=$((nblk - 65))
if [ -n "$tailsum" ]; then
	dd if=/dev/nbd0 of=/run/soak-tail bs=4096 skip=$tail0 count=64 iflag=direct 2>/dev/null
	s=$(sha256sum </run/soak-tail)
	[ "${s%% *}" = "$tailsum" ] || {
		echo "NBDROOT-TEST: soak FAIL the raw tail (blocks $tail0..$((sentinel - 1))) does not match lab.soak_tail"
		exit 1
	}
	for k in $(seq 0 63); do dd if=/run/soak-tail bs=4096 skip="$k" count=1 2>/dev/null | sha256sum >"$truth/tail.$k"; done
fi
# sentinel_word: the sentinel's line into w, wn, wi ("close", "3", "injected=5"); 1 when the read failed
sentinel_word() {
	dd if=/dev/nbd0 of=/run/soak-sentinel bs=4096 skip=$sentinel count=1 iflag=direct 2>/dev/null &&
		read -r w wn wi </run/soak-sentinel
}
# tail_read K: tail block K, O_DIRECT; counts a failed read in e, wrong bytes in b (and as a mismatch)
tail_read() {
	if ! dd if=/dev/nbd0 of=/run/soak-blk bs=4096 skip=$((tail0 + $1)) count=1 iflag=direct 2>/dev/null; then
		e=$((e + 1))
	elif [ "$(sha256sum </run/soak-blk)" != "$(cat "$truth/tail.$1")" ]; then
		b=$((b + 1)) bad=$((bad + 1))
		echo "NBDROOT-TEST: soak mismatch raw tail block $1 in error window $win"
	fi
}
window() {
	[ -n "$tailsum" ] || return 0
	if ! sentinel_word; then
		failed=$((failed + 1))
		echo "NBDROOT-TEST: soak op failed in round $rounds: the sentinel read"
		return 0
	fi
	[ "$w" = open ] && [ "$wn" != "$win" ] || return 0
	win=$wn wins=$((wins + 1)) reads=0 e=0 b=0 k=0 r0=$(status RECONNECTS) t0=$(cs)
	printf 'ready %s\n' "$win" >/run/soak-ready
	dd if=/run/soak-ready of=/dev/nbd0 bs=4096 seek=$sentinel count=1 conv=sync oflag=direct 2>/dev/null || {
		failed=$((failed + 1))
		echo "NBDROOT-TEST: soak op failed in round $rounds: the sentinel write"
		return 0
	}
	while :; do
		tail_read $((k % 64))
		k=$((k + 1)) reads=$((reads + 2))
		if sentinel_word; then
			[ "$w $wn" = "close $win" ] && break
		else
			e=$((e + 1))
		fi
		[ $(($(cs) - t0)) -lt 12000 ] || {
			failed=$((failed + 1))
			echo "NBDROOT-TEST: soak op failed in round $rounds: error window $win not closed within 120 s"
			break
		}
	done
	eios=$((eios + e))
	echo "NBDROOT-TEST: soak window $win closed reads=$reads eio=$e bad=$b $wi reconnects=$r0->$(status RECONNECTS)"
	if [ "$e" != "${wi#injected=}" ] || [ "$r0" != "$(status RECONNECTS)" ]; then
		failed=$((failed + 1))
		echo "NBDROOT-TEST: soak op failed in error window $win: $e failed reads, nbdkit $wi, reconnects $r0->$(status RECONNECTS)"
	fi
}
# timed CMD...: runs CMD, counts a failure, keeps the longest duration
timed() {
	t0=$(cs)
	"$@" || {
		failed=$((failed + 1))
		echo "NBDROOT-TEST: soak op failed in round $rounds: $*"
	}
	t=$(($(cs) - t0))
	if [ "$t" -gt "$longest" ]; then
		longest=$t longest_what="$1 in round $rounds"
	fi
}
check_file() {
	checked=$((checked + 1))
	s=$(sha256sum <"/soak/$1" 2>/dev/null) || return 1
	[ "$s" = "$(cat "$truth/$1")" ] && return 0
	bad=$((bad + 1))
	echo "NBDROOT-TEST: soak mismatch /soak/$1 in round $rounds"
}
write_file() {
	sha256sum </run/soak-data >"$truth/$1.new" &&
		dd if=/run/soak-data of="/soak/$1" bs=4096 conv=fsync 2>/dev/null &&
		mv "$truth/$1.new" "$truth/$1"
}
check_slice() {
	preads=$((preads + 1))
	s=$(dd if="$pat" bs=1048576 skip="$1" count=1 2>/dev/null | sha256sum) || return 1
	[ "$s" = "$(cat "$truth/pat.$1")" ] && return 0
	bad=$((bad + 1))
	echo "NBDROOT-TEST: soak mismatch $pat MiB $1 in round $rounds"
}
# the pattern file's sums, from a read checked against the image's manifest
echo 3 >/proc/sys/vm/drop_caches
want=$(sed -n 's|^\([0-9a-f]*\)  data/lower-4m$|\1  -|p' /etc/lab-files.sha256)
[ "$(sha256sum <"$pat")" = "$want" ] || {
	echo "NBDROOT-TEST: soak FAIL $pat does not match the manifest at the start"
	exit 1
}
for i in 0 1 2 3; do dd if="$pat" bs=1048576 skip=$i count=1 2>/dev/null | sha256sum >"$truth/pat.$i"; done
start=$(cut -d. -f1 /proc/uptime)
echo "NBDROOT-TEST: soak start seconds=$secs supervisor-pid=$(status PID) state=$(status STATE)"
while [ $(($(cut -d. -f1 /proc/uptime) - start)) -lt "$secs" ]; do
	rounds=$((rounds + 1))
	f=f$((rounds % nfiles))
	dd if=/dev/urandom of=/run/soak-data bs=4096 count=16 2>/dev/null
	timed write_file "$f"
	echo 3 >/proc/sys/vm/drop_caches
	timed check_file "$f"
	g=f$(((rounds * 7) % nfiles))
	[ ! -e "$truth/$g" ] || timed check_file "$g"
	timed check_slice $((rounds % 4))
	kill_supervisor
	netem
	window
	[ $((rounds % 20)) != 0 ] || echo "NBDROOT-TEST: soak round $rounds checked=$checked mismatches=$bad failed=$failed reconnects=$(status RECONNECTS) state=$(status STATE)"
done
[ "$net_left" = 0 ] || netem_off
timed sync
mount -o remount,ro / || failed=$((failed + 1))
echo "NBDROOT-TEST: soak ro $(grep ' / ' /proc/mounts | tail -n 1)"
echo 3 >/proc/sys/vm/drop_caches
for t in "$truth"/f*; do
	[ -e "$t" ] || continue
	timed check_file "${t##*/}"
done
[ "$(sha256sum <"$pat")" = "$want" ] || {
	bad=$((bad + 1))
	echo "NBDROOT-TEST: soak mismatch $pat at the end"
}
e=$(dmesg | grep -ciE "$errs")
# the error windows' own lines: READ errors of the raw tail's sectors, at most one a failed read
x=0
for s in $(dmesg | sed -n 's/.*I\/O error, dev nbd0, sector \([0-9]*\) op 0x0:(READ).*/\1/p'); do
	[ "$s" -lt $((tail0 * 8)) ] || x=$((x + 1))
done
[ "$x" -le "$eios" ] || x=$eios
e=$((e - x))
echo "NBDROOT-TEST: soak done rounds=$rounds checked=$checked pattern-reads=$preads mismatches=$bad failed-ops=$failed ioerrors=$e reconnects=$(status RECONNECTS) supervisor-kills=$kills netem=$nets io-windows=$wins io-eio=$eios io-lines-excluded=$x supervisor-restarts=$(status SUPERVISOR_RESTARTS) state=$(status STATE) seconds=$(($(cut -d. -f1 /proc/uptime) - start)) longest-op=$((longest / 100)).$((longest / 10 % 10))s longest-what=\"$longest_what\""
[ "$e" = 0 ] || dmesg | grep -iE "$errs" | awk -v t=$((tail0 * 8)) '
	match($0, /sector [0-9]+ op 0x0:\(READ\)/) { split(substr($0, RSTART), a, " "); if (a[2] + 0 >= t) next }
	{ print }' | head -n 5
# time for the host's e2fsck (it started at "soak ro")
sleep 5
[ "$bad" = 0 ] && [ "$failed" = 0 ] && [ "$e" = 0 ] && [ "$(status SUPERVISOR_RESTARTS)" = "$kills" ]
