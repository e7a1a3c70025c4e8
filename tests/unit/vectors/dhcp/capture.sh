#!/bin/sh
# capture.sh: re-records the dnsmasq replies in this folder: build/host/nbdroot asks dnsmasq over a veth pair in a private netns, a raw socket keeps what dnsmasq sent.
#
# usage (root): tests/unit/vectors/dhcp/capture.sh [SCENARIO...]   (after make host; all by default)
# Each scenario writes <scenario>-<n>-<offer|ack|nak>.bin, the UDP payload
# as dnsmasq sent it; tests/unit/test-dhcp-vectors.c states what each holds.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "capture.sh: must run as root" >&2; exit 1; }
[ -x "$top/build/host/nbdroot" ] || { echo "capture.sh: run make host first" >&2; exit 1; }

if [ "${1:-}" != --inside ]; then
	exec unshare --net --uts --mount --pid --fork --mount-proc "$0" --inside "$@"
fi
shift
only=" $* "

tmp=$(mktemp -d)
mount -t tmpfs tmpfs /run
mount -t sysfs sysfs /sys
ip link set lo up
ip link add veth0 type veth peer name veth1 address 52:54:00:12:34:56
ip addr add 10.78.0.1/24 dev veth0
ip link set veth0 up
# Both ends share this netns, so packets carry local source addresses (the
# kernel picks veth0's for veth1's broadcasts): let both ends take them.
sysctl -qw net.ipv4.conf.all.accept_local=1

# scenario NAME DNSMASQ-ARGS...: one DHCP exchange, dnsmasq's replies kept
scenario() {
	name=$1
	shift
	[ "$only" = "  " ] || case $only in *" $name "*) ;; *) return 0 ;; esac
	rm -f "$here/$name"-*.bin
	python3 - "$here/$name" <<'PY' &
import socket, sys
# ETH_P_ALL: a socket for one protocol sees only what comes in
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.bind(("veth0", 0))
s.settimeout(8)
n = 0
try:
    while True:
        f = s.recv(2048)
        if f[12:14] != b"\x08\x00":
            continue
        ihl = (f[14] & 15) * 4
        ip, udp = f[14:], f[14 + ihl:]
        if ip[9] != 17 or udp[0:2] != b"\x00\x43":
            continue
        pay = udp[8:8 + int.from_bytes(udp[4:6], "big") - 8]
        i, t = 240, 0
        while i + 1 < len(pay):
            if pay[i] == 53:
                t = pay[i + 2]
                break
            i += 1 if pay[i] == 0 else 2 + pay[i + 1]
        n += 1
        kind = {2: "offer", 5: "ack", 6: "nak"}.get(t, "type%d" % t)
        open("%s-%d-%s.bin" % (sys.argv[1], n, kind), "wb").write(pay)
        if t in (5, 6):
            break
except socket.timeout:
    pass
PY
	sniffer=$!
	dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --interface=veth0 \
		--bind-interfaces --no-ping --dhcp-leasefile="$tmp/leases" --pid-file="$tmp/pid" \
		--user=root --group=root --log-dhcp --log-facility="$tmp/$name.log" \
		--dhcp-host=52:54:00:12:34:56,10.78.0.10 "$@" &
	# a server to attach to, so that nbdroot ends at once (no nbd driver here)
	nbdkit --ipaddr 10.78.0.1 --port 10809 --pidfile "$tmp/nbdkit" memory 1M
	sleep 0.5
	rm -f /run/nbdroot/*
	ip addr flush dev veth1
	timeout 5 "$top/build/host/nbdroot" --cmdline "nbdroot=10809/root ip=veth1:dhcp" >"$tmp/out" 2>&1 || :
	kill "$(cat "$tmp/pid")" "$(cat "$tmp/nbdkit")"
	wait "$sniffer" || :
	rm -f "$tmp/leases"
	echo "capture: $name: $(cd "$here" && ls "$name"-* | tr '\n' ' ')"
}

range=10.78.0.100,10.78.0.199,255.255.255.0,10m
scenario basic --dhcp-range=$range --dhcp-option=17,10.78.0.1:10809/root \
	--dhcp-option=15,lab.example --dhcp-option=6,10.78.0.53,10.78.0.54
# root-path given first: dnsmasq emits its options in reverse, so the
# 250-byte filler takes the options field and the root-path lands in file
scenario overload --dhcp-range=$range --dhcp-option=17,10.78.0.1:10809/root \
	--dhcp-option-force=250,"$(printf '%250s' | tr ' ' x)"
scenario next-server --dhcp-range=$range --dhcp-boot=pxelinux.0,bootsrv,10.78.0.2
scenario no-next-server --dhcp-range=$range --dhcp-option=option:server-ip-address,0.0.0.0
# a REQUEST (option 50) finds no dhcp-range that may serve it: NAK
scenario nak "--dhcp-range=tag:!req,$range" --dhcp-match=set:req,50
# RFC 4039: the DISCOVER asks for Rapid Commit, the ACK comes at once
scenario rapid --dhcp-range=$range --dhcp-rapid-commit --dhcp-option=17,10.78.0.1:10809/root
rm -rf "$tmp"
