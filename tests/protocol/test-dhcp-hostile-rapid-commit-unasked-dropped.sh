#!/bin/sh
# test-dhcp-hostile-rapid-commit-unasked-dropped: a server answers nbdroot's REQUEST, which never asks for Rapid Commit, first with an ACK carrying option 80 (for a decoy address and root), then with the good ACK; nbdroot drops the first, saying "rapid commit not asked for", and takes the good lease and root.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/protocol/dhcp-lib.sh
. "$HERE/dhcp-lib.sh"

add_server 1 10.79.0.1
start_nbdkit 1 good
start_dhcp_peer 1 rapid-unasked --root-path 10.79.0.1:10809/good
run_nbdroot
grep -q 'sent decoy ACK' "$TMP/dhcp1.log" || fail "the peer sent no unasked committed ACK"
expect_taken_good 10.79.0.1:10809/good
expect_stderr 'nbdroot: dhcp: veth1: dropped: rapid commit not asked for'
! grep -qF ', rapid commit' "$TMP/stderr" || fail "a lease was taken as committed"
expect_root_reached good
pass "in $ELAPSED_MS ms"
