#!/bin/bash
# bench-reconnect: reconnect latency after an NBD server restart (server listening again -> supervisor up ->
# first guest read completed), median/min/max over 7 restarts, and the supervisor's memory after switch_root.
# Progress to stderr, a markdown section to stdout (bench/run.sh's contract). As root.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
# shellcheck source=bench/lib.sh
. bench/lib.sh

rounds=${BENCH_RECONNECT_ROUNDS:-7}
outage=${BENCH_RECONNECT_OUTAGE_S:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
initrd=${NBDROOT_INITRD:-}
if [ -z "$initrd" ]; then
	make -s build/nbdroot >&2
	./initramfs/build.sh -o "$work/initramfs.cpio.gz" >&2
	initrd=$work/initramfs.cpio.gz
fi
./qemu/mkroot.sh >&2

# The hook (in the lab's netns): per round, restart the server and time, on the host clock, when the console
# shows the supervisor's "-> up" and the guest's next "io-resumed" after the server listens again.
# shellcheck disable=SC2016 # expanded by the hook's shell
hook='. tests/boot/reconnect-lib.sh
ms() { echo $(($(date +%s%N) / 1000000)); }
count() { grep -ac "$1" "$LAB_CONSOLE" 2>/dev/null; }
wait_console "NBDROOT-BENCH: start" 300 || exit 1
for k in $(seq '"$rounds"'); do
	sleep 2
	"$LAB_SERVER_STOP"
	sleep '"$outage"'
	"$LAB_SERVER_START"
	until ip netns exec "$LAB_NETNS" ss -Hltn "sport = :$LAB_PORT" | grep -q .; do sleep 0.01; done
	t0=$(ms) tu= ti=
	while [ -z "$ti" ] && [ $(($(ms) - t0)) -lt 120000 ]; do
		[ -z "$tu" ] && [ "$(ups)" -gt "$k" ] && tu=$(ms)
		[ "$(count "NBDROOT-BENCH: io-resumed")" -ge "$k" ] && ti=$(ms)
		sleep 0.01
	done
	echo "$k $((${tu:-0} - t0)) $((${ti:-0} - t0))" >>'"$work/rounds"'
	say "round $k: up after $((${tu:-0} - t0)) ms, I/O after $((${ti:-0} - t0)) ms"
done'
echo "bench-reconnect: $rounds restarts of nbdkit, ${outage} s outages" >&2
if ! ./qemu/lab.sh --case bench-reconnect --initrd "$initrd" --server nbdkit --timeout 400 --keep-logs \
	--append "nbdroot=10.77.0.1:10809/root ip=10.77.0.10:10.77.0.1::255.255.255.0::eth0:off root=/dev/nbd0 lab.test=bench-reconnect lab.reconnects=$rounds" \
	--hook "cd '$here'; $hook" \
	--expect "NBDROOT-BENCH: done reconnects=$rounds" --reject 'NBDROOT-BENCH: read failed' \
	--reject 'I/O error' >"$work/lab.log" 2>&1; then
	cat "$work/lab.log" >&2
	exit 1
fi
cat "$work/lab.log" >&2
log=$(sed -n 's/^lab: logs kept in //p' "$work/lab.log")
start=$(grep -a -m1 "NBDROOT-BENCH: start" "$log/console.log" || true)
rss=$(echo "$start" | sed -n 's/.*rss_kb=\([0-9]*\).*/\1/p')
bin=$(echo "$start" | sed -n 's/.*binary=\([0-9]*\).*/\1/p')
rm -rf "$log"
if [ "$(wc -l <"$work/rounds")" -lt 5 ] || awk '$2 <= 0 || $3 <= 0 { bad = 1 } END { exit !bad }' "$work/rounds"; then
	echo "bench-reconnect: incomplete rounds:" >&2
	cat "$work/rounds" >&2
	exit 1
fi
read -r up_med up_min up_max < <(awk '{ print $2 }' "$work/rounds" | stats)
read -r io_med io_min io_max < <(awk '{ print $3 }' "$work/rounds" | stats)

echo "## Reconnect after a server restart"
echo
echo "nbdkit killed (SIGKILL) and restarted after ${outage} s, $rounds times, under a guest reading one uncached block every 50 ms;"
echo "times on the host clock from the moment the server listens again (10 ms polling of the guest console)."
echo
echo "| measure | nbdroot (median, min..max of $rounds) | nbd-client (Debian bookworm, dracut) |"
echo "|---|---:|---|"
echo "| server listening -> supervisor reconnected | $up_med ms ($up_min..$up_max) | does not resume: every read after a 5 s restart fails (DESIGN.md) |"
echo "| server listening -> first guest read completed | $io_med ms ($io_min..$io_max) | never |"
echo "| supervisor resident memory after switch_root | ${rss:-?} kB | - |"
echo "| nbdroot binary (static, stripped) | ${bin:-?} bytes | - |"
