# suite.sh: runs a list of test scripts and prints a summary with boot-to-root times (tests/dracut/run.sh, tests/initramfs-tools/run.sh).
# shellcheck shell=bash

# suite_tests DIR [NAME...]: the scripts to run: those named (a path as given,
# else DIR/NAME.sh), or every executable DIR/*.sh but run.sh, the checks that
# boot nothing first (quick, and they say most), then DIR/boot-*.sh.
suite_tests() {
	local dir=$1 t
	shift
	suite=()
	if [ $# -gt 0 ]; then
		for t in "$@"; do
			if [ -f "$t" ]; then
				suite+=("$t")
			else
				t=${t##*/}
				suite+=("$dir/${t%.sh}.sh")
			fi
		done
		return 0
	fi
	for t in "$dir"/*.sh; do
		case ${t##*/} in run.sh | boot-*) ;; *) [ -x "$t" ] && suite+=("$t") ;; esac
	done
	for t in "$dir"/boot-*.sh; do
		[ -x "$t" ] && suite+=("$t")
	done
}

# suite_run TITLE: runs "${suite[@]}", each with its output teed to a log;
# exit 77 is a skip (the test said why). Prints the summary; fails if one did.
suite_run() {
	local title=$1 out t name start rc wall root verdict failed=0 skipped=0 summary=()
	out=$(mktemp -d)
	for t in "${suite[@]}"; do
		name=${t##*/}
		name=${name%.sh}
		echo "== $name"
		start=$SECONDS
		"$t" 2>&1 | tee "$out/$name.log"
		rc=${PIPESTATUS[0]}
		wall=$((SECONDS - start))
		root=$(sed -n 's/.*NBDROOT-TEST: root-init uptime=\([0-9.]*\).*/\1/p' "$out/$name.log" | head -n1)
		if [ "$rc" = 0 ]; then
			verdict=PASS
		elif [ "$rc" = 77 ]; then
			verdict=SKIP
			skipped=$((skipped + 1))
		else
			verdict=FAIL
			failed=$((failed + 1))
		fi
		summary+=("$(printf '%-4s  %-40s  root at %6s s   wall %3d s' "$verdict" "$name" "${root:--}" "$wall")")
	done
	rm -rf "$out"
	echo
	echo "== $title summary"
	printf '%s\n' "${summary[@]}"
	echo "$title: $((${#suite[@]} - failed - skipped)) passed, $failed failed, $skipped skipped"
	[ "$failed" = 0 ]
}
