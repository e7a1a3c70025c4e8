#!/bin/bash
# boot-rescue-shell: with nbdroot.shell, a boot failure drops to the initramfs's shell on the console (it runs commands), and leaving it reboots.
# SC2317: cleanup runs from a trap; SC2016: the shell in the guest expands.
# shellcheck source-path=SCRIPTDIR source=lib.sh disable=SC2317,SC2016
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
lab_pid=
cleanup() {
	exec 3>&- 2>/dev/null || true
	[ -z "$lab_pid" ] || wait "$lab_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
# QEMU may be gone (no shell started) when the line is sent.
trap '' PIPE
mkfifo "$work/console-in"
# The serial console on stdio (lab.sh --interactive): typed input reaches the
# shell only once it runs, so the line is sent when the init says it starts it.
lab --case boot-rescue-shell --interactive --timeout 90 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP rootfstype=xfs nbdroot.shell $ROOT_ARGS" \
	<"$work/console-in" >"$work/out" 2>&1 &
lab_pid=$!
exec 3>"$work/console-in"
for _ in $(seq 300); do
	grep -q 'nbdroot.shell: starting /bin/sh' "$work/out" && break
	kill -0 "$lab_pid" 2>/dev/null || break
	sleep 0.3
done
sleep 2
# $((6*7)) is 42 only if a shell evaluated it; the echoed input shows it unexpanded.
printf 'echo RESCUE-$((6*7)) $(cat /proc/1/comm)\nexit\n' >&3 2>/dev/null || true
wait "$lab_pid"
lab_pid=
tr -d '\r' <"$work/out" >"$work/console.txt"
reason=
grep -q 'nbdroot-init: root filesystem type "xfs" is unknown' "$work/console.txt" || reason="no failure line"
grep -q 'nbdroot.shell: starting /bin/sh' "$work/console.txt" || reason=${reason:-"the init did not start the shell"}
grep -q '^RESCUE-42 init' "$work/console.txt" || reason=${reason:-"the shell did not run the command"}
grep -q 'rebooting in 5 s' "$work/console.txt" || reason=${reason:-"no reboot after the shell"}
grep -q 'reboot: Restarting system' "$work/console.txt" || reason=${reason:-"the guest did not reboot"}
if [ -z "$reason" ]; then
	grep -m1 '^RESCUE-42' "$work/console.txt" | sed 's/^/lab: matched: /'
	echo "lab: PASS boot-rescue-shell"
	exit 0
fi
tail -n 15 "$work/console.txt" | sed 's/^/  | /'
echo "lab: FAIL boot-rescue-shell: $reason"
exit 1
