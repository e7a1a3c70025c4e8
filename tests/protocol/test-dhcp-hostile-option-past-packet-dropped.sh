#!/bin/sh
# test-dhcp-hostile-option-past-packet-dropped: replies whose option lengths run past the datagram (a root-path of 200 with 21 bytes there, a lease time of 255 at the end) or do not fit the option (a lease time of 3 bytes) arrive before each good reply; nbdroot drops each one saying "bad options" and takes the good lease and root.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/protocol/dhcp-lib.sh
. "$HERE/dhcp-lib.sh"

add_server 1 10.79.0.1
start_nbdkit 1 good
start_dhcp_peer 1 option-past-packet --root-path 10.79.0.1:10809/good
run_nbdroot
expect_taken_good 10.79.0.1:10809/good
expect_stderr 'nbdroot: dhcp: veth1: dropped: bad options' 6
expect_root_reached good
pass "in $ELAPSED_MS ms"
