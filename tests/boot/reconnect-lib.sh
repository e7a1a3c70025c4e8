# reconnect-lib.sh: host-side outage drivers for the reconnect boot tests and bench (sourced by lab.sh hooks, inside the netns).
# shellcheck shell=bash
# Environment from qemu/lab.sh: LAB_CONSOLE, LAB_SERVER_STOP, LAB_SERVER_START, LAB_NETNS.

say() { echo "$(date +%T.%N | cut -c1-12) $*"; }

# wait_console REGEX SECONDS: until the guest's console shows REGEX
wait_console() {
	local i
	for ((i = 0; i < $2 * 5; i++)); do
		grep -aqE "$1" "$LAB_CONSOLE" 2>/dev/null && return 0
		sleep 0.2
	done
	say "timeout waiting for /$1/"
	return 1
}

# The supervisor's "-> up" transitions so far (the first is the attach).
ups() { grep -ac 'nbdroot: supervise: /dev/nbd0: [a-z]* -> up' "$LAB_CONSOLE" 2>/dev/null; }

# wait_ups N SECONDS: until the supervisor has come up N times
wait_ups() {
	local i
	for ((i = 0; i < $2 * 5; i++)); do
		[ "$(ups)" -ge "$1" ] && return 0
		sleep 0.2
	done
	say "timeout waiting for reconnect $1"
	return 1
}

# restart_server OUTAGE: SIGKILL the server's process group, wait OUTAGE s, start it again
restart_server() {
	say "server stop (outage $1 s)"
	"$LAB_SERVER_STOP"
	sleep "$1"
	"$LAB_SERVER_START"
	until ip netns exec "$LAB_NETNS" ss -Hltn "sport = :${LAB_PORT:-10809}" | grep -q .; do sleep 0.05; done
	say "server listening"
}

# restarts UP_SECONDS OUTAGE...: once the workload runs, each outage after UP_SECONDS of I/O,
# the next one only once the supervisor has reconnected
restarts() {
	local up=$1 n o
	shift
	wait_console 'NBDROOT-TEST: workload start' 300 || return 1
	n=$(ups)
	for o in "$@"; do
		sleep "$up"
		restart_server "$o"
		n=$((n + 1))
		wait_ups "$n" 120 || return 1
		say "reconnected ($((n - 1)))"
	done
}

# link_outage SECONDS: once the workload runs, tap0 goes down under its I/O for SECONDS, then up again
link_outage() {
	wait_console 'NBDROOT-TEST: workload start' 300 || return 1
	sleep 4
	say "tap0 down for $1 s"
	ip link set tap0 down
	sleep "$1"
	ip link set tap0 up
	say "tap0 up"
}
