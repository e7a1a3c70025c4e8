#!/bin/sh
# supervisor-kill: SIGKILLs the supervisor's worker, then the keeper that restarted it, checking after each that
# /run/nbdroot/nbd0.status counts the restart under a new PID and that exactly two '@nbdroot' processes (keeper and
# worker) remain; then runs reconnect-workload.sh (the host restarts the server under it) and prints
# "NBDROOT-TEST: supervisor-kill restarts=N processes=N ...". Exit 0 only when both restarts were seen and the
# workload passed.
st=/run/nbdroot/nbd0.status
status() { sed -n "s/^$1='\(.*\)'\$/\1/p" "$st" 2>/dev/null; }
# the '@nbdroot' processes: the supervisor's keeper and worker
procs() { grep -l '^@nbdroot' /proc/[0-9]*/cmdline 2>/dev/null | wc -l; }
ppid() { sed 's/.*) . \([0-9]*\) .*/\1/' "/proc/$1/stat"; }
fail() {
	echo "NBDROOT-TEST: supervisor-kill FAIL $*"
	exit 1
}
# wait_restart N OLD: until the status counts N restarts under a PID other than OLD (30 s)
wait_restart() {
	i=0
	while [ "$(status SUPERVISOR_RESTARTS)" != "$1" ] || [ "$(status PID)" = "$2" ] || [ -z "$(status PID)" ]; do
		i=$((i + 1))
		[ $i -le 150 ] || fail "no restart $1 within 30 s: SUPERVISOR_RESTARTS=$(status SUPERVISOR_RESTARTS) PID=$(status PID)"
		sleep 0.2
	done
	[ "$(procs)" = 2 ] || fail "after restart $1: $(procs) '@nbdroot' processes, expected 2 (keeper and worker)"
}
w=$(status PID)
if [ -z "$w" ] || [ ! -d "/proc/$w" ]; then
	fail "no supervisor: PID=$w"
fi
k=$(ppid "$w")
echo "NBDROOT-TEST: supervisor-kill start worker=$w keeper=$k processes=$(procs) restarts=$(status SUPERVISOR_RESTARTS)"
[ "$(procs)" = 2 ] || fail "$(procs) '@nbdroot' processes at the start, expected 2 (keeper and worker)"
kill -KILL "$w"
wait_restart 1 "$w"
w2=$(status PID)
echo "NBDROOT-TEST: supervisor-kill worker $w killed: restarted as $w2 by keeper $(ppid "$w2")"
k=$(ppid "$w2")
kill -KILL "$k"
wait_restart 2 "$w2"
w3=$(status PID)
echo "NBDROOT-TEST: supervisor-kill keeper $k killed: worker $w2 is the keeper now, worker $w3 (parent $(ppid "$w3"))"
"$(dirname "$0")/reconnect-workload.sh"
rc=$?
echo "NBDROOT-TEST: supervisor-kill restarts=$(status SUPERVISOR_RESTARTS) processes=$(procs) workload-exit=$rc"
[ "$rc" = 0 ] && [ "$(status SUPERVISOR_RESTARTS)" = 2 ] && [ "$(procs)" = 2 ]
