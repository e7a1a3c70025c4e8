#!/bin/sh
# test-dhcp-hostile-two-servers-lease-from-server-requested: two servers offer different addresses and root-paths, and each ACKs every REQUEST, also those naming the other; the one whose offer came first is the one nbdroot REQUESTs from (every REQUEST names it), the other's ACK (sent first) is dropped as "wrong server", and the address, lease file, root-path and NBD connection all come from the server requested. Run twice with the timings swapped, so each server wins once.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/protocol/dhcp-lib.sh
. "$HERE/dhcp-lib.sh"

add_server 1 10.79.0.1
add_server 2 10.79.0.2
start_nbdkit 1 one
start_nbdkit 2 two
# server N's export and the address it offers
name_of() { if [ "$1" = 1 ]; then echo one; else echo two; fi; }
addr_of() { echo "10.79.0.${1}0"; }

# round W L: W offers at once and ACKs after 1 s, L offers after 0.5 s and
# ACKs at once; W must win.
round() {
	w=$1 l=$2
	wname=$(name_of "$w") waddr=$(addr_of "$w")
	for n in 1 2; do
		[ ! -s "$TMP/peer$n.pgid" ] || kill -KILL "-$(cat "$TMP/peer$n.pgid")" 2>/dev/null || :
		: >"$TMP/dhcp$n.log"
	done
	rm -rf /run/nbdroot
	ip addr flush dev veth1
	for n in 1 2; do
		if [ "$n" = "$w" ]; then d="--offer-delay 0 --ack-delay 1"; else d="--offer-delay 0.5 --ack-delay 0"; fi
		# shellcheck disable=SC2086 # $d: two options
		start_dhcp_peer "$n" rival --offer "$(addr_of "$n")" \
			--root-path "10.79.0.$n:10809/$(name_of "$n")" $d
		echo "${PGIDS##* }" >"$TMP/peer$n.pgid"
	done
	n0=$(grep -c 'accepted connection' "$TMP/nbdkit$l.log" || :)
	run_nbdroot
	grep -q 'got REQUEST' "$TMP/dhcp$w.log" || fail "round $w: no REQUEST"
	if grep -h 'got REQUEST' "$TMP/dhcp1.log" "$TMP/dhcp2.log" | grep -qvF "server-id=10.79.0.$w requested=$waddr"; then
		fail "round $w: a REQUEST that is not for server $w's offer: $(grep -h 'got REQUEST' "$TMP/dhcp1.log" "$TMP/dhcp2.log")"
	fi
	grep -q 'sent good ACK' "$TMP/dhcp$l.log" || fail "round $w: server $l sent no rival ACK"
	grep -q 'sent good OFFER' "$TMP/dhcp$l.log" || fail "round $w: server $l sent no OFFER"
	expect_stderr 'nbdroot: dhcp: veth1: dropped: wrong server'
	expect_stderr "nbdroot: dhcp: veth1: lease from 10.79.0.$w for 600 s"
	expect_lease_var IPV4ADDR "$waddr"
	expect_lease_var ROOTPATH "10.79.0.$w:10809/$wname"
	expect_lease_var ROOTSERVER "10.79.0.$w"
	ip -4 addr show dev veth1 | grep -qF "inet $waddr/24" || fail "round $w: veth1 is not at $waddr"
	expect_stderr "nbdroot: dhcp: root 10.79.0.$w port 10809 export \"$wname\" (server from the root-path)"
	expect_stderr 'nbdroot: handshake: '
	grep -qF "client requested export '$wname'" "$TMP/nbdkit$w.log" ||
		fail "round $w: nbdkit $w did not see export '$wname' asked for"
	[ "$(grep -c 'accepted connection' "$TMP/nbdkit$l.log" || :)" = "$n0" ] ||
		fail "round $w: nbdroot connected to server $l"
	grep -qF 'nbdroot: kernel: ' "$TMP/stderr" || fail "round $w: no kernel hand-off"
}

round 1 2
round 2 1
pass "each server won the round it offered first in"
