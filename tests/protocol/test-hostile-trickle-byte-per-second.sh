#!/bin/sh
# test-hostile-trickle-byte-per-second: a server sending one byte per second (the 18-byte greeting alone would take 18 s) is
# cut off at the 10 s handshake bound: exit 2, one line naming the greeting.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

start_peer trickle-byte-per-second
probe "127.0.0.1:$PORT/root"
expect_rc 2
expect_error "nbdroot: handshake: "
expect_error "timed out after 10000 ms reading the greeting"
[ "$ELAPSED_MS" -ge 9900 ] || fail "gave up after $ELAPSED_MS ms, before the 10 s bound"
expect_within_ms 11500
pass "gave up after $ELAPSED_MS ms"
