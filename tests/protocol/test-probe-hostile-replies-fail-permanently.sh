#!/bin/sh
# test-probe-hostile-replies-fail-permanently: nonsense from the server (oversize or short INFO, bad magic, missing HAS_FLAGS, ...) is a permanent error (exit 1) on one sanitized line, and the client says goodbye properly.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

# scenario | fragment of the error | how the client must leave
while IFS='|' read -r scenario fragment goodbye; do
	[ -n "$scenario" ] || continue
	start_peer "$scenario"
	probe "127.0.0.1:$PORT/root"
	expect_rc 1
	expect_error "nbdroot: handshake: "
	expect_error "$fragment"
	[ -z "$goodbye" ] || expect_peer_log "$goodbye"
	# the peer is done with this connection; a fresh log for the next one
	wait
	mv "$TMP/peer.log" "$TMP/peer-$scenario.txt"
	echo "  $scenario: $(cut -d: -f4- "$TMP/stderr")"
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
CASES
pass "all cases exit 1 on one line"
