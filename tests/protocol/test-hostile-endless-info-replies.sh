#!/bin/sh
# test-hostile-endless-info-replies: a server that answers NBD_OPT_GO with valid NBD_REP_INFO replies, 100 a second forever and
# never the ACK, keeps every read busy; the 10 s bound on the whole handshake still ends it: exit 2, one line.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

start_peer endless-info
probe "127.0.0.1:$PORT/root"
expect_rc 2
expect_error "nbdroot: handshake: "
expect_error "timed out after 10000 ms reading the option reply "
[ "$ELAPSED_MS" -ge 9900 ] || fail "gave up after $ELAPSED_MS ms, before the 10 s bound"
expect_within_ms 11500
pass "gave up after $ELAPSED_MS ms"
