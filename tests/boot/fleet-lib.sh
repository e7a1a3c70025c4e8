# fleet-lib.sh: shared by the fleet boot tests: N guests from one read-only export, each with its RAM overlay (qemu/fleet.sh).
# shellcheck shell=bash
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
FLEET=$BOOT_HERE/qemu/fleet.sh

# The guests' writable layer. FLEET_ROOT_ARGS replaces it, e.g. with
# "lab.fleet_dir=/run" to check the lab itself on an initramfs that has no
# overlay yet (the files then go to each guest's /run, and the overlay is not
# expected).
FLEET_ROOT_ARGS=${FLEET_ROOT_ARGS:-nbdroot.overlay=tmpfs}

# fleet_case CASE SERVER GUESTS [FLEET.SH ARGS...]: every guest boots from DHCP's one root-path,
# writes /fleet-<its ip>, waits until all have written (the barrier), and must
# then see its own file and none of the others', and no guest's mark on the
# export device (/dev/nbd0) itself; fleet.sh adds the export's
# unchanged sha256 and, for nbdkit, a request log without Write, Trim, Zero or
# Flush and with no connection offered writes.
fleet_case() {
	local case_name=$1 server=$2 n=$3 root_re='overlay=on write=yes dir=/ export-own=no export-others=0 *$'
	shift 3
	case $FLEET_ROOT_ARGS in *nbdroot.overlay=*) ;; *) root_re='write=yes .* export-own=no export-others=0' ;; esac
	"$FLEET" --initrd "$INITRD" --case "$case_name" --server "$server" --guests "$n" \
		--timeout $((90 + 40 * n)) \
		--append "$FLEET_ROOT_ARGS lab.test=fleet-client" \
		--barrier 'NBDROOT-TEST: fleet wrote ' \
		--expect 'NBDROOT-TEST: root-init uptime=' \
		--expect 'NBDROOT-TEST: fleet barrier=passed' \
		--expect "NBDROOT-TEST: fleet own=yes others=0 .*$root_re" \
		--expect 'NBDROOT-TEST: test fleet-client exit=0' "$@"
}
