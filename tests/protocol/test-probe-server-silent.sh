#!/bin/sh
# test-probe-server-silent: a server that accepts and never speaks costs the 10 s handshake bound, then exit 2.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

start_peer silent
probe "127.0.0.1:$PORT/root"
expect_rc 2
expect_error "timed out after 10000 ms reading the greeting"
[ "$ELAPSED_MS" -ge 9900 ] || fail "gave up after $ELAPSED_MS ms, before the 10 s bound"
expect_within_ms 11500
pass "gave up after $ELAPSED_MS ms"
