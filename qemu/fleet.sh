#!/bin/bash
# fleet.sh: N diskless guests at once from ONE read-only NBD export (private netns, bridge, one dnsmasq, one server); a table and a verdict.
# SC2317: cleanup runs from a trap.
# shellcheck disable=SC2317
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cache=${NBDROOT_CACHE:-$here/.cache}
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/qemu/lib.sh"
# shellcheck source-path=SCRIPTDIR source=http.sh
. "$here/qemu/http.sh"
# shellcheck source-path=SCRIPTDIR source=fleet-objectstore.sh
. "$here/qemu/fleet-objectstore.sh"

HOST_IP=10.77.0.1
NBD_PORT=10809
BARRIER_PORT=8080

case_name=fleet
guests=4
server=nbdkit
export_name=root
writable=
one_root_path=
image=
kernel=$cache/kernel/vmlinuz
initrd=$here/build/initramfs.cpio.gz
append=
mem=384
timeout=180
expects=()
rejects=('Kernel panic')
marker='NBDROOT-TEST: fleet own='
barrier=
hook=
keep_logs=

usage() {
	cat <<EOF
usage: qemu/fleet.sh [options]
  --case NAME        name for the verdict and the log folder (default fleet)
  --guests N         guests booted together, 1..32 (default 4)
  --server S         nbdkit | qemu-nbd | nbd-server (default nbdkit), serving one export
                     read-only: nbdkit -r with the log filter (every request in
                     nbdkit-requests.log), qemu-nbd --read-only --shared=0,
                     nbd-server readonly = true; nbdkit-curl: the image on an HTTP server
                     (lighttpd, $HOST_IP:80) only, two front-ends (nbdkit -r curl plugin,
                     cache filter, log filter) on ${FRONTENDS[0]} and ${FRONTENDS[1]}: DHCP gives
                     guest i front-end i mod 2, nbdroot.alt_server the other
  --one-root-path    nbdkit-curl: every guest gets the first front-end (to show that the
                     check that each front-end serves a guest catches it)
  --writable         serve the export writable: the checks below then fail once a guest
                     writes to the device (to show that they catch writes)
  --image FILE       serve a private copy of FILE (default: qemu/mkroot.sh's test root)
  --kernel FILE / --initrd FILE   as lab.sh
  --append "ARGS"    every guest's command line, after root=/dev/nbd0 (console=ttyS0
                     panic=-1 are added); the root comes from dnsmasq's root-path
  --memory MB        guest RAM (default 384)
  --timeout S        wall limit for the whole fleet (default 180)
  --expect REGEX     must appear on EVERY guest's console (repeatable, grep -E)
  --reject REGEX     must appear on no console (repeatable; 'Kernel panic' always)
  --marker REGEX     the guest's NBDROOT-TEST: line shown in the table (default '$marker')
  --barrier REGEX    once REGEX is on every console, http://$HOST_IP:$BARRIER_PORT/go exists
                     (404 before); the guests get lab.barrier=<that URL> to wait on it
  --hook CMD         run CMD (bash, in the netns) while the guests run; environment:
                     LAB_NETNS LAB_LOGDIR LAB_IMAGE LAB_HOST_IP LAB_PORT LAB_EXPORT
                     LAB_GUESTS LAB_CONSOLES (space-separated console logs); nbdkit-curl
                     adds LAB_FRONTENDS (addresses) and LAB_FRONTEND_PIDS (their pids)
  --keep-logs        keep qemu/logs/<case>-<time>/ also when the case passes
Guest i (0..N-1): MAC 52:54:00:12:35:<i in hex>, IP 10.77.0.<10+i>, tap<i> on br0 ($HOST_IP/24).
Fails when a guest misses an --expect, when the image's sha256 changed, and (nbdkit,
read-only) when the request log shows a Write, Trim, Zero or Flush, or a writable Connect;
nbdkit-curl also when the HTTP log has no 206 reply or a method other than GET and HEAD,
or when a front-end was no guest's first connection (watched on the host with ss).
Prints a table, then "fleet: PASS <case>" or "fleet: FAIL <case>: <reason>"; exit 0 / 1 (2: setup).
EOF
}

while [ $# -gt 0 ]; do
	case $1 in
	--*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}" ;;
	esac
	case $1 in
	--case) case_name=$2; shift ;;
	--guests) guests=$2; shift ;;
	--server) server=$2; shift ;;
	--writable) writable=1 ;;
	--one-root-path) one_root_path=1 ;;
	--image) image=$2; shift ;;
	--kernel) kernel=$2; shift ;;
	--initrd) initrd=$2; shift ;;
	--append) append=$2; shift ;;
	--memory) mem=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--expect) expects+=("$2"); shift ;;
	--reject) rejects+=("$2"); shift ;;
	--marker) marker=$2; shift ;;
	--barrier) barrier=$2; shift ;;
	--hook) hook=$2; shift ;;
	--keep-logs) keep_logs=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; echo "fleet: unknown argument \"$1\"" >&2; exit 2 ;;
	esac
	shift
done

setup_fail() {
	echo "fleet: FAIL $case_name: $*"
	exit 2
}

[ "$(id -u)" = 0 ] || setup_fail "must run as root (netns, bridge, taps)"
case $server in nbdkit | qemu-nbd | nbd-server | nbdkit-curl) ;; *) setup_fail "unknown server \"$server\"" ;; esac
[ "$server" != nbdkit-curl ] || [ -z "$writable" ] || setup_fail "--writable: the nbdkit-curl front-ends serve read-only"
[ "$server" = nbdkit-curl ] || [ -z "$one_root_path" ] || setup_fail "--one-root-path: only with --server nbdkit-curl"
if ! [[ $guests =~ ^[0-9]+$ ]] || [ "$guests" -lt 1 ] || [ "$guests" -gt 32 ]; then
	setup_fail "--guests $guests: expected 1..32"
fi
[ -r "$kernel" ] || setup_fail "no kernel at $kernel (run ./qemu/deps.sh)"
[ -r "$initrd" ] || setup_fail "no initramfs at $initrd (run make initramfs)"

ns=nbdroot-fleet-$$
logdir=$here/qemu/logs/$case_name-$(date +%Y%m%d-%H%M%S)-$$
work=$(mktemp -d "${TMPDIR:-/var/tmp}/nbdroot-fleet.XXXXXX")
mkdir -p "$logdir"
verdict=

install_cleanup fleet

# --- the one export -----------------------------------------------------
img=$work/export.img
# The cached test root may be shared with other checkouts (NBDROOT_CACHE),
# whose mkroot.sh rebuilds it from their own tests/boot/root.d: the copy
# must hold the lab.test script the guests will run, or be made again.
want=$(sed -n 's/.*lab\.test=\([^ ]*\).*/\1/p' <<<"$append")
for try in 1 2 3; do
	if [ -z "$image" ] || [ -n "${default_image:-}" ]; then
		default_image=1
		image=$("$here/qemu/mkroot.sh" --print) || setup_fail "qemu/mkroot.sh failed"
	fi
	[ -r "$image" ] || setup_fail "no image $image"
	cp --sparse=always "$image" "$img"
	if [ -z "${default_image:-}" ] || [ -z "$want" ] || [ "$want" = poweroff ] ||
		debugfs -R "stat /test/$want.sh" "$img" 2>/dev/null | grep -q '^Inode:'; then
		break
	fi
	[ "$try" = 3 ] && setup_fail "the test root has no /test/$want.sh (rebuilt elsewhere meanwhile?)"
done
sha_before=$(sha256sum "$img" | cut -d' ' -f1)
echo "$sha_before  export.img (before)" >"$logdir/sha256.txt"

# --- network: one bridge, a tap per guest ---------------------------------
ip netns add "$ns" || setup_fail "ip netns add $ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add br0 type bridge forward_delay 0 stp_state 0
ip -n "$ns" addr add "$HOST_IP/24" dev br0
ip -n "$ns" link set br0 up
mac() { printf '52:54:00:12:35:%02x' "$1"; }
gip() { echo "10.77.0.$((10 + $1))"; }
for ((i = 0; i < guests; i++)); do
	ip -n "$ns" tuntap add "tap$i" mode tap
	ip -n "$ns" link set "tap$i" master br0
	ip -n "$ns" link set "tap$i" up
done

# --- the NBD server -----------------------------------------------------
reqlog=$logdir/nbdkit-requests.log
case $server in
nbdkit)
	ro=(-r)
	[ -n "$writable" ] && ro=()
	# The log filter first: it sees the clients' requests as sent.
	server_cmd=(nbdkit --foreground --ipaddr "$HOST_IP" --port "$NBD_PORT" "${ro[@]}"
		--filter=log --filter=exportname file "file=$img"
		"exportname=$export_name" exportname-strict=true exportname-list=explicit
		"logfile=$reqlog" logappend=true)
	;;
qemu-nbd)
	ro=(--read-only)
	[ -n "$writable" ] && ro=()
	# --shared=0: any number of clients (the default admits one).
	server_cmd=(qemu-nbd --format=raw --bind="$HOST_IP" --port="$NBD_PORT"
		--export-name="$export_name" --persistent --shared=0 "${ro[@]}" "$img")
	;;
nbd-server)
	nbd_server_conf "$work/nbd-server.conf" "$HOST_IP" "$NBD_PORT" "$export_name" "$img" \
		"$([ -n "$writable" ] && echo false || echo true)"
	cp "$work/nbd-server.conf" "$logdir/"
	server_cmd=(nbd-server -C "$work/nbd-server.conf" -p "$work/nbd-server.pid")
	;;
nbdkit-curl)
	objectstore_start
	server_cmd=()
	;;
esac
if [ ${#server_cmd[@]} -gt 0 ]; then
	echo "# $(printf '%q ' "${server_cmd[@]}")" >"$logdir/server.log"
	server_scripts "$logdir/server.log" "${server_cmd[@]}"
	"$work/server-start"
fi
listening() { ip netns exec "$ns" ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
for _ in $(seq 100); do
	listening "$NBD_PORT" && break
	sleep 0.1
done
listening "$NBD_PORT" || {
	tail -n 20 "$logdir/server.log"
	setup_fail "$server did not listen on $HOST_IP:$NBD_PORT within 10 s"
}

# --- dnsmasq: a fixed address per MAC, one root-path for all -------------
hosts=()
for ((i = 0; i < guests; i++)); do
	hosts+=("--dhcp-host=$(mac "$i"),$(gip "$i"),fleet$i")
done
root_paths=("--dhcp-option=17,$HOST_IP:$NBD_PORT/$export_name")
[ "$server" != nbdkit-curl ] || objectstore_dhcp
# shellcheck disable=SC2054 # the commas belong to dnsmasq's option values
dnsmasq_cmd=(dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0
	--interface=br0 --bind-interfaces --except-interface=lo
	--dhcp-range=10.77.0.100,10.77.0.199,255.255.255.0,10m "${hosts[@]}"
	"${root_paths[@]}"
	--dhcp-leasefile="$work/dnsmasq.leases" --pid-file="$work/dnsmasq.pid"
	--user=root --group=root --log-dhcp --log-facility="$logdir/dnsmasq.log")
echo "# $(printf '%q ' "${dnsmasq_cmd[@]}")" >"$logdir/dnsmasq.log"
start_bg "$logdir/dnsmasq.log" "${dnsmasq_cmd[@]}" >/dev/null
for _ in $(seq 50); do
	ip netns exec "$ns" ss -Hlun 'sport = :67' 2>/dev/null | grep -q . && break
	sleep 0.1
done
ip netns exec "$ns" ss -Hlun 'sport = :67' 2>/dev/null | grep -q . || setup_fail "dnsmasq did not listen on br0 port 67"

cmdline="root=/dev/nbd0 $append console=ttyS0 panic=-1"
if [ -n "$barrier" ]; then
	mkdir -p "$work/www"
	start_bg "$logdir/httpd.log" busybox httpd -f -p "$HOST_IP:$BARRIER_PORT" -h "$work/www" >/dev/null
	cmdline="$cmdline lab.barrier=http://$HOST_IP:$BARRIER_PORT/go"
fi

# --- the guests, started together ------------------------------------------
consoles=()
pids=()
for ((i = 0; i < guests; i++)); do
	consoles+=("$logdir/console-$i.log")
	gcmd=$cmdline
	[ "$server" != nbdkit-curl ] || gcmd="$cmdline $(objectstore_guest_args "$i")"
	# shellcheck disable=SC2054 # the commas belong to QEMU's option values
	q=(qemu-system-x86_64 -machine pc -accel tcg -m "$mem" -smp 1 -nodefaults
		-no-reboot -display none -monitor none -serial "file:$logdir/console-$i.log"
		-kernel "$kernel" -initrd "$initrd" -append "$gcmd"
		-netdev "tap,id=n0,ifname=tap$i,script=no,downscript=no"
		-device "virtio-net-pci,netdev=n0,mac=$(mac "$i")")
	echo "guest $i: $(printf '%q ' "${q[@]}")" >>"$logdir/case.txt"
	pids+=("$(start_bg "$logdir/qemu-$i.log" "${q[@]}")")
done
start=$SECONDS
if [ -n "$hook" ]; then
	LAB_NETNS=$ns LAB_LOGDIR=$logdir LAB_IMAGE=$img LAB_HOST_IP=$HOST_IP LAB_PORT=$NBD_PORT \
		LAB_EXPORT=$export_name LAB_GUESTS=$guests LAB_CONSOLES="${consoles[*]}" \
		LAB_SERVER_STOP=$work/server-stop LAB_SERVER_START=$work/server-start \
		LAB_FRONTENDS="${frontend_ips[*]}" LAB_FRONTEND_PIDS="${frontend_pids[*]}" \
		setsid ip netns exec "$ns" bash -c "$hook" </dev/null >>"$logdir/hook.log" 2>&1 &
fi

on_every_console() {
	local c
	for c in "${consoles[@]}"; do
		[ -e "$c" ] && grep -qE -e "$1" "$c" || return 1
	done
}
timed_out=
while :; do
	running=0
	for p in "${pids[@]}"; do
		kill -0 "$p" 2>/dev/null && running=$((running + 1))
	done
	[ "$running" = 0 ] && break
	if [ -n "$barrier" ] && [ ! -e "$work/www/go" ] && on_every_console "$barrier"; then
		echo "barrier passed at $((SECONDS - start)) s" >"$work/www/go"
		echo "fleet: barrier /$barrier/ on every console after $((SECONDS - start)) s"
	fi
	if [ $((SECONDS - start)) -ge "$timeout" ]; then
		timed_out=$running
		for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
		break
	fi
	sleep 0.2
done
wall=$((SECONDS - start))
for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
# The server (and its writes) end before the image is hashed again; the
# shell's "Killed" notes for its own background jobs are noise.
{
	[ "$server" != nbdkit-curl ] || objectstore_stop
	kill_netns
	wait
} 2>/dev/null || true
sha_after=$(sha256sum "$img" | cut -d' ' -f1)
echo "$sha_after  export.img (after)" >>"$logdir/sha256.txt"

# --- verdict and table ----------------------------------------------------
reasons=()
[ -z "$timed_out" ] || reasons+=("$timed_out guest(s) still running after $timeout s (killed)")
printf '\n%-6s %-11s %8s  %-7s %s\n' guest ip "root at" verdict "marker"
for ((i = 0; i < guests; i++)); do
	txt=$work/console-$i.txt
	touch "${consoles[$i]}"
	tr -d '\r' <"${consoles[$i]}" >"$txt"
	why=
	for re in "${rejects[@]}"; do
		if line=$(grep -E -m1 -e "$re" "$txt"); then why="console shows /$re/: $line"; break; fi
	done
	for re in "${expects[@]}"; do
		[ -n "$why" ] && break
		grep -qE -e "$re" "$txt" || why="/$re/ never appeared"
	done
	up=$(sed -n 's/.*NBDROOT-TEST: root-init uptime=\([0-9.]*\).*/\1/p' "$txt" | head -n1)
	mark=$(grep -F 'NBDROOT-TEST: ' "$txt" | grep -E -m1 -e "$marker" | sed 's/.*NBDROOT-TEST: //') || true
	if [ -z "$why" ]; then v=PASS; else v=FAIL; reasons+=("guest $i: $why"); fi
	printf '%-6s %-11s %8s  %-7s %s\n' "$i" "$(gip "$i")" "${up:--}" "$v" "${mark:--}"
	[ -z "$up" ] || echo "$up" >>"$work/uptimes"
done
echo
echo "fleet: $guests guests, all ended after $wall s of wall time"
if [ -s "$work/uptimes" ]; then
	sort -n "$work/uptimes" | awk '{ t[NR] = $1 } END {
		printf "fleet: boot to the root'"'"'s init (guest uptime): median %s s, worst %s s, %d of '"$guests"' guests\n",
			(NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2), t[NR], NR }'
fi
if [ "$sha_before" = "$sha_after" ]; then
	echo "fleet: export sha256 unchanged: $sha_after"
else
	echo "fleet: export sha256 CHANGED: $sha_before -> $sha_after"
	reasons+=("the export's sha256 changed")
fi
[ "$server" != nbdkit-curl ] || objectstore_verdict
if [ "$server" = nbdkit ] || [ "$server" = nbdkit-curl ]; then
	touch "$reqlog"
	counts=
	for act in Connect Read Write Trim Zero Flush Cache Disconnect; do
		n=$(grep -cE "^[^ ]+ [^ ]+ connection=[0-9]+ $act " "$reqlog" || true)
		counts="$counts $act=$n"
		case $act in Write | Trim | Zero | Flush)
			[ "$n" = 0 ] || reasons+=("nbdkit's log shows $n $act request(s)") ;;
		esac
	done
	rw=$(grep -cE ' Connect .* write=1( |$)' "$reqlog" || true)
	echo "fleet: nbdkit requests:$counts (writable connects=$rw)"
	[ "$rw" = 0 ] || reasons+=("nbdkit offered $rw connection(s) writable")
fi
if [ ${#reasons[@]} -eq 0 ]; then
	verdict=PASS
	echo "fleet: PASS $case_name"
	exit 0
fi
verdict=FAIL
for ((i = 0; i < guests; i++)); do
	echo "fleet: console tail, guest $i:"
	tail -n 6 "$work/console-$i.txt" | sed 's/^/  | /'
done
echo "fleet: FAIL $case_name: $(IFS=';'; echo "${reasons[*]}")"
exit 1
