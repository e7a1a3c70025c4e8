#!/bin/bash
# bench-reconnect: reconnect latency after an NBD server restart (server listening again -> supervisor up ->
# first guest read completed), median/min/max over 11 restarts, and the supervisor's memory after switch_root;
# beside dracut + nbd-client -persist under the same restarts (what happens is reported, bounded).
# Progress to stderr, a markdown section to stdout (bench/run.sh's contract). As root.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
# shellcheck source=bench/lib.sh
. bench/lib.sh
# shellcheck source=tests/dracut/lib.sh
. tests/dracut/lib.sh

rounds=${BENCH_RECONNECT_ROUNDS:-11}
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
	# both: the supervisor logs "-> up" after the kernel took the socket, so a
	# read may complete (and its line reach the console) first
	while { [ -z "$ti" ] || [ -z "$tu" ]; } && [ $(($(ms) - t0)) -lt 120000 ]; do
		[ -z "$tu" ] && [ "$(ups)" -gt "$k" ] && tu=$(ms)
		[ -z "$ti" ] && [ "$(count "NBDROOT-BENCH: io-resumed")" -ge "$k" ] && ti=$(ms)
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
if [ "$(wc -l <"$work/rounds")" -lt "$rounds" ] || awk '$2 <= 0 || $3 <= 0 { bad = 1 } END { exit !bad }' "$work/rounds"; then
	echo "bench-reconnect: incomplete rounds:" >&2
	cat "$work/rounds" >&2
	exit 1
fi
read -r up_med up_min up_max < <(awk '{ print $2 }' "$work/rounds" | stats)
read -r io_med io_min io_max < <(awk '{ print $3 }' "$work/rounds" | stats)

# The anchors: dracut's nbd module runs `nbd-client -p` (persist), through netlink (its default) and,
# with -nonetlink in root='s nbdopts field, through the ioctls (the client then stays in NBD_DO_IT).
# Same restarts under a guest reading one uncached block every 50 ms; a round ends when a read
# completes again, or after BENCH_RECONNECT_ANCHOR_BOUND_S (default 60) without one: then the rounds
# stop, reported as such. BENCH_RECONNECT_ANCHORS (default "netlink ioctl") picks them.
bound=${BENCH_RECONNECT_ANCHOR_BOUND_S:-60}
anchors=${BENCH_RECONNECT_ANCHORS:-netlink ioctl}
anchor_img=$(dracut_image nbd-legacy) || anchor_img=
anchor_root=$(bench_root) || anchor_root=
# shellcheck disable=SC2016 # expanded by the hook's shell
anchor_hook='. tests/boot/reconnect-lib.sh
ms() { echo $(($(date +%s%N) / 1000000)); }
count() { grep -ac "$1" "$LAB_CONSOLE" 2>/dev/null; }
if wait_console "NBDROOT-BENCH: anchor start" 300; then
	for k in $(seq '"$rounds"'); do
		sleep 2
		"$LAB_SERVER_STOP"
		sleep '"$outage"'
		"$LAB_SERVER_START"
		until ip netns exec "$LAB_NETNS" ss -Hltn "sport = :$LAB_PORT" | grep -q .; do sleep 0.01; done
		t0=$(ms) ti=
		while [ -z "$ti" ] && [ $(($(ms) - t0)) -lt '"$((bound * 1000))"' ]; do
			[ "$(count "NBDROOT-BENCH: io-resumed")" -ge "$k" ] && ti=$(ms)
			sleep 0.01
		done
		if [ -n "$ti" ]; then
			echo "$k $((ti - t0))" >>"$ANCHOR_ROUNDS"
			say "anchor round $k: I/O after $((ti - t0)) ms"
		else
			echo "$k never" >>"$ANCHOR_ROUNDS"
			say "anchor round $k: no read completed within '"$bound"' s"
			break
		fi
	done
fi
kill -KILL "$LAB_QEMU_PID"'
declare -A anchor_io anchor_clients
# anchor MODE: one boot of dracut + nbd-client under the restarts; sets anchor_io[MODE], anchor_clients[MODE].
anchor() {
	local mode=$1 opts='' alog aconsole=$work/anchor-$1-console.txt started after dd kernel errors ok never
	local a_med a_min a_max
	[ "$mode" = ioctl ] && opts=:ext4:rw:-nonetlink
	echo "bench-reconnect: the anchor, dracut + nbd-client -persist ($mode): up to $rounds restarts, ${bound} s bound" >&2
	: >"$work/anchor-$mode"
	if [ -z "$anchor_img" ] || [ -z "$anchor_root" ]; then
		anchor_io[$mode]="not measured: the dracut + nbd-client image or the bench root could not be built"
		return 0
	fi
	ANCHOR_ROUNDS=$work/anchor-$mode ./qemu/lab.sh --case "bench-reconnect-anchor-$mode" --initrd "$anchor_img" \
		--image "$anchor_root" --server nbdkit --timeout $((300 + rounds * (bound + 10))) --keep-logs \
		--append "root=nbd:$SERVER_IP:root$opts $DRACUT_STATIC_IP rw rd.shell=0 init=/sbin/init lab.test=bench-reconnect-anchor" \
		--hook "cd '$here'; $anchor_hook" --expect "NBDROOT-BENCH: anchor start" >"$work/anchor-$mode.log" 2>&1 || true
	cat "$work/anchor-$mode.log" >&2
	alog=$(sed -n 's/^lab: logs kept in //p' "$work/anchor-$mode.log")
	tr -d '\r' <"$alog/console.log" >"$aconsole" 2>/dev/null || : >"$aconsole"
	[ -n "${BENCH_KEEP_LOGS:-}" ] || [ -z "$alog" ] || rm -rf "$alog"
	# The client processes after switch_root, and the first errors the guest and its kernel printed.
	anchor_clients[$mode]=$(sed -n 's/.*NBDROOT-BENCH: client pid=[0-9]* comm=\([^ ]*\) args="\([^"]*\)" rss_kb=\([0-9]*\).*/\1 (\2): \3 kB/p' "$aconsole" | sed 's/ *)/)/' | paste -sd ';' | sed 's/;/; /g')
	started=$(grep -c 'NBDROOT-BENCH: anchor start' "$aconsole" || true)
	after=$(sed -n '/NBDROOT-BENCH: anchor start/,$p' "$aconsole")
	dd=$(grep -a -m1 'NBDROOT-BENCH: read failed' <<<"$after" | sed 's/.*read failed: //' || true)
	kernel=$(grep -aE 'nbd0|nbd-client' <<<"$after" | grep -v 'NBDROOT-BENCH' |
		sed 's/^\[ *[0-9.]*\] //; s/sector [0-9]*/sector N/; s/logical block [0-9]*/logical block N/' |
		sed 's/ phys_seg [0-9]* prio class [0-9]*//; s/ flags 0x[0-9a-f]*//' | grep -v 'RDB block\|partition table' |
		awk '!seen[$0]++' | head -n 6 | sed 's/|/\\|/g' | paste -sd ';' | sed 's/;/; /g' || true)
	errors="guest reads: \"${dd:-none failed}\"; kernel: ${kernel:-nothing about nbd0}"
	ok=$(awk '$2 != "never"' "$work/anchor-$mode" | wc -l)
	never=$(awk '$2 == "never" { print $1 }' "$work/anchor-$mode")
	if [ "$started" = 0 ]; then
		anchor_io[$mode]="did not boot to the read loop (see the output of make bench)"
	elif [ -n "$never" ]; then
		anchor_io[$mode]="never resumed within ${bound} s (restart $never; $ok earlier restarts resumed); $errors"
	elif [ "$ok" -gt 0 ]; then
		read -r a_med a_min a_max < <(awk '{ print $2 }' "$work/anchor-$mode" | stats)
		anchor_io[$mode]="$a_med ms ($a_min..$a_max) over $ok restarts; $errors"
	else
		anchor_io[$mode]="no restart measured"
	fi
}
for m in $anchors; do anchor "$m"; done

echo "## Reconnect after a server restart"
echo
echo "nbdkit killed (SIGKILL) and restarted after ${outage} s, $rounds times, under a guest reading one uncached block every 50 ms;"
echo "times on the host clock from the moment the server listens again (10 ms polling of the guest console)."
echo
backoff_min=$(sed -n 's/^#define BACKOFF_MIN_MS //p' nbdroot/supervise.c)
backoff_max=$(sed -n 's/^#define BACKOFF_MAX_MS //p' nbdroot/supervise.c)
echo "nbdroot's retries (nbdroot/supervise.c): $backoff_min ms doubling to $backoff_max ms, each wait drawn between half and all of it, so a server that is down gets at most"
echo "$((2000 / backoff_max)) connection attempts a second from each client, and one that is back is tried within that cap (the figures below add the handshake, the netlink reconfigure and the read)."
echo
echo "Anchors: Debian's dracut nbd module (\`nbd-client -p\`, nbd-client $(dpkg-query -W -f='${Version}' nbd-client)) through netlink (dracut's default) and with -nonetlink (ioctls),"
echo "the same restarts under the same read loop (bench/guest/bench-reconnect-anchor.sh), a round bounded at ${bound} s; the errors are the first the guest and its kernel printed."
echo
printf '| measure | nbdroot (median, min..max of %s) |' "$rounds"
for m in $anchors; do printf ' nbd-client -persist, %s |' "$m"; done
printf '\n|---|---:|'
for _ in $anchors; do printf -- '---|'; done
printf '\n| server listening -> supervisor reconnected | %s ms (%s..%s) |' "$up_med" "$up_min" "$up_max"
for _ in $anchors; do printf ' - |'; done
printf '\n| server listening -> first guest read completed | %s ms (%s..%s) |' "$io_med" "$io_min" "$io_max"
for m in $anchors; do printf ' %s |' "${anchor_io[$m]}"; done
printf '\n| resident memory after switch_root | supervisor: %s kB |' "${rss:-?}"
for m in $anchors; do printf ' %s |' "${anchor_clients[$m]:-no nbd-client process (pidof found none)}"; done
printf '\n| nbdroot binary (static, stripped) | %s bytes |' "${bin:-?}"
for _ in $anchors; do printf ' - |'; done
echo
