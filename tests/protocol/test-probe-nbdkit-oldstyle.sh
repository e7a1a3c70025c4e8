#!/bin/sh
# test-probe-nbdkit-oldstyle: an oldstyle server (nbdkit -o) is read from its one header, whatever export name was asked for.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

nbdkit --help 2>&1 | grep -q -- '--oldstyle' || pass "skipped: this nbdkit has no --oldstyle"
PORT=$(free_port)
start nbdkit nbdkit -f -o -p "$PORT" -i 127.0.0.1 memory size=4M
wait_listen "$PORT"
probe "127.0.0.1:$PORT/any-name-at-all"
expect_rc 0
expect_no_stderr
expect_var NBDROOT_HANDSHAKE oldstyle
expect_var NBDROOT_SIZE 4194304
expect_var NBDROOT_BLOCK_SIZE 512
expect_flag 1 yes
pass "oldstyle $(var NBDROOT_SIZE) bytes"
