#!/bin/bash
# boot-fault-injected-errors-reach-guest-only-where-served: nbdkit's error filter fails every read while a
# trigger file exists (1.5 s, made and removed by the host); the guest's O_DIRECT reads of a raw region past its
# filesystem fail exactly then, as many as nbdkit injected, each logged by the kernel inside that region; every
# read before and after returns the right bytes, and the root filesystem, the connection and the supervisor
# (state up, 0 reconnects) are unharmed.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
dir=$(mktemp -d "${TMPDIR:-/var/tmp}/nbdroot-fault.XXXXXX")
trap 'rm -rf "$dir"' EXIT
# The test root, then 4 MiB no filesystem covers: block K is "raw-block-K" lines.
cp --sparse=always "$("$BOOT_HERE/qemu/mkroot.sh" --print)" "$dir/root.img"
python3 -c '
import sys
with open(sys.argv[1], "ab") as f:
    for k in range(1024):
        f.write(("raw-block-%05d\n" % k).encode() * 256)
' "$dir/root.img"
lab --case boot-fault-injected-errors-reach-guest-only-where-served --server nbdkit --timeout 170 \
	--image "$dir/root.img" \
	--server-arg=--filter=error --server-param=error-pread-rate=100% \
	--server-param="error-pread-file=$dir/inject" \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP root=/dev/nbd0 lab.test=fault-errors" \
	--hook ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'; . '$BOOT_HERE/tests/boot/fault-lib.sh'; error_window '$dir/inject' 1.5" \
	--expect 'NBDROOT-TEST: fault before=64/64 window=o+E+o+ errors=[1-9][0-9]* injected=[1-9][0-9]* kernel-errors=[1-9][0-9]* outside=0 after=64/64 fs-errors=0 state=up reconnects=0 fails=0' \
	--expect 'NBDROOT-TEST: test fault-errors exit=0' \
	--reject 'NBDROOT-TEST: fault FAIL' --reject 'EXT4-fs (error|warning)|Buffer I/O error' \
	--reject 'nbdroot: supervise: /dev/nbd0: up -> ' "$@"
