#!/bin/sh
# test-dhcp-hostile-wrong-xid-ignored: OFFERs and ACKs to another transaction (xid off by one bit, xid 0) arrive before each good reply; nbdroot drops each one saying "wrong xid", REQUESTs the good offer and takes the good ACK's lease and root.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/protocol/dhcp-lib.sh
. "$HERE/dhcp-lib.sh"

add_server 1 10.79.0.1
start_nbdkit 1 good
start_dhcp_peer 1 wrong-xid --root-path 10.79.0.1:10809/good
run_nbdroot
expect_taken_good 10.79.0.1:10809/good
# two decoys before the OFFER, two before the ACK
expect_stderr 'nbdroot: dhcp: veth1: dropped: wrong xid' 4
expect_root_reached good
[ "$(grep -c '^sent decoy' "$TMP/dhcp1.log")" -ge 4 ] || fail "the peer sent fewer than 4 decoys"
pass "in $ELAPSED_MS ms"
