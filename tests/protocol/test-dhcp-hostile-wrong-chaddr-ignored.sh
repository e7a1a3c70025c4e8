#!/bin/sh
# test-dhcp-hostile-wrong-chaddr-ignored: OFFERs and ACKs with our xid but another client's hardware address (one bit off, the broadcast MAC) arrive before each good reply; nbdroot drops each one saying "wrong chaddr" and takes the good lease and root.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/protocol/dhcp-lib.sh
. "$HERE/dhcp-lib.sh"

add_server 1 10.79.0.1
start_nbdkit 1 good
start_dhcp_peer 1 wrong-chaddr --root-path 10.79.0.1:10809/good
run_nbdroot
expect_taken_good 10.79.0.1:10809/good
expect_stderr 'nbdroot: dhcp: veth1: dropped: wrong chaddr' 4
expect_root_reached good
[ "$(grep -c '^sent decoy' "$TMP/dhcp1.log")" -ge 4 ] || fail "the peer sent fewer than 4 decoys"
pass "in $ELAPSED_MS ms"
