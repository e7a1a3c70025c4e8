#!/bin/sh
# test-probe-readonly: a read-only export (nbdkit -r, qemu-nbd -r) shows NBD_FLAG_READ_ONLY in NBDROOT_TRANSMISSION_FLAGS.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

PORT=$(free_port)
start nbdkit nbdkit -f -r -p "$PORT" -i 127.0.0.1 memory size=8M
wait_listen "$PORT"
probe "127.0.0.1:$PORT/root"
expect_rc 0
expect_no_stderr
expect_flag 1 yes
expect_flag 2 yes

PORT=$(free_port)
truncate -s 8M "$TMP/disk.img"
start qemu-nbd qemu-nbd -r -x root -f raw -b 127.0.0.1 -p "$PORT" "$TMP/disk.img"
wait_listen "$PORT"
probe "127.0.0.1:$PORT/root"
expect_rc 0
expect_no_stderr
expect_flag 2 yes
pass "flags $(var NBDROOT_TRANSMISSION_FLAGS)"
