#!/bin/sh
# test-probe-ipv6: a server on [::1] is reached through the bracketed IPv6 form.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

PORT=$(free_port)
start nbdkit nbdkit -f -6 -p "$PORT" -i ::1 memory size=2M
wait_listen "$PORT"
grep -q ":$(printf '%04X' "$PORT") .* 0A " /proc/net/tcp6 || fail "nbdkit is not listening on IPv6"
probe "[::1]:$PORT/root"
expect_rc 0
expect_no_stderr
expect_var NBDROOT_HANDSHAKE fixed-newstyle-go
expect_var NBDROOT_SIZE 2097152
# and nothing answers on 127.0.0.1, so IPv4 was not used by accident
probe "127.0.0.1:$PORT/root"
expect_rc 2
pass "[::1] reached; 127.0.0.1 refused"
