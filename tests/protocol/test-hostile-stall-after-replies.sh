#!/bin/sh
# test-hostile-stall-after-replies: a server that sends its block sizes and export, then stops answering instead of NBD_REP_ACK,
# costs the 10 s handshake bound: exit 2, one line naming the reply it waited for, and NBD_OPT_ABORT before the client closes.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

start_peer stall-after-replies
probe "127.0.0.1:$PORT/root"
expect_rc 2
expect_error "nbdroot: handshake: "
expect_error "timed out after 10000 ms reading the option reply header"
[ "$ELAPSED_MS" -ge 9900 ] || fail "gave up after $ELAPSED_MS ms, before the 10 s bound"
expect_within_ms 11500
expect_peer_log "client option NBD_OPT_ABORT after the scenario"
pass "gave up after $ELAPSED_MS ms, with NBD_OPT_ABORT"
