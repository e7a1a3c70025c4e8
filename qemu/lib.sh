# lib.sh: shared by lab.sh and fleet.sh: processes in the case's private netns ($ns).
# shellcheck shell=bash disable=SC2154,SC2317 # the sourcing script's variables; cleanup runs from a trap

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

# The case's cleanup, on any exit: kill and delete the netns, remove $work,
# keep $logdir unless the case passed (or --keep-logs); $1 names the tool
# in its message ("lab", "fleet"). Uses the sourcing script's ns, work,
# logdir, verdict, keep_logs and here.
install_cleanup() {
	cleanup_tool=$1
	trap cleanup EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
}
cleanup() {
	local rc=$?
	# Finish cleaning even if the terminal goes away or ctrl-c is pressed again.
	trap '' HUP INT TERM
	trap - EXIT
	if ip netns list 2>/dev/null | grep -qw "$ns"; then
		kill_netns
		ip netns del "$ns" 2>/dev/null || true
	fi
	wait 2>/dev/null || true
	rm -rf "$work"
	if [ "$verdict" = PASS ] && [ -z "$keep_logs" ]; then
		rm -rf "$logdir"
	else
		echo "$cleanup_tool: logs kept in ${logdir#"$here"/}"
	fi
	exit "$rc"
}

# nbd_server_conf FILE IP PORT EXPORT IMAGE READONLY(true|false): one
# export's nbd-server configuration, as both labs serve it.
nbd_server_conf() {
	cat >"$1" <<EOF
[generic]
	listenaddr = $2
	port = $3
[$4]
	exportname = $5
	readonly = $6
EOF
}
