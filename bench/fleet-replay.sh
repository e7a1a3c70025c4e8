#!/bin/bash
# fleet-replay.sh: bench-fleet's part B: one boot's recorded reads replayed by N NBD clients at once (build/nbd-replay) against nbdkit, nbd-server and qemu-nbd on loopback; markdown table rows on stdout.
# usage: bench/fleet-replay.sh IMAGE READS  (IMAGE: the export the reads were recorded from;
# READS: "<offset> <length>" lines, bench/lib.sh's boot_reads). BENCH_FLEET_CLIENTS (default
# "1 16 64 256 512"), BENCH_FLEET_ROUNDS (default 3) for up to 64 clients and BENCH_FLEET_ROUNDS_LARGE
# (default 1) above (each such round already has hundreds of samples), BENCH_FLEET_SERVERS (default all three).
# BENCH_FLEET_DATA=FILE: also append "<server> <clients> <p99 ms> <MiB/s>" lines to FILE.
# Runs itself in a private network namespace (only loopback); progress on stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
# shellcheck source=bench/lib.sh
. bench/lib.sh
# shellcheck source=qemu/lib.sh
. qemu/lib.sh

[ $# = 2 ] || { echo "usage: bench/fleet-replay.sh IMAGE READS" >&2; exit 2; }
image=$(realpath "$1")
reads=$(realpath "$2")
[ -r "$image" ] || { echo "nbdroot: fleet-replay: $image: no such image" >&2; exit 2; }
[ -s "$reads" ] || { echo "nbdroot: fleet-replay: $reads: no recorded reads" >&2; exit 2; }
in_private_netns "$@"
make -s build/nbd-replay >&2

clients=${BENCH_FLEET_CLIENTS:-1 16 64 256 512}
rounds_small=${BENCH_FLEET_ROUNDS:-3}
rounds_large=${BENCH_FLEET_ROUNDS_LARGE:-1}
servers=${BENCH_FLEET_SERVERS:-nbdkit nbd-server qemu-nbd}
port=10830
work=$(mktemp -d)
server_pgid=
trap 'server_stop "$work"; rm -rf "$work"' EXIT

# start_server NAME: NAME serving IMAGE read-only as "root" on 127.0.0.1:$port; sets server_pgid (the
# process group that holds the server and any process it forks per client).
start_server() {
	case $1 in
	nbdkit)
		setsid nbdkit -f -r -p "$port" -i 127.0.0.1 file "file=$image" </dev/null >>"$work/server.log" 2>&1 &
		server_pgid=$!
		;;
	qemu-nbd)
		# --shared=0: any number of clients (its default admits one)
		setsid qemu-nbd --format=raw --bind=127.0.0.1 --port="$port" --export-name=root \
			--persistent --shared=0 --read-only "$image" </dev/null >>"$work/server.log" 2>&1 &
		server_pgid=$!
		;;
	nbd-server)
		# it daemonizes into a session of its own and forks per client; the pid file names it
		nbd_server_conf "$work/nbd-server.conf" 127.0.0.1 "$port" root "$image" true
		rm -f "$work/nbd-server.pid"
		nbd_server_start "$work"
		for _ in $(seq 100); do [ -s "$work/nbd-server.pid" ] && break; sleep 0.05; done
		server_pgid=$(cat "$work/nbd-server.pid")
		;;
	esac
	disown 2>/dev/null || true
	wait_port "$port"
}

# memory: "<processes> <sum of VmHWM kB> <sum of Pss kB>" over the server's process group.
memory() {
	local pid procs=0 hwm=0 pss=0 v
	for pid in $(pgrep -g "$server_pgid"); do
		v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || continue
		[ -n "$v" ] || continue
		procs=$((procs + 1))
		hwm=$((hwm + v))
		v=$(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
		pss=$((pss + ${v:-0}))
	done
	echo "$procs $hwm $pss"
}

# replay N: one round; prints nbd-replay's summary line with " procs= hwm_kb= pss_kb=" added,
# the memory read while all N clients are still connected after their reads.
replay() {
	local hold=$work/hold out rc=0 mem
	rm -f "$hold"
	./build/nbd-replay -p "$port" -e root -r "$reads" -n "$1" -H "$hold" >"$work/out" 2>>"$work/errors" &
	local rp=$!
	for _ in $(seq 6000); do
		[ -e "$hold" ] && break
		kill -0 "$rp" 2>/dev/null || break
		sleep 0.05
	done
	mem=(0 0 0)
	[ -e "$hold" ] && read -r -a mem < <(memory)
	rm -f "$hold"
	wait "$rp" || rc=$?
	out=$(cat "$work/out")
	echo "$out procs=${mem[0]} hwm_kb=${mem[1]} pss_kb=${mem[2]}"
	return "$rc"
}

version() {
	case $1 in
	nbdkit) nbdkit --version | awk '{ print $2 }' ;;
	nbd-server) dpkg-query -W -f='${Version}' nbd-server ;;
	qemu-nbd) qemu-nbd --version | awk 'NR == 1 { print $2 }' ;;
	esac
}
# Clients that fail against a server are the result, reported in its row; a server that
# does not start fails the benchmark.
failed=0
for srv in $servers; do
	for n in $clients; do
		rounds=$rounds_small
		[ "$n" -le 64 ] || rounds=$rounds_large
		echo "fleet-replay: $srv, $n clients, $rounds rounds" >&2
		: >"$work/rounds"
		: >"$work/errors"
		bad=0
		for _ in $(seq "$rounds"); do
			if ! start_server "$srv"; then
				failed=1
				bad=$((bad + 1))
				echo "$srv did not start: $(tail -n1 "$work/server.log")" >>"$work/errors"
				echo "failed=$n" >>"$work/rounds"
				server_stop "$work"
				continue
			fi
			rc=0
			line=$(replay "$n") || rc=$?
			# 1: some clients failed (the row says why); anything else: nbd-replay itself broke
			[ "$rc" = 0 ] || bad=$((bad + 1))
			[ "$rc" -le 1 ] || { failed=1; echo "nbd-replay exited $rc" >>"$work/errors"; }
			echo "$line" >>"$work/rounds"
			server_stop "$work"
		done
		med() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" "$work/rounds" | stats | awk '{ print $1 }'; }
		top() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" "$work/rounds" | sort -g | tail -n1; }
		note="all $((n * rounds)) read everything"
		retried=$(sed -n 's/.*\bretries=\([0-9]*\).*/\1/p' "$work/rounds" | awk '{ s += $1 } END { print s + 0 }')
		[ "$retried" = 0 ] || note="$note; $retried connection retries (refused or reset, tried again as nbdroot's boot does)"
		if [ "$bad" -gt 0 ]; then
			note="$retried retries; $(sed -n 's/.*\bfailed=\([0-9]*\).*/\1/p' "$work/rounds" | awk '{ s += $1 } END { print s }') of $((n * rounds)) clients failed: $(sed 's/^nbdroot: nbd-replay: client [0-9]*: //' "$work/errors" | sort | uniq -c | sort -rn | head -n1 | sed 's/^ *\([0-9]*\) /\1 x /')"
		fi
		printf '| %s %s | %s | %s | %s ms | %s ms | %s ms | %s | %s | %s (%s) | %s MiB | %s |\n' \
			"$srv" "$(version "$srv")" "$n" "$rounds" "$(med p50_ms)" "$(med p99_ms)" "$(top max_ms | grep . || echo -)" \
			"$(med mib_s)" "$(med req_s)" "$(awk -v k="$(top hwm_kb)" 'BEGIN { printf "%.1f MiB", k / 1024 }')" \
			"$(top procs) proc" "$(awk -v k="$(top pss_kb)" 'BEGIN { printf "%.1f", k / 1024 }')" "$note"
		[ -z "${BENCH_FLEET_DATA:-}" ] || [ "$bad" -gt 0 ] || echo "$srv $n $(med p99_ms) $(med mib_s)" >>"$BENCH_FLEET_DATA"
	done
done
[ "$failed" = 0 ]
