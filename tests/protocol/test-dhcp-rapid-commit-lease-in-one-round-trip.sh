#!/bin/sh
# test-dhcp-rapid-commit-lease-in-one-round-trip: nbdroot's DISCOVER asks for Rapid Commit (RFC 4039, option 80); a server that does it answers with an ACK carrying option 80, and nbdroot takes that lease and root at once: one DISCOVER, no REQUEST, the lease line saying "rapid commit".
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/protocol/dhcp-lib.sh
. "$HERE/dhcp-lib.sh"

add_server 1 10.79.0.1
start_nbdkit 1 good
start_dhcp_peer 1 rapid-commit --root-path 10.79.0.1:10809/good
run_nbdroot
grep -q 'got DISCOVER .* rapid-commit' "$TMP/dhcp1.log" || fail "the DISCOVER did not ask for Rapid Commit"
grep -q 'sent good ACK' "$TMP/dhcp1.log" || fail "the peer sent no committed ACK"
! grep -q 'got REQUEST' "$TMP/dhcp1.log" || fail "nbdroot sent a REQUEST after a committed ACK"
[ "$(grep -c 'got DISCOVER' "$TMP/dhcp1.log")" = 1 ] || fail "more than one DISCOVER"
expect_stderr 'nbdroot: dhcp: veth1: lease from 10.79.0.1 for 600 s, after '
expect_stderr ' ms, rapid commit'
expect_lease_var IPV4ADDR "$CLIENT_IP"
expect_lease_var ROOTPATH 10.79.0.1:10809/good
expect_root_reached good
pass "in $ELAPSED_MS ms"
