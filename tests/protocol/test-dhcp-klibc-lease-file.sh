#!/bin/sh
# test-dhcp-klibc-lease-file: with klibc ipconfig's /run/net-<dev>.conf already there, nbdroot takes the lease and the root from it (ROOTPATH, ROOTSERVER) and asks no DHCP server (there is none).
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
# as klibc 2.0.12 writes it (write_option: ' and ! escaped)
cat >/run/net-veth1.conf <<'CONF'
DEVICE='veth1'
PROTO='dhcp'
IPV4ADDR='10.79.0.10'
IPV4BROADCAST='10.79.0.255'
IPV4NETMASK='255.255.255.0'
IPV4GATEWAY='0.0.0.0'
IPV4DNS0='0.0.0.0'
IPV4DNS1='0.0.0.0'
HOSTNAME=''
DNSDOMAIN=''
NISDOMAIN=''
ROOTSERVER='10.79.0.1'
ROOTPATH='10809/kroot'
filename=''
UPTIME='3'
DHCPLEASETIME='600'
DOMAINSEARCH=''
CONF
t0=$(date +%s)
set +e
"$NBDROOT" --cmdline "ip=veth1:dhcp nbdroot.debug" >"$TMP/stdout" 2>"$TMP/stderr"
RC=$?
set -e
elapsed=$(($(date +%s) - t0))
grep -qF 'nbdroot: dhcp: veth1: lease from /run/net-veth1.conf' "$TMP/stderr" ||
	fail "the lease file was not taken"
grep -qF 'nbdroot: dhcp: root 10.79.0.1 port 10809 export "kroot" (server from the next-server)' \
	"$TMP/stderr" || fail "not the root the file names"
grep -qF 'nbdroot: handshake: ' "$TMP/stderr" || fail "no handshake with the server"
[ "$elapsed" -lt 10 ] || fail "took $elapsed s: DHCP ran after all?"
# the host has no nbd driver: attaching is where this run must stop
if [ "$RC" = 0 ] || ! grep -q 'nbdroot: kernel: ' "$TMP/stderr"; then
	fail "exit $RC"
fi
pass "in $elapsed s"
