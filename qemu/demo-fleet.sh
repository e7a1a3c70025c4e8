#!/bin/bash
# demo-fleet.sh: boots N diskless guests at once from one read-only nbdkit export, each with its RAM overlay, and prints what each saw.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

guests=4
server=nbdkit
# FLEET_ROOT_ARGS="lab.fleet_dir=/run" runs the demo on an initramfs without the overlay.
root_args=${FLEET_ROOT_ARGS:-nbdroot.overlay=tmpfs}
usage() {
	cat <<EOF
usage: qemu/demo-fleet.sh [--guests N] [--server nbdkit|qemu-nbd|nbd-server]
  Boots N guests (default 4) headless, all from one read-only export with
  nbdroot.overlay=tmpfs; each writes /fleet-<its ip> and lists the fleet files
  it sees. Prints a table, then fleet.sh's verdict (sha256, server log).
EOF
}
while [ $# -gt 0 ]; do
	case $1 in
	--guests) guests=$2; shift ;;
	--server) server=$2; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done

[ -e "${NBDROOT_CACHE:-.cache}/kernel/vmlinuz" ] || ./qemu/deps.sh
[ -x build/nbdroot ] || make build/nbdroot
# NBDROOT_INITRD: boot another initramfs (e.g. one built from a branch) instead of this tree's.
initrd=${NBDROOT_INITRD:-build/initramfs.cpio.gz}
[ -n "${NBDROOT_INITRD:-}" ] || ./initramfs/build.sh -o "$initrd" >/dev/null
./qemu/mkroot.sh

out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "demo-fleet: booting $guests guests from one read-only $server export (command line: root=/dev/nbd0 $root_args)"
rc=0
./qemu/fleet.sh --case demo-fleet --initrd "$initrd" --guests "$guests" --server "$server" \
	--timeout $((90 + 40 * guests)) --append "$root_args lab.test=fleet-client" \
	--barrier 'NBDROOT-TEST: fleet wrote ' \
	--expect 'NBDROOT-TEST: fleet own=yes others=0 ' >"$out" 2>&1 || rc=$?

# fleet.sh's rows: guest ip root-at verdict marker (the guest's "fleet own=..." line).
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"; }
printf '\n%-18s %9s  %-10s %-14s %-20s %-15s %s\n' client "boot (s)" overlay "own write seen" "others' writes seen" "marks on export" verdict
while read -r g ip up v mark; do
	[[ $g =~ ^[0-9]+$ ]] || continue
	others=$(field others "$mark")
	[ "$others" = 0 ] && others=none
	# Marks on the export device itself, this guest's or others' (none when nothing reached it).
	dev=$(field export-others "$mark")
	[ "$(field export-own "$mark")" = yes ] && dev="own${dev:+,$dev}"
	[ "$dev" = 0 ] && dev=none
	printf '%-18s %9s  %-10s %-14s %-20s %-15s %s\n' "fleet$g $ip" "$up" "$(field overlay "$mark")" \
		"$(field own "$mark")" "${others:--}" "${dev:--}" "$v"
done <"$out"
echo
grep -E '^fleet: (barrier|[0-9]+ guests|boot to|export|nbdkit|PASS|FAIL|logs)' "$out" || true
exit "$rc"
