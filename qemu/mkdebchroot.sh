#!/bin/bash
# mkdebchroot.sh: builds (once, cached) a clean minimal Debian bookworm tree with debootstrap, for package tests to copy and install into.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cache=${NBDROOT_CACHE:-$here/.cache}
base=$cache/debchroot.base
suite=bookworm
variant=minbase
mirror=$("$here/qemu/mirror.sh")

usage() {
	echo "usage: qemu/mkdebchroot.sh [--force] [--print]"
	echo "  debootstrap --variant=$variant $suite from $mirror into $base (once);"
	echo "  --print prints its path"
}
force='' print=''
while [ $# -gt 0 ]; do
	case $1 in
	--force) force=1 ;;
	--print) print=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 1 ;;
	esac
	shift
done

stamp=$(echo "$suite $variant $mirror v1" | sha256sum | cut -d' ' -f1)
if [ -n "$force" ] || [ "$(cat "$base.stamp" 2>/dev/null)" != "$stamp" ]; then
	mkdir -p "$cache"
	exec 9>"$base.lock"
	flock 9
	# Another run may have built it while this one waited for the lock.
	if [ -n "$force" ] || [ "$(cat "$base.stamp" 2>/dev/null)" != "$stamp" ]; then
		command -v debootstrap >/dev/null ||
			{ echo "nbdroot: mkdebchroot: no debootstrap (run ./qemu/deps.sh)" >&2; exit 1; }
		echo "mkdebchroot: debootstrap --variant=$variant $suite from $mirror (a few minutes, once)" >&2
		rm -rf "$base.new"
		debootstrap --variant="$variant" "$suite" "$base.new" "$mirror" >"$base.log" 2>&1 || {
			tail -n 5 "$base.log" >&2
			echo "nbdroot: mkdebchroot: debootstrap $suite failed (log $base.log)" >&2
			exit 1
		}
		rm -f "$base.new/var/cache/apt/archives"/*.deb
		rm -rf "$base"
		mv "$base.new" "$base"
		echo "$stamp" >"$base.stamp"
		echo "mkdebchroot: $base" >&2
	fi
fi
[ -z "$print" ] || echo "$base"
