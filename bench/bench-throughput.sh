#!/bin/bash
# bench-throughput: fio 4 KiB O_DIRECT sequential and random reads and writes on /dev/nbd0 in the guest, nbdroot beside dracut's nbd-client on the same export, one and several connections.
# BENCH_THROUGHPUT_RUNS (default 5) rounds of every job, BENCH_THROUGHPUT_RUNTIME (default 1) seconds a job,
# BENCH_THROUGHPUT_CONNS (default 4) connections for the multi-connection rows, BENCH_THROUGHPUT_DEPTHS
# (default "1 8"), BENCH_THROUGHPUT_CLIENTS (default "nbdroot nbdroot-multi nbd-client nbd-client-multi").
# Markdown on stdout, progress on stderr. As root.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
# shellcheck source=bench/lib.sh
. bench/lib.sh
# shellcheck source=tests/dracut/lib.sh
. tests/dracut/lib.sh

runs=${BENCH_THROUGHPUT_RUNS:-5}
runtime=${BENCH_THROUGHPUT_RUNTIME:-1}
conns=${BENCH_THROUGHPUT_CONNS:-4}
depths=${BENCH_THROUGHPUT_DEPTHS:-1 8}
clients=${BENCH_THROUGHPUT_CLIENTS:-nbdroot nbdroot-multi nbd-client nbd-client-multi}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make -s build/nbdroot >&2
img=$(bench_root)
./initramfs/build.sh --nic "virtio_net virtio_pci" -o "$work/initramfs.cpio.gz" >&2
ours="nbdroot=$SERVER_IP:10809/root $STATIC_IP root=/dev/nbd0"
fio_args="lab.test=bench-throughput lab.fio_runs=$runs lab.fio_runtime=$runtime lab.fio_depths=${depths// /,}"
njobs=$((runs * 4 * $(wc -w <<<"$depths")))
limit=$((180 + njobs * (runtime + 2) + runs * 30))

# The hook counts, on the host, the guest's established connections to the server while fio runs.
# shellcheck disable=SC2016 # expanded by the hook's shell
hook='for _ in $(seq 6000); do grep -aq "NBDROOT-BENCH: fio start" "$LAB_CONSOLE" && break; sleep 0.1; done
ss -Htn state established "sport = :$LAB_PORT" | wc -l >"$LAB_LOGDIR/connections"'

declare -A label conn_seen
failed=0
for c in $clients; do
	case $c in
	nbdroot) initrd=$work/initramfs.cpio.gz append="$ours" ;;
	nbdroot-multi) initrd=$work/initramfs.cpio.gz append="$ours nbdroot.connections=$conns" ;;
	nbd-client) initrd=$(dracut_image nbd-legacy) append="root=nbd:$SERVER_IP:root $DRACUT_STATIC_IP $DRACUT_ARGS" ;;
	# dracut passes the fifth field's comma-separated words to nbd-client.
	nbd-client-multi) initrd=$(dracut_image nbd-legacy) append="root=nbd:$SERVER_IP:root:ext4:rw:-C,$conns $DRACUT_STATIC_IP $DRACUT_ARGS" ;;
	*) echo "bench-throughput: unknown client $c" >&2; exit 2 ;;
	esac
	case $c in
	nbdroot) label[$c]="nbdroot, 1 connection" ;;
	nbdroot-multi) label[$c]="nbdroot, nbdroot.connections=$conns" ;;
	nbd-client) label[$c]="nbd-client $(dpkg-query -W -f='${Version}' nbd-client) (dracut), 1 connection" ;;
	nbd-client-multi) label[$c]="nbd-client (dracut), -C $conns" ;;
	esac
	echo "bench-throughput: $c: one boot, $runs rounds of $njobs jobs of ${runtime} s (limit ${limit} s)" >&2
	if ! ./qemu/lab.sh --case "bench-throughput-$c" --initrd "$initrd" --image "$img" --server nbdkit \
		--timeout "$limit" --keep-logs --append "$append $fio_args" --hook "$hook" \
		--expect "NBDROOT-BENCH: fio done runs=$runs" >"$work/$c.lab" 2>&1; then
		tail -n 25 "$work/$c.lab" >&2
		echo "bench-throughput: $c: the guest did not finish its jobs" >&2
		failed=1
	fi
	log=$(sed -n 's/^lab: logs kept in //p' "$work/$c.lab")
	if [ -n "$log" ] && [ -d "$log" ]; then
		tr -d '\r' <"$log/console.log" | grep -a 'NBDROOT-BENCH: fio' >"$work/$c.fio" || true
		conn_seen[$c]=$(cat "$log/connections" 2>/dev/null || echo "?")
		grep -a 'NBDROOT-BENCH: fio output' "$work/$c.fio" | head -n 3 >&2 || true
		if [ "$failed" = 0 ]; then rm -rf "$log"; fi
	else
		: >"$work/$c.fio"
		conn_seen[$c]="?"
	fi
done

# cell CLIENT JOB FIELD: "median (min – max)" of FIELD over the rounds.
cell() {
	local v
	v=$(sed -n "s/.* job=$2 .*$3=\([0-9.]*\).*/\1/p" "$work/$1.fio" | stats)
	read -r m lo hi <<<"$v"
	if [ "$m" = - ]; then echo "-"; return; fi
	echo "$m ($lo – $hi)"
}
med() { sed -n "s/.* job=$2 .*$3=\([0-9.]*\).*/\1/p" "$work/$1.fio" | stats | awk '{ print $1 }'; }
field() { case $1 in read | randread) echo read_iops ;; *) echo write_iops ;; esac; }

echo "## Throughput: 4 KiB O_DIRECT through /dev/nbd0"
echo
echo "fio $(fio --version | sed 's/^fio-//') in the guest (libaio, bs=4k, direct=1, ${runtime} s per job, time-based) on the export's raw tail (200 MiB on, 256 MiB, past the root filesystem),"
echo "nbdkit $(nbdkit --version | awk '{ print $2 }') (file plugin) in the lab netns, QEMU TCG (1 vCPU: the emulated CPU bounds these figures), same kernel, same export image."
echo "IOPS, median (min – max) of $runs rounds; connections: established TCP connections to the server counted on the host while fio ran."
echo
printf '| client | conns seen |'
for d in $depths; do printf ' seq read qd%s | rand read qd%s | seq write qd%s | rand write qd%s |' "$d" "$d" "$d" "$d"; done
echo
printf '|---|---:|'
for _ in $depths; do printf -- '---:|---:|---:|---:|'; done
echo
: >"$work/plot.dat"
for c in $clients; do
	printf '| %s | %s |' "${label[$c]}" "${conn_seen[$c]}"
	for d in $depths; do
		for rw in read randread write randwrite; do
			printf ' %s |' "$(cell "$c" "$rw-qd$d" "$(field "$rw")")"
		done
	done
	echo
done
echo
# The plot: median IOPS per job, one bar per client.
{
	printf 'job'
	for c in $clients; do printf ' "%s"' "${label[$c]}"; done
	echo
	for d in $depths; do
		for rw in read randread write randwrite; do
			printf '%s-qd%s' "$rw" "$d"
			for c in $clients; do printf ' %s' "$(med "$c" "$rw-qd$d" "$(field "$rw")" | sed 's/^-$/0/')"; done
			echo
		done
	done
} >"$work/plot.dat"
plot throughput.png "set title 'fio 4 KiB O_DIRECT on /dev/nbd0 in a QEMU TCG guest (median IOPS of $runs)';
set style data histograms; set style histogram clustered gap 1; set style fill solid 0.8 border -1;
set ylabel 'IOPS'; set yrange [0:*]; set key top right; set grid ytics; set xtics rotate by -30;
plot for [i=2:$(($(wc -w <<<"$clients") + 1))] '$work/plot.dat' using i:xtic(1) title columnheader(i)"
[ "$failed" = 0 ]
