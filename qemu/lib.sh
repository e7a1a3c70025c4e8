# lib.sh: shared by lab.sh and fleet.sh: processes in the case's private netns ($ns).
# shellcheck shell=bash disable=SC2154 # $ns is the sourcing script's netns name

# Every process of a case runs inside its private netns (servers, dnsmasq,
# QEMU, the hook), so membership, not a remembered pid that may have been
# reused, decides what to kill. Repeated: a forking server may fork meanwhile.
kill_netns() {
	local pid pids
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		pids=$(ip netns pids "$ns" 2>/dev/null) || return 0
		[ -n "$pids" ] || return 0
		for pid in $pids; do
			kill -KILL "$pid" 2>/dev/null || true
		done
		sleep 0.1
	done
}

# Start "$@" in the netns as its own process group; prints its pid.
start_bg() {
	local log=$1
	shift
	setsid ip netns exec "$ns" "$@" </dev/null >>"$log" 2>&1 &
	echo $!
}
