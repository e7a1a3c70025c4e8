# cases.sh: picks a folder's test cases (suite_tests) and runs them NBDROOT_JOBS at a time (run_cases, default 2);
# each case's output is printed whole when it ends; then a summary with each case's verdict, boot-to-root time and
# wall time. Sourced by tests/boot/run.sh, tests/dracut/run.sh and tests/initramfs-tools/run.sh.
# shellcheck shell=bash
#
# A case whose file has the line "# cases: alone" (several guests of its own, or a timing it measures) runs
# with nothing beside it, after the others. Exit status 77 is a SKIP (the case says why); anything else
# but 0 is a FAIL.

# suite_prereq LABEL [TOOL]: what every suite needs before its first case: the
# static client built, TOOL (when named) installed, the lab's test root made;
# a missing one exits 2 with a line that says how to get it, never a skip.
suite_prereq() {
	[ -x build/nbdroot ] || { echo "$1: build/nbdroot missing: run make" >&2; exit 2; }
	[ -z "${2:-}" ] || command -v "$2" >/dev/null ||
		{ echo "$1: $2 is not installed: run ./qemu/deps.sh" >&2; exit 2; }
	./qemu/mkroot.sh >/dev/null || exit 2
}

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

# run_cases LABEL CASE...: 0 when no case failed. After the summary, each failed
# case's last CASES_TAIL (40) lines again, then the counts.
run_cases() {
	local label=$1
	shift
	local jobs=${NBDROOT_JOBS:-2} CASES_TAIL=${CASES_TAIL:-40}
	case $jobs in '' | *[!0-9]* | 0*)
		echo "$label: NBDROOT_JOBS=$jobs: expected a count of 1 or more" >&2
		return 2
		;;
	esac
	local out t name
	out=$(mktemp -d)
	local -a shared=() alone=()
	for t in "$@"; do
		if grep -qx '# cases: alone' "$t"; then alone+=("$t"); else shared+=("$t"); fi
	done
	local -A running=() started=()
	local start_all=$SECONDS

	# _case_end NAME: the case has ended (its status in NAME.exit); print its log, keep its verdict.
	_case_end() {
		local name=$1
		unset "running[$name]"
		echo "$(cat "$out/$name.exit") $((SECONDS - ${started[$name]}))" >"$out/$name.rc"
		echo "== $name"
		cat "$out/$name.log"
	}
	# Each case writes its own exit status when it ends: bash's wait -n -p
	# loses a job that ended while another was being waited for.
	_case_start() {
		local t=$1 name=${1##*/}
		name=${name%.sh}
		started[$name]=$SECONDS
		running[$name]=1
		{
			rc=0
			"$t" >"$out/$name.log" 2>&1 || rc=$?
			echo "$rc" >"$out/$name.exit.new"
			mv "$out/$name.exit.new" "$out/$name.exit"
		} &
	}
	_case_wait() {
		local name
		for (( ; ; )); do
			for name in "${!running[@]}"; do
				[ ! -e "$out/$name.exit" ] || { _case_end "$name"; return; }
			done
			sleep 0.5
		done
	}

	for t in "${shared[@]}"; do
		while [ "${#running[@]}" -ge "$jobs" ]; do _case_wait; done
		_case_start "$t"
	done
	while [ "${#running[@]}" -gt 0 ]; do _case_wait; done
	for t in "${alone[@]}"; do
		_case_start "$t"
		_case_wait
	done

	local failed=0 skipped=0 rc wall root verdict
	local -a summary=() failed_names=()
	for t in "$@"; do
		name=${t##*/}
		name=${name%.sh}
		read -r rc wall <"$out/$name.rc"
		# The root init's uptime is the guest's boot-to-root time.
		root=$(sed -n 's/.*NBDROOT-TEST: root-init uptime=\([0-9.]*\).*/\1/p' "$out/$name.log" | head -n1)
		case $rc in
		0) verdict=PASS ;;
		77) verdict=SKIP skipped=$((skipped + 1)) ;;
		*) verdict=FAIL failed=$((failed + 1)) failed_names+=("$name") ;;
		esac
		summary+=("$(printf '%-4s  %-44s  root at %6s s   wall %3d s' "$verdict" "$name" "${root:--}" "$wall")")
	done
	echo
	echo "== $label summary ($jobs at a time, $((SECONDS - start_all)) s in all)"
	printf '%s\n' "${summary[@]}"
	# a failed case's log was printed when it ended, maybe far above: its end
	# again here, where a CI log's tail shows it
	for name in "${failed_names[@]}"; do
		echo
		echo "== $name (FAIL): its last $CASES_TAIL lines"
		tail -n "$CASES_TAIL" "$out/$name.log"
	done
	rm -rf "$out"
	echo "$label: $(($# - failed - skipped)) passed, $failed failed, $skipped skipped"
	[ "$failed" = 0 ]
}
