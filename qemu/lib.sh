# lib.sh: shared by lab.sh and fleet.sh: processes in the case's private netns ($ns), its cleanup, its server.
# shellcheck shell=bash disable=SC2154,SC2317,SC2016 # the sourcing script's variables; cleanup runs from a trap; generated scripts are quoted on purpose

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

# server_scripts LOG CMD...: $work/server-start starts CMD in the netns as its
# own process group, logging to LOG; $work/server-stop SIGKILLs every server
# process group in the netns and waits until the port ($NBD_PORT) is free.
# Hooks use them to simulate restarts (LAB_SERVER_START, LAB_SERVER_STOP).
server_scripts() {
	local log=$1
	shift
	{
		printf '#!/bin/bash\n# Starts the case'"'"'s NBD server in the netns (own process group).\n'
		printf 'rm -f %q\n' "$work/nbd-server.pid"
		# The wrapper shell leads the process group and logs how the server ended.
		printf 'setsid ip netns exec %q bash -c %q _' "$ns" '"$@"; echo "server exited with status $?"'
		[ $# -gt 0 ] && printf ' %q' "$@"
		printf ' </dev/null >>%q 2>&1 &\n' "$log"
	} >"$work/server-start"
	{
		printf '#!/bin/bash\n# Stops the case'"'"'s NBD server: SIGKILL to the process group of every server process in the netns\n'
		printf '# (nbd-server forks per client; a listener-only kill would leave the old connection alive).\n'
		printf 'for i in $(seq 50); do\n\tfound=\n'
		printf '\tfor p in $(ip netns pids %q); do\n' "$ns"
		printf '\t\tcase $(cat /proc/$p/comm 2>/dev/null) in\n\t\tnbdkit | nbd-server | qemu-nbd)\n'
		printf '\t\t\tfound=1\n\t\t\tg=$(ps -o pgid= -p "$p" | tr -d " ")\n'
		printf '\t\t\t[ -n "$g" ] && kill -KILL -- "-$g" 2>/dev/null\n\t\t\tkill -KILL "$p" 2>/dev/null ;;\n\t\tesac\n\tdone\n'
		printf '\t[ -z "$found" ] && ! ip netns exec %q ss -Hltn "sport = :%s" | grep -q . && exit 0\n' "$ns" "$NBD_PORT"
		printf '\tsleep 0.1\ndone\necho "server-stop: the server is still there after 5 s" >&2\nexit 1\n'
	} >"$work/server-stop"
	chmod +x "$work/server-start" "$work/server-stop"
}
