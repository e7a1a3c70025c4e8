#!/bin/bash
# run.sh: runs every boot test (each executable tests/boot/*.sh, or those named), prints a summary with boot-to-root times.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 2

[ -x build/nbdroot ] || { echo "boot: build/nbdroot missing: run make" >&2; exit 2; }
./initramfs/build.sh -o build/initramfs.cpio.gz || exit 2
./qemu/mkroot.sh >/dev/null || exit 2

tests=()
if [ $# -gt 0 ]; then
	for t in "$@"; do
		# a path as given (tests/boot/long/...), else a name in tests/boot
		if [ -f "$t" ]; then
			tests+=("$t")
		else
			t=${t##*/}
			tests+=("tests/boot/${t%.sh}.sh")
		fi
	done
else
	for t in tests/boot/*.sh; do
		[ "${t##*/}" = run.sh ] || [ ! -x "$t" ] || tests+=("$t")
	done
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
summary=()
failed=0
for t in "${tests[@]}"; do
	name=${t##*/}
	name=${name%.sh}
	echo "== $name"
	start=$SECONDS
	"$t" 2>&1 | tee "$out/$name.log"
	rc=${PIPESTATUS[0]}
	wall=$((SECONDS - start))
	# The root init's uptime is the guest's boot-to-root time.
	root=$(sed -n 's/.*NBDROOT-TEST: root-init uptime=\([0-9.]*\).*/\1/p' "$out/$name.log" | head -n1)
	if [ "$rc" = 0 ]; then
		verdict=PASS
	else
		verdict=FAIL
		failed=$((failed + 1))
	fi
	summary+=("$(printf '%-4s  %-28s  root at %6s s   wall %3d s' "$verdict" "$name" "${root:--}" "$wall")")
done

echo
echo "== boot summary"
printf '%s\n' "${summary[@]}"
echo "boot: $((${#tests[@]} - failed)) passed, $failed failed"
[ "$failed" = 0 ]
