# lib.sh: statistics and plots shared by the benchmarks (sourced).
# shellcheck shell=bash

# stats < numbers (one a line) -> "median min max" (median of an even count: the lower middle)
stats() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "- - -"; exit }
		printf "%s %s %s\n", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

# plot PNG GNUPLOT-SCRIPT: renders the script (which plots from files it names) into bench/results/PNG;
# a missing gnuplot is reported, not fatal (the tables stand alone). Prints the markdown image link.
plot() {
	local png=$1 script=$2
	if ! command -v gnuplot >/dev/null; then
		echo "bench: no gnuplot, $png not drawn (qemu/deps.sh installs gnuplot-nox)" >&2
		return 0
	fi
	mkdir -p bench/results
	if gnuplot -e "set terminal pngcairo size 900,500 font ',10'; set output 'bench/results/$png'" -e "$script" >&2; then
		echo "![${png%.png}]($png)"
	else
		echo "bench: gnuplot failed for $png" >&2
	fi
}
