#!/bin/bash
# bench-fleet: a fleet booting at once from one read-only export: N = 1, 2, 4, 8 QEMU guests (boot time, host CPU), then one real boot's reads replayed by up to 512 NBD clients against nbdkit, nbd-server and qemu-nbd, beside the field's figure (nbd issue 150).
# BENCH_FLEET_GUESTS (default "1 2 4 8"); BENCH_FLEET_APPEND: more guest command line; BENCH_FLEET_READS=FILE replays that recording (made from
# qemu/mksystemdroot.sh's image, see its header) instead of recording a systemd boot now; part B's
# other knobs are bench/fleet-replay.sh's. Markdown on stdout (bench/run.sh puts it in
# bench/results/fleet.md), progress on stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
# shellcheck source=bench/lib.sh
. bench/lib.sh

guests=${BENCH_FLEET_GUESTS:-1 2 4 8}
budget=${BENCH_FLEET_SECONDS:-60} # the boot time an operator asks about
cache=${NBDROOT_CACHE:-$here/.cache}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make -s build/nbdroot build/nbd-replay >&2
./initramfs/build.sh -o "$work/initramfs.cpio.gz" >&2
./qemu/mkroot.sh >/dev/null
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
load_start=$(loadavg)

# --- part A: N guests at once, each to its root's init ------------------------
rows_a=()
failed_a=0
for n in $guests; do
	echo "bench-fleet: $n guest(s) at once from one nbdkit -r export" >&2
	before=$(cpu_mark)
	la0=$(loadavg)
	rc=0
	# Generous: 8 TCG guests on 2 shared cores take minutes.
	./qemu/fleet.sh --case "bench-fleet-$n" --initrd "$work/initramfs.cpio.gz" --guests "$n" \
		--timeout $((120 + 60 * n)) --append "nbdroot.overlay=tmpfs lab.test=poweroff ${BENCH_FLEET_APPEND:-}" \
		--expect 'NBDROOT-TEST: root-init uptime=' >"$work/fleet-$n.out" 2>&1 || rc=$?
	busy=$(cpu_busy "$before" "$(cpu_mark)")
	la1=$(loadavg)
	out=$(cat "$work/fleet-$n.out")
	read -r med worst got < <(sed -n "s/^fleet: boot to the root's init (guest uptime): median \([0-9.]*\) s, worst \([0-9.]*\) s, \([0-9]*\) of .*/\1 \2 \3/p" <<<"$out") || true
	wall=$(sed -n 's/^fleet: .* all ended after \([0-9]*\) s of wall time/\1/p' <<<"$out")
	nreads=$(sed -n 's/^fleet: nbdkit requests: .* Read=\([0-9]*\) .*/\1/p' <<<"$out")
	verdict=$(grep -m1 '^fleet: \(PASS\|FAIL\)' <<<"$out" || echo "fleet: no verdict (exit $rc)")
	[ "$rc" = 0 ] || { failed_a=1; echo "bench-fleet: $verdict" >&2; tail -n 20 "$work/fleet-$n.out" >&2; }
	rows_a+=("| $n | ${med:--} s | ${worst:--} s | ${got:-0} of $n | ${wall:--} s | $busy % | $la0 -> $la1 | ${nreads:--} | ${verdict#fleet: } |")
done

load_a=$(loadavg)

# --- the recording: one real boot's reads, from nbdkit's log filter -------------
sysimg=$(./qemu/mksystemdroot.sh --print) || { echo "nbdroot: bench-fleet: qemu/mksystemdroot.sh failed" >&2; exit 1; }
reads=bench/results/fleet-boot-reads.txt
if [ -n "${BENCH_FLEET_READS:-}" ]; then
	reads=$BENCH_FLEET_READS
	echo "bench-fleet: replaying $reads (recorded earlier)" >&2
else
	echo "bench-fleet: recording one systemd root's boot (nbdkit log filter)" >&2
	rc=0
	./qemu/fleet.sh --case bench-fleet-record --initrd "$work/initramfs.cpio.gz" --guests 1 \
		--image "$sysimg" --memory 512 --timeout 600 --keep-logs \
		--append "nbdroot.overlay=tmpfs lab.test=poweroff" \
		--expect 'NBDROOT-TEST: systemd-root uptime=' >"$work/record.out" 2>&1 || rc=$?
	logdir=$(sed -n 's/^fleet: logs kept in //p' "$work/record.out")
	if [ "$rc" != 0 ] || [ -z "$logdir" ]; then
		tail -n 20 "$work/record.out" >&2
		echo "nbdroot: bench-fleet: the recording boot failed (exit $rc)" >&2
		exit 1
	fi
	up=$(sed -n 's/.*NBDROOT-TEST: systemd-root uptime=\([0-9.]*\).*/\1/p' "$logdir/console-0.log" | head -n1)
	{
		echo "# fleet-boot-reads.txt: the reads of one boot, in arrival order, as \"<offset> <length>\" (bench/nbd-replay.c's input)."
		echo "# Made by bench/bench-fleet.sh on $(date -u +%Y-%m-%d): qemu/fleet.sh --guests 1 --image <qemu/mksystemdroot.sh's image>"
		echo "# --append 'nbdroot.overlay=tmpfs lab.test=poweroff', nbdkit -r with its log filter (bench/lib.sh boot_reads);"
		echo "# a debootstrap bookworm systemd root, from the first read (nbdroot's fingerprint) to poweroff;"
		echo "# lab-test.service ran at ${up:-?} s of guest uptime. Image: $(stat -c %s "$sysimg") bytes, sha256 $(sha256sum "$sysimg" | cut -c1-16)."
		boot_reads "$logdir/nbdkit-requests.log"
	} >"$reads"
	rm -rf "$logdir"
fi
nr=$(grep -vc '^#' "$reads")
bytes=0
while read -r _ len; do bytes=$((bytes + len)); done < <(grep -v '^#' "$reads")
mib=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')

# --- part B: the servers at scale, no guests -------------------------------------
export BENCH_FLEET_DATA=$work/replay.dat
rc=0
rows_b=$(./bench/fleet-replay.sh "$sysimg" "$reads") || rc=$?

# What an operator reads off: the largest measured N whose p99 is within the budget, and what the
# server's throughput at the largest N would move in that time (a projection, marked as one).
reads_off=()
for srv in nbdkit nbd-server qemu-nbd; do
	grep -q "^$srv " "$BENCH_FLEET_DATA" 2>/dev/null || continue
	reads_off+=("$(awk -v s="$srv" -v b="$budget" -v m="$mib" '$1 == s { if ($3 <= b * 1000 && $2 > best) best = $2; last = $2; rate = $4 }
		END { printf "| %s | %s | %d |\n", s, best ? best : "none", rate * b / m }' "$BENCH_FLEET_DATA")")
done

echo "## Fleet: many clients booting at once from one read-only export"
echo
echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, kernel $(cat "$cache/kernel/version" 2>/dev/null). Host load average (1, 5, 15 min) at the start: $load_start; after part A: $load_a; at the end: $(loadavg) (part B's own hundreds of client threads and the servers' count in that one)."
echo "Anything else running on the host is in these figures too (the load average at the start says how much): compare rows within one run."
echo
echo "### A: N QEMU guests started together (qemu/fleet.sh, nbdkit -r, nbdroot.overlay=tmpfs)"
echo
echo "Each guest boots the lab's test root (qemu/mkroot.sh, busybox) from the one export through its own RAM overlay; boot time is the guest's uptime when the root's init starts."
echo "One run per N (N guests give N samples). Under TCG every guest is an emulated CPU on the host's $(nproc) cores: the host CPU bounds these figures, not the server (host CPU: busy share of all cores, from /proc/stat, over the run; load average before -> after)."
echo
echo "| guests | median boot | worst boot | booted | wall time | host CPU busy | load average | nbdkit reads (all guests) | fleet.sh |"
echo "|---:|---:|---:|---:|---:|---:|---|---:|---|"
printf '%s\n' "${rows_a[@]}"
echo
echo "### B: the servers at scale, without guests (bench/nbd-replay.c on loopback)"
echo
echo "The recording: $reads, $nr reads ($mib MiB) of one systemd root's boot (see its header). Each client connects, negotiates with nbdroot's own handshake (NBD_OPT_GO), retrying a refused or reset connection as nbdroot's boot does (after 250 ms, doubling to 4 s, within 30 s), then sends the recorded reads in order, one at a time (a kernel mostly has one or a few in flight), checking each reply with nbdroot's reply parser. All clients start together; time per client: start to its last byte; p50 and p99 are over the clients that finished (the result column says how many did not)."
echo "Server on 127.0.0.1 in a private netns, restarted for every round, image read-only ($(stat -c %s "$sysimg") bytes). The image is in the host's page cache (the recording boot read it): these are the servers' costs, not a disk's. Median over the rounds (column: more for small N; a round of hundreds of clients is hundreds of samples); worst: the slowest client of all rounds; memory: the largest over the rounds, read while all N clients are connected after their reads (peak RSS summed over the server's processes, which counts pages shared after fork once per process; Pss shares them out)."
echo
echo "| server | clients | rounds | p50 per client | p99 per client | worst | MiB/s | requests/s | peak RSS (processes) | Pss | result |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
echo "$rows_b"
echo
echo "### Beside the field"
echo
echo "The anchor, [nbd issue 150](https://github.com/NetworkBlockDevice/nbd/issues/150): an LTSP lab (Ubuntu 20.04, 9 GB squashfs image, gigabit) with 5 nbd-servers; when 60 or more clients start at once (about 20 per server), they take over 5 minutes to the login screen, with the servers' CPU and network nearly idle."
echo "Here, what one server on this host does for clients that each read the boot above: the largest measured N whose p99 is within $budget s, and, as a projection from the throughput measured at the largest N (not a measurement), how many such boots that throughput moves in $budget s. Loopback has no link limit: on gigabit (about 119 MiB/s), $budget s move at most $(awk -v m="$mib" -v b="$budget" 'BEGIN { printf "%d", 119 * b / m }') of these boots."
echo
echo "| server | clients within $budget s at p99 (measured) | boots in $budget s at the measured throughput (projection) |"
echo "|---|---:|---:|"
printf '%s\n' "${reads_off[@]}"
[ "$rc" = 0 ] && [ "$failed_a" = 0 ]
