#!/bin/sh
# test-probe-connection-refused: no server on the port is a temporary failure (exit 2) with one clear line.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

PORT=$(free_port)
probe "127.0.0.1:$PORT/root"
expect_rc 2
expect_error "nbdroot: connect: 127.0.0.1 port $PORT: Connection refused"
expect_within_ms 2000
pass "$(cat "$TMP/stderr")"
