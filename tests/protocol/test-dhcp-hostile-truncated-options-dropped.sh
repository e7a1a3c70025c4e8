#!/bin/sh
# test-dhcp-hostile-truncated-options-dropped: replies cut short (inside the fixed header, after an option's code byte, after its length byte, inside the last value) arrive before each good reply; nbdroot drops each one, saying why ("not for us" for a header under 240 bytes, "bad options" for the others), and takes the good lease and root.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/protocol/dhcp-lib.sh
. "$HERE/dhcp-lib.sh"

add_server 1 10.79.0.1
start_nbdkit 1 good
start_dhcp_peer 1 truncated-options --root-path 10.79.0.1:10809/good
run_nbdroot
expect_taken_good 10.79.0.1:10809/good
# per exchange (OFFER, ACK): two short headers, three cut options
expect_stderr 'nbdroot: dhcp: veth1: dropped: not for us' 4
expect_stderr 'nbdroot: dhcp: veth1: dropped: bad options' 6
expect_root_reached good
pass "in $ELAPSED_MS ms"
