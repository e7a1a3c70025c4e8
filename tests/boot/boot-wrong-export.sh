#!/bin/bash
# boot-wrong-export: an export the server does not have stops the boot with one clear line and the guest ends (reboots) by itself.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# A permanent error is not retried: the refusal is logged once, and the guest
# restarts within 10 s of guest time after it (nbdroot's retry window for a
# temporary error is about 30 s). Guest time, not wall time, so a loaded host
# does not decide the verdict.
out=$(lab --case boot-wrong-export --server nbdkit --timeout 120 --keep-logs \
	--append "nbdroot=$SERVER_IP:10809/nosuch $STATIC_IP $ROOT_ARGS" \
	--expect 'nbdroot: handshake: .*nosuch.*not found' \
	--expect 'nbdroot-init: /sbin/nbdroot failed' \
	--expect 'reboot: Restarting system' \
	--reject 'NBDROOT-TEST' \
	--reject 'EXT4-fs \(nbd' 2>&1) || { echo "$out"; exit 1; }
echo "$out"
logs=$(sed -n 's/^lab: logs kept in //p' <<<"$out")
console=$BOOT_HERE/${logs#"$BOOT_HERE"/}/console.log
[ -f "$console" ] || { echo "wrong-export: FAIL: no console log ($logs)"; exit 1; }
# The kernel's timestamp of the first refusal and of the restart.
stamp() { grep -a -m1 -E "$1" "$console" | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p'; }
refused=$(grep -a -c -E 'nbdroot: handshake: .*nosuch.*not found' "$console")
t1=$(stamp 'nbdroot: handshake: .*nosuch.*not found')
t2=$(stamp 'reboot: Restarting system')
rm -rf "$logs"
gap=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.1f", b - a }')
if [ "$refused" != 1 ] || ! awk -v g="$gap" 'BEGIN { exit !(g < 10) }'; then
	echo "wrong-export: FAIL: refused $refused times, restart ${gap} s after the first refusal (expected once, under 10 s)"
	exit 1
fi
echo "wrong-export: refused once, restart ${gap} s after it (guest time)"
