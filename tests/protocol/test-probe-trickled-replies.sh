#!/bin/sh
# test-probe-trickled-replies: replies that arrive one byte at a time are reassembled (short reads are not errors).
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

start_peer go --trickle 0.005
probe "127.0.0.1:$PORT/root"
expect_rc 0
expect_no_stderr
expect_var NBDROOT_HANDSHAKE fixed-newstyle-go
expect_var NBDROOT_SIZE 67108864

start_peer oldstyle --trickle 0.005
probe "127.0.0.1:$PORT/root"
expect_rc 0
expect_var NBDROOT_HANDSHAKE oldstyle
pass "$(var NBDROOT_HANDSHAKE) $(var NBDROOT_SIZE) bytes"
