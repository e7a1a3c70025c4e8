# dhcp-lib.sh: a private LAN for the hostile-DHCP tests: nbdroot's DHCP client on veth1, scripted servers in their own netns (sourced after lib.sh).
# shellcheck shell=sh
#
# The client side is the test's own network namespace (run.sh's); each server
# lives in a namespace of its own behind a bridge, as another machine would:
# its replies arrive from an address that is not local to the client, and the
# NBD connection crosses the veth pair. /run, /tmp and /sys are the test's own
# (run.sh gives it a mount namespace): nbdroot writes /run/nbdroot/net-veth1.conf
# there and reads lease files from /run and /tmp, and the host's are never seen.

DHCP_PEER=$TOP/tests/peers/dhcp-peer.py
CLIENT_IP=10.79.0.10

private_run_tmp
ip link add br0 type bridge
ip link set br0 up
ip link add veth1 type veth peer name veth1p
ip link set veth1p master br0 up
# Up before nbdroot starts, and forwarding: a port the bridge has yet to see
# the carrier of drops the first DISCOVER, and the retry costs 4 s.
ip link set veth1 up

# add_server N ADDR: netns srvN with sN at ADDR/24, its peer sNp on the bridge.
add_server() {
	ip netns add "srv$1"
	ip link add "s$1" type veth peer name "s$1p"
	ip link set "s$1p" master br0 up
	ip link set "s$1" netns "srv$1"
	ip -n "srv$1" link set lo up
	ip -n "srv$1" addr add "$2/24" dev "s$1"
	ip -n "srv$1" link set "s$1" up
	i=0
	until bridge link show dev veth1p | grep -q 'state forwarding' &&
		bridge link show dev "s$1p" | grep -q 'state forwarding'; do
		[ $i -lt 100 ] || fail "bridge ports not forwarding after 5 s"
		sleep 0.05
		i=$((i + 1))
	done
}

# start_dhcp_peer N SCENARIO [peer options]: the scripted DHCP server in srvN,
# as server id 10.79.0.N, offering $CLIENT_IP; its log is $TMP/dhcpN.log.
start_dhcp_peer() {
	n=$1
	shift
	rm -f "$TMP/dhcp$n.ready"
	start "dhcp$n-out" ip netns exec "srv$n" python3 "$DHCP_PEER" --iface "s$n" \
		--server-id "10.79.0.$n" --offer "$CLIENT_IP" --ready-file "$TMP/dhcp$n.ready" \
		--log "$TMP/dhcp$n.log" --scenario "$@"
	wait_file "$TMP/dhcp$n.ready" "DHCP peer $n"
}

# start_nbdkit N EXPORT...: nbdkit in srvN on port 10809 serving a 1 MiB
# memory disk under each EXPORT name (others refused).
start_nbdkit() {
	n=$1
	shift
	names=
	for e in "$@"; do
		names="$names exportname=$e"
	done
	# shellcheck disable=SC2086 # one word per export name
	start "nbdkit$n" ip netns exec "srv$n" nbdkit -f -v -i "10.79.0.$n" -p 10809 \
		--filter=exportname memory size=1M $names exportname-strict=true
	i=0
	until ip netns exec "srv$n" ss -Hltn 'sport = :10809' | grep -q .; do
		[ $i -lt 200 ] || fail "nbdkit in srv$n did not listen within 10 s"
		sleep 0.05
		i=$((i + 1))
	done
}

# run_nbdroot: the boot path (DHCP on veth1, root from the lease) with
# nbdroot.debug; sets RC and ELAPSED_MS, output in $TMP/stdout and stderr.
# The host has no nbd driver: a run that got its lease and its export ends
# at the kernel hand-off, with a "kernel:" line.
run_nbdroot() {
	t0=$(date +%s%N)
	set +e
	timeout -s KILL 60 "$NBDROOT" --cmdline "ip=veth1:dhcp nbdroot.debug $*" \
		>"$TMP/stdout" 2>"$TMP/stderr"
	RC=$?
	set -e
	# shellcheck disable=SC2034 # for the test that sourced us
	ELAPSED_MS=$((($(date +%s%N) - t0) / 1000000))
}

# expect_stderr FRAGMENT [COUNT]: nbdroot said FRAGMENT (at least COUNT times).
expect_stderr() {
	got=$(grep -cF -- "$1" "$TMP/stderr" || :)
	[ "$got" -ge "${2:-1}" ] || fail "stderr has '$1' $got times, expected at least ${2:-1}"
}

# expect_lease_var NAME VALUE: the lease file nbdroot wrote, sourced by sh in
# a subshell, sets NAME to VALUE.
expect_lease_var() {
	[ -f /run/nbdroot/net-veth1.conf ] || fail "no /run/nbdroot/net-veth1.conf"
	# shellcheck disable=SC1091 # written by the run
	got=$(. /run/nbdroot/net-veth1.conf && eval "printf '%s' \"\${$1-}\"")
	[ "$got" = "$2" ] || fail "lease file: $1 is '$got', expected '$2'"
}

# expect_taken_good: the lease, the address and the root came from the good
# replies, none from a decoy (dhcp-peer.py's DECOY_* values).
expect_taken_good() {
	expect_stderr 'nbdroot: dhcp: veth1: lease from 10.79.0.1 for 600 s'
	expect_lease_var IPV4ADDR "$CLIENT_IP"
	expect_lease_var ROOTPATH "$1"
	ip -4 addr show dev veth1 | grep -qF "inet $CLIENT_IP/24" ||
		fail "veth1 does not have $CLIENT_IP/24: $(ip -4 -o addr show dev veth1)"
	! grep -qF '10.79.0.66' "$TMP/stderr" || fail "the decoy address appears in nbdroot's output"
	! grep -qF 'decoy' "$TMP/stderr" /run/nbdroot/net-veth1.conf ||
		fail "the decoy root-path was taken"
	grep -qF 'got REQUEST' "$TMP/dhcp1.log" || fail "nbdroot sent no REQUEST"
	! grep 'got REQUEST' "$TMP/dhcp1.log" | grep -qvF "requested=$CLIENT_IP" ||
		fail "nbdroot requested an address it was not offered well-formed: $(grep 'got REQUEST' "$TMP/dhcp1.log")"
}

# expect_root_reached EXPORT: the root-path led to the export (handshake done)
# and the run ended at the kernel hand-off.
expect_root_reached() {
	expect_stderr "nbdroot: dhcp: root 10.79.0.1 port 10809 export \"$1\" (server from the root-path)"
	expect_stderr 'nbdroot: handshake: '
	if [ "$RC" = 0 ] || ! grep -qF 'nbdroot: kernel: ' "$TMP/stderr"; then
		fail "exit $RC without the kernel hand-off line"
	fi
}
