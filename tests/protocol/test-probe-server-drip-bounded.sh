#!/bin/sh
# test-probe-server-drip-bounded: a server sending one byte per 0.5 s never idles long, yet the handshake ends at its 10 s total bound (not 10 s per read).
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

start_peer drip
probe "127.0.0.1:$PORT/root"
expect_rc 2
# the 18-byte greeting took 9 s; a per-read bound would wait 10 s more here
expect_error "timed out after 10000 ms reading the option reply header"
expect_within_ms 11500
pass "gave up after $ELAPSED_MS ms"
