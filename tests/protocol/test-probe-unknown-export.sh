#!/bin/sh
# test-probe-unknown-export: asking for an export the server does not have is a permanent error (exit 1) naming the export.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

PORT=$(free_port)
start nbdkit nbdkit -f -p "$PORT" -i 127.0.0.1 --filter=exportname memory size=1M \
	exportname=root exportname-strict=true
wait_listen "$PORT"
probe "127.0.0.1:$PORT/root"
expect_rc 0
probe "127.0.0.1:$PORT/nope"
expect_rc 1
expect_error 'nbdroot: handshake: '
expect_error 'export "nope" not found on the server (NBD_REP_ERR_UNKNOWN'
pass "$(cat "$TMP/stderr")"
