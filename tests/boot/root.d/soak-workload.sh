#!/bin/sh
# soak-workload: the guest half of tests/soak/soak.sh. For lab.soak_s=S seconds: writes checksummed 64 KiB files
# (conv=fsync), re-reads each from the device (drop_caches) and checks it, and reads 1 MiB slices of the fixed
# pattern file /data/lower-4m against per-MiB sums taken from a read checked against the image's manifest. Each
# operation is timed (the longest is the longest stall one I/O saw). Then: sync, remount / read-only, print
# "NBDROOT-TEST: soak ro" (the host runs e2fsck -fn then), verify every file and the whole pattern file again, and
# print "NBDROOT-TEST: soak done ..." with the counts. Exit 0 only with no mismatch, no failed operation and no I/O
# error in the kernel log. About one round in 50 (seeded) starts an episode of packet loss, delay with jitter and
# reordering (netem, on eth0's egress or, through ifb0, its ingress) for 10 to 40 rounds.
# Runs from tmpfs (a copy of itself and of busybox in /run): what the workload runs must not have to be paged in
# from the root while a fault has the root stalled or failing.
if [ "$1" != --tmpfs ]; then
	cp /bin/busybox /run/busybox && cp "$0" /run/soak-workload.sh && exec /run/busybox sh /run/soak-workload.sh --tmpfs
	echo "NBDROOT-TEST: soak FAIL cannot copy itself to /run"
	exit 1
fi
secs=480 nfiles=16 rnd=1
# shellcheck disable=SC2013 # the command line is one line of words
for arg in $(cat /proc/cmdline); do
	case $arg in
	lab.soak_s=*) secs=${arg#*=} ;;
	lab.soak_seed=*) rnd=$((${arg#*=} + 1)) ;;
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
echo "NBDROOT-TEST: soak done rounds=$rounds checked=$checked pattern-reads=$preads mismatches=$bad failed-ops=$failed ioerrors=$e reconnects=$(status RECONNECTS) supervisor-kills=$kills netem=$nets supervisor-restarts=$(status SUPERVISOR_RESTARTS) state=$(status STATE) seconds=$(($(cut -d. -f1 /proc/uptime) - start)) longest-op=$((longest / 100)).$((longest / 10 % 10))s longest-what=\"$longest_what\""
[ "$e" = 0 ] || dmesg | grep -iE "$errs" | head -n 5
# time for the host's e2fsck (it started at "soak ro")
sleep 5
[ "$bad" = 0 ] && [ "$failed" = 0 ] && [ "$e" = 0 ] && [ "$(status SUPERVISOR_RESTARTS)" = "$kills" ]
