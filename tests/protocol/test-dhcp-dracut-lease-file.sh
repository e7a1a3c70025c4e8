#!/bin/sh
# test-dhcp-dracut-lease-file: with dracut's /tmp/dhclient.<if>.dhcpopts already there, nbdroot takes the lease and the root from it (new_root_path, new_dhcp_server_identifier) and asks no DHCP server (there is none).
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

private_run_tmp
ip link add veth0 type veth peer name veth1
ip addr add 10.79.0.1/24 dev veth0
ip addr add 10.79.0.10/24 dev veth1
ip link set veth0 up
ip link set veth1 up
start nbdkit nbdkit -f -v -i 10.79.0.1 -p 10809 --filter=exportname memory size=1M \
	exportname=kroot exportname-strict=true
wait_listen 10809
# as dracut 059's dhclient-script writes it: `set` output of the new_ variables
# (dash quotes every value)
cat >/tmp/dhclient.veth1.dhcpopts <<'CONF'
new_broadcast_address='10.79.0.255'
new_dhcp_lease_time='600'
new_dhcp_message_type='5'
new_dhcp_server_identifier='10.79.0.1'
new_ip_address='10.79.0.10'
new_network_number='10.79.0.0'
new_root_path='nbd:10.79.0.1:kroot'
new_subnet_mask='255.255.255.0'
CONF
t0=$(date +%s)
set +e
"$NBDROOT" --cmdline "ip=veth1:dhcp nbdroot.debug" >"$TMP/stdout" 2>"$TMP/stderr"
RC=$?
set -e
elapsed=$(($(date +%s) - t0))
grep -qF 'nbdroot: dhcp: veth1: lease from /tmp/dhclient.veth1.dhcpopts' "$TMP/stderr" ||
	fail "the lease file was not taken"
grep -qF 'nbdroot: dhcp: root 10.79.0.1 port 10809 export "kroot" (server from the root-path)' \
	"$TMP/stderr" || fail "not the root the file names"
grep -qF 'nbdroot: handshake: ' "$TMP/stderr" || fail "no handshake with the server"
[ "$elapsed" -lt 10 ] || fail "took $elapsed s: DHCP ran after all?"
# the host has no nbd driver: attaching is where this run must stop
if [ "$RC" = 0 ] || ! grep -q 'nbdroot: kernel: ' "$TMP/stderr"; then
	fail "exit $RC"
fi
pass "in $elapsed s"
