#!/bin/sh
# test-dhcp-hostile-overload-garbage-dropped: replies whose option 52 points at garbage (a boot file name, random bytes, an option running past the file field, a host name in sname) or is itself bad (4, 255, two bytes long) arrive before each good reply, which carries its root-path in the file field under option 52 = 1; nbdroot drops every decoy saying "bad options" and takes the root-path from the good reply's file field.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/protocol/dhcp-lib.sh
. "$HERE/dhcp-lib.sh"

add_server 1 10.79.0.1
start_nbdkit 1 good
start_dhcp_peer 1 overload-garbage --root-path 10.79.0.1:10809/good
run_nbdroot
expect_taken_good 10.79.0.1:10809/good
expect_stderr 'nbdroot: dhcp: veth1: dropped: bad options' 14
expect_root_reached good
pass "in $ELAPSED_MS ms"
