#!/bin/sh
# test-probe-nbdkit-go: against nbdkit, fixed newstyle NBD_OPT_GO yields the export's size and flags, and nothing else is negotiated.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

PORT=$(free_port)
start nbdkit nbdkit -f -v -p "$PORT" -i 127.0.0.1 memory size=64M
wait_listen "$PORT"
probe "127.0.0.1:$PORT/root"
expect_rc 0
expect_no_stderr
expect_var NBDROOT_HANDSHAKE fixed-newstyle-go
expect_var NBDROOT_SIZE 67108864
expect_var NBDROOT_BLOCK_SIZE 512
expect_flag 1 yes # HAS_FLAGS
expect_flag 2 no # READ_ONLY
expect_flag 4 yes # SEND_FLUSH: the memory plugin can flush
# What nbdkit saw: our flags, one NBD_OPT_GO for "root", and no request for
# structured replies, extended headers, meta contexts or TLS.
grep -q "client flags: 0x3\$" "$TMP/nbdkit.log" || fail "nbdkit did not see client flags 0x3"
grep -q "NBD_OPT_GO: client requested export 'root'" "$TMP/nbdkit.log" ||
	fail "nbdkit did not see NBD_OPT_GO for 'root'"
opts=$(grep -o 'newstyle negotiation: NBD_OPT_[A-Z_]*' "$TMP/nbdkit.log" | sort -u |
	sed 's/.*: //' | tr '\n' ' ')
[ "$opts" = "NBD_OPT_GO " ] || fail "options negotiated: $opts, expected only NBD_OPT_GO"
pass "$(var NBDROOT_SIZE) bytes, flags $(var NBDROOT_TRANSMISSION_FLAGS)"
