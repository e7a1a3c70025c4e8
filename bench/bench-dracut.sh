#!/bin/bash
# bench-dracut: dracut images with nbdroot beside the same images with dracut's own nbd module (nbd-client): size, and guest uptime when the real root's init starts (same kernel, lab, server and root).
# BENCH_DRACUT_RUNS (default 5) boots per image; BENCH_DRACUT_FLAVOURS (default
# "systemd legacy"): systemd initrd and/or dracut's shell init, both with
# network-legacy (dhclient). Markdown on stdout, progress on stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. bench/lib.sh
# shellcheck source-path=SCRIPTDIR source=../tests/dracut/lib.sh
. tests/dracut/lib.sh

runs=${BENCH_DRACUT_RUNS:-5}
flavours=${BENCH_DRACUT_FLAVOURS:-systemd legacy}
# NBDROOT_BINARY: measure that binary instead of building this tree's.
[ -n "${NBDROOT_BINARY:-}" ] || make -s build/nbdroot >&2
./qemu/mkroot.sh >/dev/null

mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }

rows=()
failed=0
plotdat=$(mktemp)
trap 'rm -f "$plotdat"' EXIT
for fl in $flavours; do
	for client in nbdroot nbd; do
		name=$fl
		[ "$client" = nbd ] && name=nbd-$fl
		img=$(dracut_image "$name") || { failed=$((failed + 1)); continue; }
		packed=$(stat -c %s "$img")
		unpacked=$(zcat "$img" | wc -c)
		mapfile -t times < <(boot_times "bench-dracut: $name" "$runs" "$LAB" --initrd "$img" --timeout 180 \
			--case "bench-dracut-$name" --append "root=nbd:$SERVER_IP:root $DRACUT_STATIC_IP $DRACUT_ARGS" \
			--expect "$(dracut_marker_re '')")
		failed=$((failed + runs - ${#times[@]}))
		read -r med lo hi < <(printf '%s\n' "${times[@]}" | stats)
		case $client in
		nbdroot) what="dracut + nbdroot" ;;
		nbd) what="dracut + nbd-client $(dpkg-query -W -f='${Version}' nbd-client) (dracut's nbd module)" ;;
		esac
		case $fl in
		systemd) what="$what, systemd initrd" ;;
		legacy) what="$what, dracut's shell init" ;;
		esac
		rows+=("| $what | $(mb "$packed") | $(mb "$unpacked") | $med s ($lo – $hi) | ${#times[@]} |")
		short=$what
		case $what in *" ("*")"*) short="${what%% (*}${what#*)}" ;; esac
		[ "$med" = - ] || printf '"%s" %s %s %s\n' "$short" "$med" "$lo" "$hi" >>"$plotdat"
	done
done

echo "## dracut: nbdroot beside nbd-client"
echo
echo "Debian's dracut $(dpkg-query -W -f='${Version}' dracut-core) (--no-hostonly, gzip, network-legacy), kernel $KVER;"
echo "root=nbd:$SERVER_IP:root with a static ip=, nbdkit serving the lab's test root. Boot: guest uptime when the real root's init starts."
echo
echo "| image | compressed | uncompressed | root-init uptime, median (min – max) | boots |"
echo "|---|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
plot boot-dracut.png "set title 'dracut images: guest uptime when the real root init starts (median, min-max of $runs boots)';
set style data histograms; set style histogram errorbars gap 1 lw 1; set style fill solid 0.7 border -1;
set ylabel 'seconds'; set yrange [0:*]; set grid ytics; set xtics rotate by -20 font ',8'; unset key;
plot '$plotdat' using 2:3:4:xtic(1)"
[ "$failed" = 0 ]
