#!/bin/bash
# build-debs.sh: builds the Debian packages (dpkg-buildpackage -us -uc -b) from a clean copy of this tree (what git knows: no build/, no .cache/) into OUTDIR.
# usage: tests/debian/build-debs.sh OUTDIR   (OUTDIR gets the .deb, .changes and .buildinfo files and build.log)
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
fail() {
	echo "nbdroot: build-debs: $*" >&2
	exit 1
}
[ $# = 1 ] || fail "expected one argument, the output folder; got $#"
out=$(realpath -m "$1")
for t in dpkg-buildpackage dh git; do
	command -v "$t" >/dev/null || fail "no $t (run ./qemu/deps.sh)"
done

version=$(dpkg-parsechangelog -l "$here/debian/changelog" -S Version)
work=$(mktemp -d "${TMPDIR:-/var/tmp}/nbdroot-debs.XXXXXX")
trap 'rm -rf "$work"' EXIT
src=$work/nbdroot-$version
mkdir -p "$src" "$out"
# Tracked and new files, edits included: what the next commit would hold.
(cd "$here" && git ls-files -z -c -o --exclude-standard) | while IFS= read -r -d '' f; do
	[ -e "$here/$f" ] || continue # deleted, not yet committed
	mkdir -p "$src/$(dirname "$f")"
	cp -a "$here/$f" "$src/$f"
done
echo "build-debs: dpkg-buildpackage -us -uc -b (nbdroot $version, in a clean copy)"
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1 ||
	fail "dpkg-buildpackage failed: $(tail -n 2 "$out/build.log" | tr '\n' ' ')(log $out/build.log)"
built=("$work"/*.deb)
[ -f "${built[0]}" ] || fail "dpkg-buildpackage made no .deb (log $out/build.log)"
rm -f "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
mv "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out/"
printf "build-debs: $out/%s\n" "${built[@]##*/}"
