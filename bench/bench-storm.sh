#!/bin/bash
# bench-storm: a boot storm on loopback: N simultaneous `nbdroot --probe` handshakes against one nbdkit, then one nbd-server, time until every probe has exited 0.
# BENCH_STORM_N (default "1 16 64 256"), BENCH_STORM_ROUNDS (default 5). Runs
# itself in a private network namespace. Markdown on stdout, progress on stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
# shellcheck source=bench/lib.sh
. bench/lib.sh

in_private_netns "$@"

sizes=${BENCH_STORM_N:-1 16 64 256}
rounds=${BENCH_STORM_ROUNDS:-5}
nbdroot=$here/build/nbdroot
work=$(mktemp -d)
server_pgid=
trap 'server_stop "$work"; rm -rf "$work"' EXIT
nbd_server_loopback "$work" 10811

start_server() {
	case $1 in
	nbdkit)
		setsid nbdkit -f -p 10811 -i 127.0.0.1 file "file=$work/disk.img" </dev/null >>"$work/server.log" 2>&1 &
		server_pgid=$!
		disown
		;;
	# As a daemon it forks per client (a session of its own, named by the pid file).
	nbd-server) nbd_server_start "$work" ;;
	esac
	wait_port 10811
}

# storm N CMD...: starts N copies of CMD at once, waits for all; prints "<microseconds> <failures>".
storm() {
	local n=$1 i pids=() fails=0 t0 t1
	shift
	t0=${EPOCHREALTIME/./}
	for ((i = 0; i < n; i++)); do
		"$@" >/dev/null 2>>"$work/errors" &
		pids+=("$!")
	done
	for i in "${pids[@]}"; do
		wait "$i" || fails=$((fails + 1))
	done
	t1=${EPOCHREALTIME/./}
	echo "$((t1 - t0)) $fails"
}

ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }
rows=()
: >"$work/plot.dat"
declare -A med backlog
for n in $sizes; do
	# The launcher's own cost: N no-op processes started and waited for the same way.
	: >"$work/t"
	for _ in $(seq "$rounds"); do storm "$n" /bin/true | awk '{ print $1 }' >>"$work/t"; done
	read -r med["true,$n"] _ _ < <(stats <"$work/t")
done
for srv in nbdkit nbd-server; do
	start_server "$srv"
	# One probe first: the first connection after a start is not the storm's subject.
	"$nbdroot" --probe --cmdline "nbdroot=127.0.0.1:10811/root" >/dev/null || echo "bench-storm: $srv: the warm-up probe failed" >&2
	# The listen backlog (ss's Send-Q of a listener): connections beyond it wait for SYN-ACK retransmits.
	backlog[$srv]=$(ss -Hltn 'sport = :10811' | awk '{ print $3; exit }')
	for n in $sizes; do
		echo "bench-storm: $srv, $n probes at once, $rounds rounds" >&2
		: >"$work/t"
		: >"$work/errors"
		bad=0
		for _ in $(seq "$rounds"); do
			read -r us f < <(storm "$n" "$nbdroot" --probe --cmdline "nbdroot=127.0.0.1:10811/root")
			echo "$us" >>"$work/t"
			bad=$((bad + f))
		done
		read -r m lo hi < <(stats <"$work/t")
		med["$srv,$n"]=$m
		note="all exited 0"
		if [ "$bad" -gt 0 ]; then
			# Reported, not fatal: what a storm does to the pair is the result.
			note="$bad of $((n * rounds)) probes failed: $(sort "$work/errors" | uniq -c | sort -rn | head -n1 | sed 's/^ *//')"
		fi
		rows+=("| $srv | $n | $(ms "$m") ms ($(ms "$lo") – $(ms "$hi")) | $(awk -v m="$m" -v n="$n" 'BEGIN { printf "%.0f", m / n }') µs | $(ms "${med["true,$n"]}") ms | $note |")
	done
	server_stop "$work"
done
for n in $sizes; do
	echo "$n $(ms "${med["nbdkit,$n"]}") $(ms "${med["nbd-server,$n"]}") $(ms "${med["true,$n"]}")" >>"$work/plot.dat"
done

echo "## Boot storm: simultaneous handshakes on loopback"
echo
echo "N \`nbdroot --probe\` processes started at once (bash, &) against one server on 127.0.0.1 in a private netns ($(nproc) cores),"
echo "after one warm-up probe, time from the first start until every probe has exited; median (min – max) of $rounds rounds. nbdkit $(nbdkit --version | awk '{ print $2 }') (file plugin, default thread model), nbd-server $(dpkg-query -W -f='${Version}' nbd-server) (forks per client)."
echo "Listen backlog as ss shows it: nbdkit ${backlog[nbdkit]}, nbd-server ${backlog[nbd-server]}; a probe exits 2 when the greeting has not come within its 10 s handshake bound."
echo "The no-op column is the launcher alone: N /bin/true started and waited for the same way (median)."
echo
echo "| server | N | all connected, median (min – max) | per probe | N no-ops | probes |"
echo "|---|---:|---:|---:|---:|---|"
printf '%s\n' "${rows[@]}"
echo
plot storm.png "set title 'Boot storm: N simultaneous nbdroot --probe handshakes on loopback (median of $rounds)';
set xlabel 'N (simultaneous handshakes)'; set xrange [0.7:400]; set ylabel 'ms until every probe has exited'; set logscale x 2; set key left top; set grid;
set xtics ($(echo "$sizes" | tr -s ' ' ,));
set logscale y; plot '$work/plot.dat' using 1:2 with linespoints lw 2 title 'nbdkit', '' using 1:3 with linespoints lw 2 title 'nbd-server', '' using 1:4 with linespoints dt 2 title 'launcher alone (N x /bin/true)'"
