#!/bin/bash
# run.sh: runs every dracut test (each executable tests/dracut/*.sh, or those named): images built by Debian's dracut from this checkout's module, booted in the lab; prints a summary with boot-to-root times.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 2

[ -x build/nbdroot ] || { echo "dracut: build/nbdroot missing: run make" >&2; exit 2; }
command -v dracut >/dev/null || { echo "dracut: dracut is not installed: run ./qemu/deps.sh" >&2; exit 2; }
./qemu/mkroot.sh >/dev/null || exit 2

tests=()
if [ $# -gt 0 ]; then
	for t in "$@"; do
		t=${t##*/}
		tests+=("tests/dracut/${t%.sh}.sh")
	done
else
	# The checks that boot nothing first: they are quick and say most.
	for t in tests/dracut/*.sh; do
		case ${t##*/} in run.sh | boot-*) ;; *) [ -x "$t" ] && tests+=("$t") ;; esac
	done
	for t in tests/dracut/boot-*.sh; do
		[ -x "$t" ] && tests+=("$t")
	done
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
summary=()
failed=0 skipped=0
for t in "${tests[@]}"; do
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
		verdict=SKIP # the test said why
		skipped=$((skipped + 1))
	else
		verdict=FAIL
		failed=$((failed + 1))
	fi
	summary+=("$(printf '%-4s  %-34s  root at %6s s   wall %3d s' "$verdict" "$name" "${root:--}" "$wall")")
done

echo
echo "== dracut summary"
printf '%s\n' "${summary[@]}"
echo "dracut: $((${#tests[@]} - failed - skipped)) passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
