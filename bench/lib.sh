# lib.sh: statistics shared by the benchmarks (sourced).

# stats < numbers (one a line) -> "median min max" (median of an even count: the lower middle)
stats() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "- - -"; exit }
		printf "%s %s %s\n", v[int((NR + 1) / 2)], v[1], v[NR] }'
}
