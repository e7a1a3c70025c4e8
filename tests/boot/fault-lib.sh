# fault-lib.sh: host-side fault drivers for the fault-injection boot tests and the soak (sourced by lab.sh hooks, inside the netns).
# shellcheck shell=bash
# Environment from qemu/lab.sh: LAB_CONSOLE, LAB_LOGDIR, LAB_IMAGE; wait_console and say from reconnect-lib.sh.

# The served image's last 4 KiB block is where host and guest leave each other one line (last_block_put LINE,
# last_block_get); injected_errors: how many reads nbdkit's error filter has failed so far.
last_block() { echo $(($(stat -c %s "$LAB_IMAGE") / 4096 - 1)); }
last_block_put() { printf '%s\n' "$1" | dd of="$LAB_IMAGE" bs=4096 seek="$(last_block)" conv=notrunc,sync status=none; }
last_block_get() { dd if="$LAB_IMAGE" bs=4096 skip="$(last_block)" count=1 status=none | head -n 1 | tr -d '\0'; }
injected_errors() { grep -c 'error: injecting EIO error into pread' "$LAB_LOGDIR/server.log"; }

# error_window TRIGGER SECONDS: once the guest is reading (its "fault arm" line), TRIGGER exists for SECONDS
# (nbdkit's error filter fails every read meanwhile); then the count of errors nbdkit says it injected goes
# into the export's last block, "done injected=N", for the guest to compare with what it saw.
error_window() {
	local n
	wait_console 'NBDROOT-TEST: fault arm' 300 || return 1
	sleep 2
	say "errors on"
	touch "$1"
	sleep "$2"
	rm -f "$1"
	say "errors off"
	# replies to requests already taken are on their way
	sleep 1
	n=$(injected_errors)
	last_block_put "done injected=$n"
	say "injected $n errors, told the guest"
}
