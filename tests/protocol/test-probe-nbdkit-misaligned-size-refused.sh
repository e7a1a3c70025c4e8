#!/bin/sh
# test-probe-nbdkit-misaligned-size-refused: a real server's export whose size is not a multiple of the kernel block size (512,
# or the server's larger minimum) is refused on one line (exit 1): the kernel would lose its tail or fail reads of its last block.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

PORT=$(free_port)
start nbdkit nbdkit -f -p "$PORT" -i 127.0.0.1 memory size=1048676
wait_listen "$PORT"
probe "127.0.0.1:$PORT/root"
expect_rc 1
expect_error "nbdroot: handshake: "
expect_error "export size 1048676, expected a non-zero multiple of 512 below 2^63"
said=$(cut -d: -f4- "$TMP/stderr")

# a multiple of 512, not of the server's 4096-byte minimum
PORT=$(free_port)
start nbdkit2 nbdkit -f -p "$PORT" -i 127.0.0.1 --filter=blocksize-policy memory size=1049088 \
	blocksize-minimum=4096 blocksize-preferred=4096 blocksize-maximum=33554432
wait_listen "$PORT"
probe "127.0.0.1:$PORT/root"
expect_rc 1
expect_error "export size 1049088, expected a non-zero multiple of 4096 below 2^63"

# the same size with 512-byte blocks is fine
PORT=$(free_port)
start nbdkit3 nbdkit -f -p "$PORT" -i 127.0.0.1 memory size=1049088
wait_listen "$PORT"
probe "127.0.0.1:$PORT/root"
expect_rc 0
expect_var NBDROOT_SIZE 1049088
expect_var NBDROOT_BLOCK_SIZE 512
pass "$said; 1049088 refused with 4096-byte blocks, taken with 512"
