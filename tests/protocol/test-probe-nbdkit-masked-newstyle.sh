#!/bin/sh
# test-probe-nbdkit-masked-newstyle: a server without FIXED_NEWSTYLE (nbdkit --mask-handshake=0) is spoken to with plain NBD_OPT_EXPORT_NAME.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

PORT=$(free_port)
start nbdkit nbdkit -f -v --mask-handshake=0 -p "$PORT" -i 127.0.0.1 memory size=8M
wait_listen "$PORT"
probe "127.0.0.1:$PORT/root"
expect_rc 0
expect_no_stderr
expect_var NBDROOT_HANDSHAKE newstyle
expect_var NBDROOT_SIZE 8388608
expect_flag 1 yes
grep -q "client flags: 0x0\$" "$TMP/nbdkit.log" ||
	fail "nbdkit did not see client flags 0x0 (no FIXED_NEWSTYLE, no NO_ZEROES)"
pass "$(var NBDROOT_HANDSHAKE) $(var NBDROOT_SIZE) bytes"
