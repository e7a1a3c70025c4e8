#!/bin/sh
# test-dhcp-hostile-wrong-type-ignored: well-formed replies of a type nbdroot is not waiting for (an ACK and a NAK to its DISCOVER, an OFFER to its REQUEST) arrive before each good reply; nbdroot drops each one saying "unexpected type", neither skips the REQUEST nor starts over, and takes the good lease and root.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/protocol/dhcp-lib.sh
. "$HERE/dhcp-lib.sh"

add_server 1 10.79.0.1
start_nbdkit 1 good
start_dhcp_peer 1 wrong-type --root-path 10.79.0.1:10809/good
run_nbdroot
expect_taken_good 10.79.0.1:10809/good
expect_stderr 'nbdroot: dhcp: veth1: dropped: unexpected type' 3
! grep -qF 'NAK, starting over' "$TMP/stderr" || fail "a NAK to the DISCOVER made nbdroot start over"
[ "$(grep -c 'got DISCOVER' "$TMP/dhcp1.log")" = 1 ] || fail "more than one DISCOVER"
expect_root_reached good
pass "in $ELAPSED_MS ms"
