#!/bin/sh
# test-probe-export-name-fallback: a fixed-newstyle server that answers NBD_OPT_GO with NBD_REP_ERR_UNSUP is served through NBD_OPT_EXPORT_NAME, with and without the 124 zero bytes.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

start_peer export-name-fallback
probe "127.0.0.1:$PORT/root"
expect_rc 0
expect_no_stderr
expect_var NBDROOT_HANDSHAKE fixed-newstyle-export-name
expect_var NBDROOT_SIZE 67108864
expect_peer_log "client GO name 'root' infos [3]"
expect_peer_log "client EXPORT_NAME name 'root'"

# A server without NO_ZEROES sends 124 zero bytes after size and flags.
start_peer export-name-fallback-zeroes
probe "127.0.0.1:$PORT/root"
expect_rc 0
expect_no_stderr
expect_var NBDROOT_HANDSHAKE fixed-newstyle-export-name
expect_var NBDROOT_SIZE 67108864
expect_peer_log "client flags 0x1"
pass "$(var NBDROOT_HANDSHAKE) $(var NBDROOT_SIZE) bytes"
