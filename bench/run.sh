#!/bin/bash
# run.sh: runs every benchmark (executable bench/bench-*.sh, or those named) and puts their tables into bench/results/results.md, replacing the sections of those it ran.
# Contract for a benchmark: it prints its progress to stderr and a markdown
# section (a "## title" line, then a table: our figures beside the anchors',
# median with min and max of >= 5 runs) to stdout; a non-zero exit marks it failed.
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
# results.md holds one section per benchmark, each after a line
#   <!-- bench: NAME measured DATE wall M min S s RESULT -->
# A run replaces the sections of the benchmarks it ran and keeps the others as they were measured.
# A benchmark with a file of its own (its tables are long) gets a pointer to it in results.md.
declare -A own_file=([bench-fleet.sh]=bench/results/fleet.md)
parts=$(mktemp -d)
trap 'rm -rf "$parts"' EXIT
[ -f "$out" ] && awk -v dir="$parts" '
	/^<!-- bench: / { f = dir "/" $3; print > f; next }
	/^## (Wall time of this run|When each section was measured)/ { f = "" }
	f != "" { print > f }' "$out"
failed=0
t_all=$SECONDS
for b in "${benches[@]}"; do
	name=${b##*/}
	echo "== $name" >&2
	t0=$SECONDS
	if section=$("$b"); then
		verdict=ok
	else
		failed=$((failed + 1))
		section=$(printf '## %s\n\nFAILED: see the output of make bench.' "$name")
		verdict=FAILED
	fi
	wall=$((SECONDS - t0))
	own=${own_file[$name]:-}
	if [ -n "$own" ]; then
		# a failed run's partial tables are kept too: they are still measurements
		printf '%s\n\nWall time of this benchmark: %d min %d s (%s).\n' "$section" $((wall / 60)) $((wall % 60)) \
			"$verdict" >"$own"
		chmod 644 "$own"
		section=$(printf '## %s\n\nIn [%s](%s).' "${name%.sh}" "${own#bench/results/}" "${own#bench/results/}")
		echo "== $name: results in $own" >&2
	fi
	printf '<!-- bench: %s measured %s wall %d min %d s %s -->\n%s\n\n' "$name" "$(date -u +%Y-%m-%d)" \
		$((wall / 60)) $((wall % 60)) "$verdict" "$section" >"$parts/$name"
	echo "== $name: $verdict, wall time $((wall / 60)) min $((wall % 60)) s" >&2
done
wall=$((SECONDS - t_all))
tmp=$parts/results.md
{
	echo "# nbdroot benchmarks"
	echo
	echo "Measured by \`make bench\` ($(nproc) cores, QEMU TCG guests, kernel $(cat "${NBDROOT_CACHE:-.cache}/kernel/version" 2>/dev/null)); the table at the end says when each section was measured."
	echo
	cat "$parts"/bench-*
	echo "## When each section was measured"
	echo
	echo "| benchmark | measured | wall time | result |"
	echo "|---|---|---:|---|"
	sed -n 's/^<!-- bench: \([^ ]*\) measured \([^ ]*\) wall \(.*\) \([^ ]*\) -->$/| \1 | \2 | \3 | \4 |/p' "$parts"/bench-*
} >"$tmp"
chmod 644 "$tmp"
mv "$tmp" "$out"
cat "$out"
echo "bench: results in $out; this run: ${#benches[@]} benchmarks, $failed failed, wall time $((wall / 60)) min $((wall % 60)) s" >&2
[ "$failed" = 0 ]
