#!/bin/sh
# test-probe-hostile-replies-fail-permanently: nonsense from the server (bad magics, wrong echo, lengths huge, 0xffffffff or
# wrong for their type, unknown reply types, missing HAS_FLAGS, sizes the kernel cannot carry, broken block sizes, strings of
# 4097 bytes, a flood of NBD_REP_SERVER, ...) is a permanent error (exit 1) on one sanitized line, at once (the oversize
# payloads are withheld: reading them would hang until the 10 s bound), and the client says goodbye properly.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

# scenario | fragment of the error | how the client must leave
n=0
while IFS='|' read -r scenario fragment goodbye; do
	[ -n "$scenario" ] || continue
	start_peer "$scenario"
	probe "127.0.0.1:$PORT/root"
	expect_rc 1
	expect_error "nbdroot: handshake: "
	expect_error "$fragment"
	expect_within_ms 5000
	[ -z "$goodbye" ] || expect_peer_log "$goodbye"
	# the peer is done with this connection; a fresh log for the next one
	wait
	mv "$TMP/peer.log" "$TMP/peer-$scenario.txt"
	echo "  $scenario: $(cut -d: -f4- "$TMP/stderr")"
	n=$((n + 1))
done <<'CASES'
oversize-info|NBD_REP_INFO reply length 65536, expected 2..4098|client option NBD_OPT_ABORT
info-export-short|INFO_EXPORT reply length 9, expected 12|client option NBD_OPT_ABORT
ack-before-export|NBD_REP_ACK to NBD_OPT_GO before NBD_INFO_EXPORT|NBD_CMD_DISC
bad-reply-magic|option reply magic 0x0003e889045565a8, expected 0x0003e889045565a9|client option NBD_OPT_ABORT
wrong-option-echo|option reply is for option 3, expected 7|client option NBD_OPT_ABORT
rep-server-during-go|option reply type 2, expected ACK, INFO or an error|client option NBD_OPT_ABORT
no-has-flags|transmission flags 0x0004 lack NBD_FLAG_HAS_FLAGS|NBD_CMD_DISC
zero-size|export size 0, expected a non-zero multiple of 512 below 2^63|NBD_CMD_DISC
huge-size|export size 9223372036854775808, expected a non-zero multiple of 512 below 2^63|NBD_CMD_DISC
block-size-above-page|server minimum block size 8192, expected at most 4096|NBD_CMD_DISC
block-size-invalid|block sizes 768/|client option NBD_OPT_ABORT
unknown-export|export "root" not found on the server (NBD_REP_ERR_UNKNOWN: no export by that name here)|client option NBD_OPT_ABORT
tls-required|(NBD_REP_ERR_TLS_REQD: TLS is required)|client option NBD_OPT_ABORT
error-message-escapes|(NBD_REP_ERR_POLICY: denied??[2Jnbdroot: forged line)|client option NBD_OPT_ABORT
not-nbd|greeting magic 0x485454502f312e31, expected 0x4e42444d41474943|
oldstyle-no-has-flags|transmission flags 0x0000 lack NBD_FLAG_HAS_FLAGS|NBD_CMD_DISC
bad-ihaveopt-magic|second greeting magic 0x49484156454f5154, expected 0x49484156454f5054 or 0x0000420281861253 (oldstyle)|
reply-length-negative|NBD_REP_INFO reply length 4294967295, expected 2..4098|client option NBD_OPT_ABORT
error-length-negative|error reply message length 4294967295, expected at most 4096|client option NBD_OPT_ABORT
info-export-long|INFO_EXPORT reply length 14, expected 12|client option NBD_OPT_ABORT
info-block-size-short|INFO_BLOCK_SIZE reply length 10, expected 14|client option NBD_OPT_ABORT
ack-with-payload|NBD_REP_ACK reply length 4, expected 0|client option NBD_OPT_ABORT
unknown-reply-type|option reply type 66, expected ACK, INFO or an error|client option NBD_OPT_ABORT
unknown-error-type|server refused export "root" (error reply 0x80000042: something new went wrong)|client option NBD_OPT_ABORT
size-not-multiple-of-512|export size 67108964, expected a non-zero multiple of 512 below 2^63|NBD_CMD_DISC
size-not-multiple-of-block-size|export size 67109376, expected a non-zero multiple of 4096 below 2^63|NBD_CMD_DISC
export-name-huge-size|export size 9223372036854775808, expected a non-zero multiple of 512|NBD_CMD_DISC
block-size-max-too-small|server maximum payload size 65536, expected at least 33554432|NBD_CMD_DISC
block-size-preferred-below-minimum|block sizes 4096/512/33554432 (min/preferred/max), expected|client option NBD_OPT_ABORT
error-message-4097|error reply message length 4097, expected at most 4096|client option NBD_OPT_ABORT
info-name-4097|NBD_REP_INFO reply length 4099, expected 2..4098|client option NBD_OPT_ABORT
endless-rep-server|option reply type 2, expected ACK, INFO or an error|client closed
CASES
pass "all $n cases exit 1 on one line"
