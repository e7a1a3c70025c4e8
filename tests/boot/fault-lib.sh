# fault-lib.sh: host-side fault drivers for the fault-injection boot tests (sourced by lab.sh hooks, inside the netns).
# shellcheck shell=bash
# Environment from qemu/lab.sh: LAB_CONSOLE, LAB_LOGDIR, LAB_IMAGE; wait_console and say from reconnect-lib.sh.

# error_window TRIGGER SECONDS: once the guest is reading (its "fault arm" line), TRIGGER exists for SECONDS
# (nbdkit's error filter fails every read meanwhile); then the count of errors nbdkit says it injected goes
# into the export's last block, "done injected=N", for the guest to compare with what it saw.
error_window() {
	local n blocks
	wait_console 'NBDROOT-TEST: fault arm' 300 || return 1
	sleep 2
	say "errors on"
	touch "$1"
	sleep "$2"
	rm -f "$1"
	say "errors off"
	# replies to requests already taken are on their way
	sleep 1
	n=$(grep -c 'error: injecting EIO error into pread' "$LAB_LOGDIR/server.log")
	blocks=$(($(stat -c %s "$LAB_IMAGE") / 4096))
	printf 'done injected=%s\n' "$n" |
		dd of="$LAB_IMAGE" bs=4096 seek=$((blocks - 1)) conv=notrunc,sync status=none
	say "injected $n errors, told the guest"
}
