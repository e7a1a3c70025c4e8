#!/bin/sh
# test-probe-qemu-nbd: against qemu-nbd serving a named raw image, NBD_OPT_GO with its block sizes gives the image's size.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

PORT=$(free_port)
truncate -s 16M "$TMP/disk.img"
start qemu-nbd qemu-nbd -x root -f raw -b 127.0.0.1 -p "$PORT" "$TMP/disk.img"
wait_listen "$PORT"
probe "127.0.0.1:$PORT/root"
expect_rc 0
expect_no_stderr
expect_var NBDROOT_HANDSHAKE fixed-newstyle-go
expect_var NBDROOT_SIZE 16777216
expect_flag 1 yes
expect_flag 2 no
pass "block size $(var NBDROOT_BLOCK_SIZE), flags $(var NBDROOT_TRANSMISSION_FLAGS)"
