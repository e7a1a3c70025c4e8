#!/bin/bash
# bench-handshake: bytes each way, turns and round trips of one `nbdroot --probe` handshake per handshake mode, counted by a relay on loopback; and the probe's wall time.
# BENCH_HANDSHAKE_RUNS (default 7) probes per mode, each way. Runs itself in a
# private network namespace (unshare --net). Markdown on stdout, progress on stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
# shellcheck source=bench/lib.sh
. bench/lib.sh

in_private_netns "$@"

runs=${BENCH_HANDSHAKE_RUNS:-7}
nbdroot=$here/build/nbdroot
work=$(mktemp -d)
pgids=()
stop_all() {
	local g
	for g in "${pgids[@]}"; do kill -KILL -- "-$g" 2>/dev/null || true; done
	pgids=()
	nbd_server_kill "$work"
}
trap 'stop_all; rm -rf "$work"' EXIT
nbd_server_loopback "$work" 10810

# bg LOG CMD...: CMD in its own process group, killed whole by stop_all.
bg() {
	local log=$1
	shift
	setsid "$@" >>"$log" 2>&1 </dev/null &
	pgids+=("$!")
	disown
}
# server MODE: starts the server for MODE on port 10810 (the peer serves one connection, so per probe).
server() {
	case $1 in
	nbdkit-go) bg "$work/server.log" nbdkit -f -p 10810 -i 127.0.0.1 file "file=$work/disk.img" ;;
	nbdkit-newstyle) bg "$work/server.log" nbdkit -f --mask-handshake=0 -p 10810 -i 127.0.0.1 file "file=$work/disk.img" ;;
	nbdkit-oldstyle) bg "$work/server.log" nbdkit -f -o -p 10810 -i 127.0.0.1 file "file=$work/disk.img" ;;
	# -d would serve one client and exit; as a daemon it forks per client.
	nbd-server) nbd_server_start "$work" ;;
	peer-export-name)
		# nbd-peer.py binds an ephemeral port; a port file says which.
		rm -f "$work/peer.port"
		bg "$work/server.log" python3 tests/peers/nbd-peer.py --scenario export-name-fallback --port-file "$work/peer.port"
		for _ in $(seq 200); do [ -s "$work/peer.port" ] && break; sleep 0.05; done
		;;
	esac
}
server_port() {
	case $1 in peer-export-name) cat "$work/peer.port" ;; *) echo 10810 ;; esac
}
per_probe() { [ "$1" = peer-export-name ]; }

probe() { # probe PORT -> the handshake mode nbdroot reports; fails when the probe does
	local out
	out=$("$nbdroot" --probe --cmdline "nbdroot=127.0.0.1:$1/root") || return 1
	sed -n "s/^NBDROOT_HANDSHAKE='\(.*\)'\$/\1/p" <<<"$out"
}

rows=()
failed=0
for mode in nbdkit-go peer-export-name nbdkit-newstyle nbdkit-oldstyle nbd-server; do
	echo "bench-handshake: $mode, $runs probes through the relay, $runs timed" >&2
	: >"$work/counts"
	: >"$work/times"
	got=
	per_probe "$mode" || { server "$mode"; wait_port 10810; }
	for _ in $(seq "$runs"); do
		per_probe "$mode" && server "$mode"
		up=$(server_port "$mode")
		rm -f "$work/relay.port"
		bg "$work/relay.log" python3 bench/count-relay.py --listen 0 --upstream "$up" \
			--out "$work/counts" --port-file "$work/relay.port"
		for _ in $(seq 200); do [ -s "$work/relay.port" ] && break; sleep 0.05; done
		n=$(wc -l <"$work/counts")
		got=$(probe "$(cat "$work/relay.port")") || { echo "bench-handshake: $mode: probe through the relay failed" >&2; failed=1; }
		for _ in $(seq 100); do [ "$(wc -l <"$work/counts")" -gt "$n" ] && break; sleep 0.02; done
		kill -KILL -- "-${pgids[-1]}" 2>/dev/null || true
		unset 'pgids[-1]'
	done
	for _ in $(seq "$runs"); do
		if per_probe "$mode"; then
			server "$mode"
		fi
		up=$(server_port "$mode")
		# EPOCHREALTIME: no fork of date inside the interval.
		t0=${EPOCHREALTIME/./}
		"$nbdroot" --probe --cmdline "nbdroot=127.0.0.1:$up/root" >/dev/null ||
			{ echo "bench-handshake: $mode: probe failed" >&2; failed=1; }
		t1=${EPOCHREALTIME/./}
		echo $((t1 - t0)) >>"$work/times"
	done
	stop_all
	if [ "$(wc -l <"$work/counts")" -lt "$runs" ]; then
		echo "bench-handshake: $mode: the relay counted $(wc -l <"$work/counts") of $runs connections" >&2
		failed=1
		continue
	fi
	# Every probe of a mode should see the same conversation; say so when not.
	variants=$(sort -u "$work/counts" | wc -l)
	col() { sed -n "s/.* $1=\([^ ]*\).*/\1/p; s/^$1=\([^ ]*\).*/\1/p" "$work/counts" | stats; }
	read -r c2s c2s_lo c2s_hi < <(col c2s)
	read -r s2c s2c_lo s2c_hi < <(col s2c)
	read -r turns turns_lo turns_hi < <(col turns)
	read -r waits waits_lo waits_hi < <(col waits)
	read -r t t_lo t_hi < <(stats <"$work/times")
	seq=$(sed -n 's/.* seq=\(.*\)/\1/p' "$work/counts" | sort | uniq -c | sort -rn | head -n1 | awk '{ print $2 }')
	range() { [ "$2" = "$3" ] && echo "$1" || echo "$1 ($2 – $3)"; }
	case $mode in
	nbdkit-go) server_what="nbdkit $(nbdkit --version | awk '{ print $2 }')" ;;
	nbdkit-newstyle) server_what="nbdkit --mask-handshake=0" ;;
	nbdkit-oldstyle) server_what="nbdkit --oldstyle" ;;
	nbd-server) server_what="nbd-server $(dpkg-query -W -f='${Version}' nbd-server)" ;;
	peer-export-name) server_what="tests/peers/nbd-peer.py export-name-fallback (NBD_OPT_GO -> ERR_UNSUP)" ;;
	esac
	rows+=("| $got | $server_what | $(range "$c2s" "$c2s_lo" "$c2s_hi") | $(range "$s2c" "$s2c_lo" "$s2c_hi") | $(range "$turns" "$turns_lo" "$turns_hi") | $(range "$waits" "$waits_lo" "$waits_hi") | \`${seq//,/ }\` | $t µs ($t_lo – $t_hi) |")
	[ "$variants" = 1 ] || rows+=("| | ($variants different conversations in $runs probes) | | | | | | |")
done

echo "## Handshake: bytes and round trips per mode"
echo
echo "One \`nbdroot --probe\` (connect, negotiate, close) through a counting relay on loopback (bench/count-relay.py), $runs probes per mode;"
echo "a turn is a run of bytes in one direction; round trips: server answers the client waited for, the greeting included (TCP's connect not included)."
echo "Wall time: the probe process from exec to exit, straight to the server (no relay), median (min – max) of $runs."
echo
echo "| mode (as nbdroot reports it) | server | client -> server bytes | server -> client bytes | turns | round trips | conversation (c2s/s2c:bytes) | probe wall time |"
echo "|---|---|---:|---:|---:|---:|---|---:|"
printf '%s\n' "${rows[@]}"
[ "$failed" = 0 ]
