#!/bin/sh
# test-probe-server-shutting-down-is-temporary: NBD_REP_ERR_SHUTDOWN (the server is going away) is the one error reply worth a
# retry: exit 2, not 1, on one line quoting the server's message, with NBD_OPT_ABORT.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

start_peer server-shutting-down
probe "127.0.0.1:$PORT/root"
expect_rc 2
expect_error "nbdroot: handshake: "
expect_error "server refused export \"root\" (NBD_REP_ERR_SHUTDOWN: restarting)"
expect_peer_log "client option NBD_OPT_ABORT"
pass "$(cut -d: -f4- "$TMP/stderr")"
