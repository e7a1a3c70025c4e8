#!/bin/bash
# bench-initramfs-tools: Debian's mkinitramfs images with nbdroot beside the same build with bookworm's nbd-client package: size, guest uptime when the real root's init starts, and one server restart under a write/re-read workload (same kernel, lab, server and root).
# BENCH_IT_RUNS (default 5) boots per image for the boot time; BENCH_IT_OUTAGE_S
# (default 5) the restart's outage; BENCH_IT_WORKLOAD_S (default 90) how long
# the workload runs when no reconnect is counted (nbd-client keeps no status
# file). Markdown on stdout, progress on stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. bench/lib.sh
# shellcheck source-path=SCRIPTDIR source=../tests/initramfs-tools/lib.sh
. tests/initramfs-tools/lib.sh

runs=${BENCH_IT_RUNS:-5}
outage=${BENCH_IT_OUTAGE_S:-5}
workload_s=${BENCH_IT_WORKLOAD_S:-90}
[ -n "${NBDROOT_BINARY:-}" ] || make -s build/nbdroot >&2
./qemu/mkroot.sh >/dev/null

mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }

# The same root, server and address for both; each client in its own syntax.
cmdline() {
	case $1 in
	nbdroot) echo "nbdroot=$SERVER_IP:10809/root $STATIC_IP root=/dev/nbd0 $IT_ARGS" ;;
	nbd-client) echo "nbdroot=$SERVER_IP,root,nbd0 $STATIC_IP root=/dev/nbd0 $IT_ARGS" ;;
	esac
}

rows=() rrows=()
failed=0
for client in nbdroot nbd-client; do
	img=$(it_image "$client") || { failed=$((failed + 1)); continue; }
	packed=$(stat -c %s "$img")
	unpacked=$(zcat "$img" | wc -c)
	mapfile -t times < <(boot_times "bench-initramfs-tools: $client" "$runs" it_lab "$img" \
		--case "bench-it-$client" --append "$(cmdline "$client") lab.test=poweroff" --expect "$(marker_re rw ok 0)")
	failed=$((failed + runs - ${#times[@]}))
	read -r med lo hi < <(printf '%s\n' "${times[@]}" | stats)
	case $client in
	nbdroot) what="initramfs-tools + nbdroot" ;;
	nbd-client) what="initramfs-tools + nbd-client $(dpkg-query -W -f='${Version}' nbd-client) (-persist)" ;;
	esac
	rows+=("| $what | $(mb "$packed") | $(mb "$unpacked") | $med s ($lo – $hi) | ${#times[@]} |")

	# One SIGKILL restart of the server under the workload: what the root sees.
	echo "bench-initramfs-tools: $client: one ${outage} s server restart under the workload" >&2
	out=$(it_lab "$img" --case "bench-it-reconnect-$client" --timeout 400 \
		--append "$(cmdline "$client") nbdroot.timeout=10 lab.test=reconnect-workload lab.reconnects=1 lab.workload_s=$workload_s" \
		--hook ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'; wait_console 'NBDROOT-TEST: workload start' 300 && sleep 4 && restart_server $outage" \
		--expect 'NBDROOT-TEST: workload rounds=' 2>&1) || true
	line=$(sed -n 's/^lab: matched: .*NBDROOT-TEST: workload \(rounds=.*\)/\1/p' <<<"$out")
	if [ -z "$line" ]; then
		line="no workload summary: $(grep -m1 '^lab: FAIL' <<<"$out" || echo 'see the lab log')"
	fi
	rrows+=("| $what | $line |")
done

echo "## initramfs-tools: nbdroot beside nbd-client"
echo
echo "Debian's mkinitramfs (initramfs-tools-core $(dpkg-query -W -f='${Version}' initramfs-tools-core), MODULES=netboot, gzip;"
echo "qemu/mkinitramfs-tools.sh), kernel $KVER; a static ip=, nbdkit serving the lab's test root. Boot: guest uptime when the"
echo "real root's init starts. Both images hold MODULES=netboot's network drivers, most of their size."
echo
echo "| image | compressed | uncompressed | root-init uptime, median (min – max) | boots |"
echo "|---|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
echo "One SIGKILL restart of nbdkit (${outage} s outage) while the root writes, fsyncs and re-reads files"
echo "(tests/boot/root.d/reconnect-workload.sh, nbdroot.timeout=10 for nbdroot; up to ${workload_s} s of workload):"
echo
echo "| image | workload summary (ioerrors: kernel log lines of I/O errors) |"
echo "|---|---|"
printf '%s\n' "${rrows[@]}"
[ "$failed" = 0 ]
