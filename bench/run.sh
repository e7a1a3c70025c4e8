#!/bin/bash
# run.sh: runs every benchmark (executable bench/bench-*.sh, or those named) and gathers their tables into bench/results/results.md.
# Contract for a benchmark: it prints its progress to stderr and a markdown
# section (a "## title" line, then a table: our figures beside the anchors',
# median with min and max of >= 5 runs) to stdout; a non-zero exit marks it failed.
# A benchmark named in own_file keeps its section in a results file of its own (measured
# at another time than the rest); results.md then points to it, and a run of only such
# benchmarks leaves results.md as it was.
set -uo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 2
mkdir -p bench/results

benches=()
if [ $# -gt 0 ]; then
	for b in "$@"; do
		b=${b##*/}
		benches+=("bench/${b%.sh}.sh")
	done
else
	for b in bench/bench-*.sh; do
		[ -x "$b" ] && benches+=("$b")
	done
fi

out=bench/results/results.md
declare -A own_file=([bench-fleet]=bench/results/fleet.md)
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
{
	echo "# nbdroot benchmarks"
	echo
	echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d) ($(nproc) cores, QEMU TCG guests, kernel $(cat .cache/kernel/version 2>/dev/null))."
} >"$tmp"
failed=0
shared=0
walls=()
t_all=$SECONDS
for b in "${benches[@]}"; do
	echo "== ${b##*/}" >&2
	t0=$SECONDS
	name=${b##*/}
	name=${name%.sh}
	own=${own_file[$name]:-}
	[ -n "$own" ] || shared=$((shared + 1))
	if section=$("$b"); then
		verdict=ok
	else
		failed=$((failed + 1))
		verdict=FAILED
	fi
	wall=$((SECONDS - t0))
	echo "== ${b##*/}: $verdict, wall time $((wall / 60)) min $((wall % 60)) s" >&2
	if [ -n "$own" ]; then
		# a failed run's partial tables are kept too: they are still measurements
		{
			printf '%s\n\n' "$section"
			[ "$verdict" = ok ] || echo "FAILED: see the output of make bench."
			echo "Wall time of this benchmark: $((wall / 60)) min $((wall % 60)) s."
		} >"$own"
		chmod 644 "$own"
		printf '\n## %s\n\nIn [%s](%s), measured %s (%s).\n' "$name" "${own#bench/results/}" \
			"${own#bench/results/}" "$(date -u +%Y-%m-%d)" "$verdict" >>"$tmp"
		echo "== ${b##*/}: results in $own" >&2
	elif [ "$verdict" = ok ]; then
		printf '\n%s\n' "$section" >>"$tmp"
	else
		printf '\n## %s\n\nFAILED: see the output of make bench.\n' "${b##*/}" >>"$tmp"
	fi
	walls+=("| ${b##*/} | $((wall / 60)) min $((wall % 60)) s | $verdict |")
done
wall=$((SECONDS - t_all))
{
	echo
	echo "## Wall time of this run"
	echo
	echo "| benchmark | wall time | result |"
	echo "|---|---:|---|"
	printf '%s\n' "${walls[@]}"
	echo "| all | $((wall / 60)) min $((wall % 60)) s | $failed failed |"
} >>"$tmp"
if [ "$shared" = 0 ]; then
	out="the benchmarks' own files (results.md unchanged)"
	cat "$tmp"
else
	chmod 644 "$tmp"
	mv "$tmp" "$out"
	trap - EXIT
	cat "$out"
fi
echo "bench: results in $out; $failed failed; wall time $((wall / 60)) min $((wall % 60)) s" >&2
[ "$failed" = 0 ]
