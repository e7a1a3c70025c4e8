# reconnect-lib.sh: host-side outage drivers for the reconnect boot tests and bench (sourced by lab.sh hooks, inside the netns).
# shellcheck shell=bash
# Environment from qemu/lab.sh: LAB_CONSOLE, LAB_SERVER_STOP, LAB_SERVER_START, LAB_NETNS; from qemu/fleet.sh
# LAB_CONSOLES (one per guest) instead of LAB_CONSOLE.

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

# each_console CMD...: CMD with LAB_CONSOLE set to each guest's console in turn (one guest: lab.sh's)
each_console() {
	local c
	for c in ${LAB_CONSOLES:-$LAB_CONSOLE}; do
		LAB_CONSOLE=$c "$@" || return 1
	done
}

# restarts UP_SECONDS OUTAGE...: once the workload runs (on every guest), each outage after UP_SECONDS of I/O,
# the next one only once every guest's supervisor has reconnected
restarts() {
	local up=$1 n o first=${LAB_CONSOLES:-$LAB_CONSOLE}
	shift
	each_console wait_console 'NBDROOT-TEST: workload start' 300 || return 1
	n=$(LAB_CONSOLE=${first%% *} ups)
	for o in "$@"; do
		sleep "$up"
		restart_server "$o"
		n=$((n + 1))
		each_console wait_ups "$n" 120 || return 1
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

# hostile_fail REASON: a check failed; the guest is killed so that the case fails now (the reason stays in hook.log)
hostile_fail() {
	say "FAIL: $*"
	kill -KILL -- "-$LAB_QEMU_PID" 2>/dev/null
	exit 1
}

# hostile_servers PEER CASES: once the workload runs, the server is stopped and the scripted peer PEER
# (tests/peers/nbd-peer.py) takes its address, one connection per case, a case being a line "scenario|fragment".
# Each must be connected to, refused with the supervisor's "handshake: ...: <fragment>" line, sent no request
# other than NBD_CMD_DISC, and never be taken (no "-> up"). Then the real server comes back.
hostile_servers() {
	local peer=$1 cases=$2 scenario fragment n log line i
	wait_console 'NBDROOT-TEST: workload start' 300 || hostile_fail "the workload never started"
	sleep 4
	n=$(ups)
	say "server stop; hostile servers in its place"
	"$LAB_SERVER_STOP"
	while IFS='|' read -r scenario fragment; do
		[ -n "$scenario" ] || continue
		log=$LAB_LOGDIR/peer-$scenario.log
		rm -f "$LAB_LOGDIR/peer.port"
		say "hostile server: $scenario"
		# one connection, then it exits (after 60 s without one, with a traceback)
		timeout 90 python3 "$peer" --scenario "$scenario" --host "$LAB_HOST_IP" --port "$LAB_PORT" \
			--port-file "$LAB_LOGDIR/peer.port" --log "$log" || say "peer $scenario exited with $?"
		grep -q "^peer: scenario $scenario\$" "$log" 2>/dev/null ||
			hostile_fail "$scenario: the supervisor never connected"
		if grep 'client request type' "$log" | grep -qv 'NBD_CMD_DISC'; then
			hostile_fail "$scenario: the device sent it requests: $(grep 'client request' "$log" | head -n 3)"
		fi
		line="nbdroot: supervise: /dev/nbd0: handshake: $LAB_HOST_IP port $LAB_PORT export \"$LAB_EXPORT\": $fragment"
		for ((i = 0; i < 50; i++)); do
			grep -aqF -- "$line" "$LAB_CONSOLE" && break
			sleep 0.2
		done
		grep -aqF -- "$line" "$LAB_CONSOLE" || hostile_fail "$scenario: no line '$line' on the console"
		[ "$(ups)" = "$n" ] || hostile_fail "$scenario: the supervisor came up on it"
		say "refused: $scenario"
		# kmsg takes at most 10 lines per 5 s from one writer: keep the supervisor's rate below that
		sleep 1
	done <<<"$cases"
	say "the real server again"
	"$LAB_SERVER_START"
	wait_ups $((n + 1)) 120 || hostile_fail "no reconnect to the real server"
	say "reconnected"
}

# replaced_image: once every guest shows "refused start", the server is stopped and another ext4 image of the very
# same size is served in its place (what an operator does to a shared image under running clients); once every guest
# shows "refused seen", the original image is served again (tests/boot/root.d/refused-export.sh).
replaced_image() {
	local other=$LAB_LOGDIR/other.img
	each_console wait_console 'NBDROOT-TEST: refused start' 120 || return 1
	rm -f "$other"
	truncate -s "$(stat -c %s "$LAB_IMAGE")" "$other"
	mkfs.ext4 -q -F -L nbdroot-test "$other"
	say "server stop; another ext4 image of the same size ($(stat -c %s "$other") bytes) instead"
	"$LAB_SERVER_STOP"
	setsid nbdkit --foreground --ipaddr "$LAB_HOST_IP" --port "$LAB_PORT" file "$other" </dev/null >>"$LAB_LOGDIR/server.log" 2>&1 &
	each_console wait_console 'NBDROOT-TEST: refused seen' 120 || return 1
	say 'the original image again'
	restart_server 0
	rm -f "$other"
}

# frontend_failover GUEST_IP RESULT (fleet.sh --server nbdkit-curl, LAB_CONSOLE the guest's console): once the
# guest's workload runs, SIGKILL the front-end the host sees it connected to, then wait until the host sees it
# connected to another front-end, its console says so and its workload ends with one reconnect. RESULT gets one
# line when all of that happened, RESULT.why the reason when not.
frontend_failover() {
	local g=$1 result=$2 fes=() pids=() fe k i other t0 line
	read -r -a fes <<<"$LAB_FRONTENDS"
	read -r -a pids <<<"$LAB_FRONTEND_PIDS"
	failed() {
		say "FAIL: $*"
		echo "$*" >"$result.why"
		return 1
	}
	# frontend_of: the front-end the host sees $g connected to (its local address)
	frontend_of() {
		ss -Htn state established "( sport = :$LAB_PORT )" |
			awk -v g="$g" '{ sub(/:[0-9]+$/, "", $3); sub(/:[0-9]+$/, "", $4) } $4 == g { print $3; exit }'
	}
	wait_console 'NBDROOT-TEST: workload start' 300 || failed "$g's workload never started" || return
	sleep 5
	fe=$(frontend_of)
	for k in "${!fes[@]}"; do [ "${fes[$k]}" = "$fe" ] && break; done
	if [ -z "$fe" ] || [ "${fes[$k]}" != "$fe" ]; then
		failed "the host sees $g connected to no front-end (\"$fe\")"
		return
	fi
	say "front-end $fe (pid ${pids[$k]}), which $g reads from, killed"
	kill -KILL -- "-${pids[$k]}"
	t0=$(date +%s.%N)
	for ((i = 0; i < 600; i++)); do
		other=$(frontend_of)
		[ -n "$other" ] && [ "$other" != "$fe" ] &&
			grep -aqE "supervise: /dev/nbd0: [a-z]+ -> up ${other//./\\.}:$LAB_PORT" "$LAB_CONSOLE" && break
		sleep 0.2
	done
	[ "$i" -lt 600 ] || failed "$g did not come up on another front-end within 120 s of $fe's end" || return
	t0=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	say "$g up on front-end $other after $t0 s"
	wait_console 'NBDROOT-TEST: workload rounds=' 300 || failed "$g's workload never ended" || return
	line=$(grep -a -m1 'NBDROOT-TEST: workload rounds=' "$LAB_CONSOLE" | tr -d '\r')
	case $line in
	*' mismatches=0 ioerrors=0 reconnects=1 state=up'*) ;;
	*) failed "$g's workload: ${line#*NBDROOT-TEST: }"; return ;;
	esac
	say "failover: $g from $fe (killed) to $other, up there within $t0 s; ${line#*NBDROOT-TEST: }" | tee "$result"
}
