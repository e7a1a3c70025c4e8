#!/bin/bash
# run.sh: runs every benchmark (executable bench/bench-*.sh, or those named) and gathers their tables into bench/results/results.md.
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
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
{
	echo "# nbdroot benchmarks"
	echo
	echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d) ($(nproc) cores, QEMU TCG guests, kernel $(cat .cache/kernel/version 2>/dev/null))."
} >"$tmp"
failed=0
walls=()
t_all=$SECONDS
for b in "${benches[@]}"; do
	echo "== ${b##*/}" >&2
	t0=$SECONDS
	if section=$("$b"); then
		printf '\n%s\n' "$section" >>"$tmp"
		verdict=ok
	else
		failed=$((failed + 1))
		printf '\n## %s\n\nFAILED: see the output of make bench.\n' "${b##*/}" >>"$tmp"
		verdict=FAILED
	fi
	wall=$((SECONDS - t0))
	echo "== ${b##*/}: $verdict, wall time $((wall / 60)) min $((wall % 60)) s" >&2
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
chmod 644 "$tmp"
mv "$tmp" "$out"
trap - EXIT
cat "$out"
echo "bench: results in $out; $failed failed; wall time $((wall / 60)) min $((wall % 60)) s" >&2
[ "$failed" = 0 ]
