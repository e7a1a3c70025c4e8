#!/bin/sh
# test-probe-nbdkit-block-size-from-minimum: the kernel block size follows the server's minimum (not its preferred size), and a minimum above the page size is refused.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

PORT=$(free_port)
start nbdkit nbdkit -f -p "$PORT" -i 127.0.0.1 --filter=blocksize-policy memory size=8M \
	blocksize-minimum=2048 blocksize-preferred=65536 blocksize-maximum=33554432
wait_listen "$PORT"
probe "127.0.0.1:$PORT/root"
expect_rc 0
expect_no_stderr
expect_var NBDROOT_HANDSHAKE fixed-newstyle-go
expect_var NBDROOT_BLOCK_SIZE 2048

PORT=$(free_port)
start nbdkit2 nbdkit -f -p "$PORT" -i 127.0.0.1 --filter=blocksize-policy memory size=8M \
	blocksize-minimum=8192 blocksize-preferred=8192 blocksize-maximum=33554432
wait_listen "$PORT"
probe "127.0.0.1:$PORT/root"
expect_rc 1
expect_error "server minimum block size 8192, expected at most 4096"
pass "kernel block size 2048 from minimum 2048; minimum 8192 refused"
