#!/bin/sh
# test-dhcp-rapid-commit-ignored-four-messages: a server that ignores option 80 (most do) answers the DISCOVER that asks for Rapid Commit with an OFFER; nbdroot goes on with the usual REQUEST and ACK, and its lease line does not say "rapid commit".
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/protocol/dhcp-lib.sh
. "$HERE/dhcp-lib.sh"

add_server 1 10.79.0.1
start_nbdkit 1 good
start_dhcp_peer 1 good --root-path 10.79.0.1:10809/good
run_nbdroot
grep -q 'got DISCOVER .* rapid-commit' "$TMP/dhcp1.log" || fail "the DISCOVER did not ask for Rapid Commit"
grep -q 'sent good OFFER' "$TMP/dhcp1.log" || fail "the peer sent no OFFER"
expect_taken_good 10.79.0.1:10809/good
! grep -qF 'rapid commit' "$TMP/stderr" || fail "a four-message lease said rapid commit"
expect_root_reached good
pass "in $ELAPSED_MS ms"
