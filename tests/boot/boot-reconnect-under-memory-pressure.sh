#!/bin/bash
# boot-reconnect-under-memory-pressure: with ~55% of the guest's RAM dirty in page cache on nbd0, the server is
# SIGKILLed, a hog takes all but 24 MB of what is free, and the server returns 5 s later: the supervisor (mlockall,
# PR_SET_IO_FLUSHER, oom_score_adj -1000) reconnects, sync completes, the data re-read matches, no I/O error, no hang,
# the supervisor neither OOM-killed nor restarted. Prints the time from the server's return to the reconnect.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$BOOT_HERE/qemu/mkroot.sh" --print >/dev/null
rc=0
# a 1 GB root: room for the dirty file (the test root's image is 64 MB)
lab --case boot-reconnect-under-memory-pressure --server nbdkit --timeout 420 \
	--root-dir "$LAB_CACHE/testroot" --image-size 1G --label nbdroot-test \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP nbdroot.timeout=10 root=/dev/nbd0 lab.test=memory-pressure" \
	--hook ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'
wait_console 'NBDROOT-TEST: memory-pressure dirty' 300 || exit 1
say 'server stop'
\"\$LAB_SERVER_STOP\"
wait_console 'NBDROOT-TEST: memory-pressure holding' 200 || exit 1
sleep 5
restart_server 0
t0=\$(date +%s%N)
wait_console 'supervise: /dev/nbd0: down -> up' 300 || exit 1
echo \$(((\$(date +%s%N) - t0) / 1000000)) >'$work/resume-ms'" \
	--expect 'NBDROOT-TEST: memory-pressure holding hog=[0-9]+MB held=yes' \
	--expect 'NBDROOT-TEST: memory-pressure resumed' \
	--expect 'NBDROOT-TEST: memory-pressure done mismatch=0 ioerrors=0 oom-kills=[0-9]+ supervisor-oom-kills=0 supervisor-restarts=0 supervisor-pid-same=yes reconnects=1' \
	--expect 'NBDROOT-TEST: test memory-pressure exit=0' \
	--reject 'NBDROOT-TEST: memory-pressure FAIL' --reject 'I/O error|EXT4-fs error|Buffer I/O error|blocked for more than' "$@" || rc=1
echo "lab: boot-reconnect-under-memory-pressure: reconnected $(awk '{ printf "%.1f", $1 / 1000 }' "$work/resume-ms" 2>/dev/null || echo '(not measured)') s after the server was back (host side, console polled every 0.2 s)"
exit "$rc"
