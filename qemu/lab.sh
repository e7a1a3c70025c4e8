#!/bin/bash
# lab.sh: one netboot case: private netns + tap, an NBD server (+ dnsmasq), a QEMU TCG guest, a verdict from its console.
# SC2317: cleanup runs from a trap; SC2016: generated scripts are quoted on purpose.
# shellcheck disable=SC2317,SC2016
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/qemu/lib.sh"
cache=${NBDROOT_CACHE:-$here/.cache}

# Fixed lab addresses (the netns is private, so parallel cases do not collide).
HOST_IP=10.77.0.1
GUEST_IP=10.77.0.10
NBD_PORT=10809
GUEST_MAC=52:54:00:12:34:56

case_name=lab
server=nbdkit
export_name=root
readonly_export=
image=
root_dir=
image_size=64M
label=nbdroot
kernel=$cache/kernel/vmlinuz
initrd=$here/build/initramfs.cpio.gz
append=
use_dnsmasq=
dnsmasq_args=()
server_args=()
server_params=()
qemu_args=()
timeout=
expects=()
rejects=('Kernel panic')
keep_logs=
interactive=
hook=
pxe=
server_ip=
extra_nic=
lease=10m
arch=${NBDROOT_ARCH:-x86_64}

usage() {
	cat <<EOF
usage: qemu/lab.sh [options]
  --case NAME          name for the verdict and the log folder (default lab)
  --server S           nbdkit | nbd-server | qemu-nbd | none (default nbdkit)
  --server-arg ARG     extra argument for the server (repeatable), e.g. --filter=delay
  --server-param K=V   nbdkit only: a plugin or filter parameter, after the plugin's own
                       (repeatable), e.g. delay-write=2 or error-pread-file=FILE
  --export NAME        export name (default root); others are refused
  --server-ip IP       the NBD server listens on IP, a second address on tap0 (10.77.0.x),
                       instead of $HOST_IP (dnsmasq stays on $HOST_IP): for next-server
  --readonly           serve the export read-only
  --image FILE         serve a private copy of FILE (default: qemu/mkroot.sh's test root)
  --root-dir DIR       serve an ext4 image made from DIR (mkfs.ext4 -d)
  --image-size SIZE    size for --root-dir (default 64M); --label L (default nbdroot)
  --arch A             x86_64 (default; or NBDROOT_ARCH) or arm64: qemu-system-aarch64 -M virt
                       -cpu cortex-a57, .cache/arm64/kernel/vmlinuz, build/arm64/initramfs.cpio.gz,
                       the arm64 test root, console ttyAMA0; with --pxe, UEFI netboot: AAVMF's PXE
                       loads a UKI (qemu/uki.sh: systemd-stub + kernel + initramfs + command line) by TFTP
  --kernel FILE        guest kernel (default .cache/kernel/vmlinuz)
  --initrd FILE        guest initramfs (default build/initramfs.cpio.gz)
  --append "ARGS"      guest command line (console=ttyS0 panic=-1 are added)
  --dnsmasq            run dnsmasq (DHCP only) on tap0
  --dnsmasq-arg ARG    extra dnsmasq argument (repeatable), e.g. --dhcp-option=17,...
  --lease TIME         dnsmasq's lease time (default 10m; at least 2m)
  --extra-nic          a second NIC, on tap1 (no address, no DHCP), placed first: the
                       guest's eth0 is then that one and the lab's network is eth1
  --pxe                boot by PXE instead of -kernel: QEMU's iPXE ROM gets DHCP and TFTP
                       from dnsmasq (implies --dnsmasq), which serves the kernel, the
                       initramfs and a boot.ipxe script carrying the command line
  --qemu-arg ARG       extra QEMU argument (repeatable)
  --timeout S          wall limit for the guest (default 60; none when --interactive)
  --expect REGEX       must appear on the console (repeatable, grep -E)
  --reject REGEX       must not appear on the console (repeatable; 'Kernel panic' always)
  --hook CMD           run CMD (bash) while the guest runs; see README.md for its environment
  --keep-logs          keep qemu/logs/<case>-<time>/ also when the case passes
  --interactive        serial console on this terminal (ctrl-a x quits), no verdict
Guest: eth0 $GUEST_MAC, expected at $GUEST_IP; server: $HOST_IP:$NBD_PORT in netns nbdroot-lab-<pid>.
Prints "lab: PASS <case>" or "lab: FAIL <case>: <reason>"; exit 0 / 1 (2: lab setup error).
EOF
}

while [ $# -gt 0 ]; do
	case $1 in
	--*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}" ;; # --opt=value is --opt value
	esac
	case $1 in
	--case) case_name=$2; shift ;;
	--server) server=$2; shift ;;
	--server-arg) server_args+=("$2"); shift ;;
	--server-param) server_params+=("$2"); shift ;;
	--export) export_name=$2; shift ;;
	--readonly) readonly_export=1 ;;
	--image) image=$2; shift ;;
	--root-dir) root_dir=$2; shift ;;
	--image-size) image_size=$2; shift ;;
	--label) label=$2; shift ;;
	--arch) arch=$2; shift ;;
	--kernel) kernel=$2; kernel_set=1; shift ;;
	--initrd) initrd=$2; initrd_set=1; shift ;;
	--append) append=$2; shift ;;
	--dnsmasq) use_dnsmasq=1 ;;
	--dnsmasq-arg) dnsmasq_args+=("$2"); shift ;;
	--lease) lease=$2; shift ;;
	--server-ip) server_ip=$2; shift ;;
	--extra-nic) extra_nic=1 ;;
	--pxe) pxe=1; use_dnsmasq=1 ;;
	--qemu-arg) qemu_args+=("$2"); shift ;;
	--timeout) timeout=$2; shift ;;
	--expect) expects+=("$2"); shift ;;
	--reject) rejects+=("$2"); shift ;;
	--hook) hook=$2; shift ;;
	--keep-logs) keep_logs=1 ;;
	--interactive) interactive=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; echo "lab: unknown argument \"$1\"" >&2; exit 2 ;;
	esac
	shift
done

setup_fail() {
	echo "lab: FAIL $case_name: $*"
	exit 2
}

[ "$(id -u)" = 0 ] || setup_fail "must run as root (netns, tap)"
# --arch arm64: its own kernel, image, test root and console (the defaults' arm64 twins).
mkroot_args=()
case $arch in
x86_64 | amd64) arch=x86_64 ;;
arm64)
	[ -n "${kernel_set:-}" ] || kernel=$cache/arm64/kernel/vmlinuz
	[ -n "${initrd_set:-}" ] || initrd=$here/build/arm64/initramfs.cpio.gz
	mkroot_args=(--arch arm64)
	# the verdict and the log folder say which guest it was
	case $case_name in *arm64*) ;; *) case_name=$case_name-arm64 ;; esac
	# and every arm64 verdict proves the guest was one: its kernel and board on the console
	expects+=('Linux version [^ ]+-arm64 ' 'Machine model: linux,dummy-virt')
	# --pxe: UEFI netboot (Debian's iPXE has no arm64 build): AAVMF's own PXE client loads a UKI by TFTP
	aavmf=/usr/share/AAVMF/AAVMF_CODE.fd
	uki_stub=$cache/arm64/root/usr/lib/systemd/boot/efi/linuxaa64.efi.stub
	if [ -n "$pxe" ]; then
		[ -r "$aavmf" ] || setup_fail "--arch arm64 --pxe: no $aavmf (Debian: qemu-efi-aarch64)"
		[ -r "$uki_stub" ] || setup_fail "--arch arm64 --pxe: no $uki_stub (run qemu/deps.sh)"
	fi
	;;
*) setup_fail "--arch \"$arch\": expected x86_64 or arm64" ;;
esac
case $server in nbdkit | nbd-server | qemu-nbd | none) ;; *) setup_fail "unknown server \"$server\"" ;; esac
[ ${#server_params[@]} -eq 0 ] || [ "$server" = nbdkit ] || setup_fail "--server-param is for nbdkit only"
[ -r "$kernel" ] || setup_fail "no kernel at $kernel (run ./qemu/deps.sh)"
[ -r "$initrd" ] || setup_fail "no initramfs at $initrd (run make initramfs)"
if [ -z "$timeout" ]; then
	[ -n "$interactive" ] && timeout=0 || timeout=60
fi

ns=nbdroot-lab-$$
logdir=$here/qemu/logs/$case_name-$(date +%Y%m%d-%H%M%S)-$$
work=$(mktemp -d "${TMPDIR:-/var/tmp}/nbdroot-lab.XXXXXX")
mkdir -p "$logdir"
console=$logdir/console.log
verdict=
qemu_pid=

install_cleanup lab

# --- the export image ---------------------------------------------------
img=$work/export.img
if [ -n "$root_dir" ]; then
	mkfs.ext4 -q -F -L "$label" -d "$root_dir" "$img" "$image_size" >/dev/null ||
		setup_fail "mkfs.ext4 -d $root_dir failed"
else
	if [ -z "$image" ]; then
		image=$("$here/qemu/mkroot.sh" --print "${mkroot_args[@]}") || setup_fail "qemu/mkroot.sh failed"
	fi
	[ -r "$image" ] || setup_fail "no image $image"
	# A private copy: a case that writes must not change the next one's root.
	cp --sparse=always "$image" "$img"
fi

# --- network ----------------------------------------------------------------
ip netns add "$ns" || setup_fail "ip netns add $ns"
ip -n "$ns" link set lo up
ip -n "$ns" tuntap add tap0 mode tap
ip -n "$ns" addr add "$HOST_IP/24" dev tap0
[ -z "$server_ip" ] || ip -n "$ns" addr add "$server_ip/24" dev tap0
ip -n "$ns" link set tap0 up
listen_ip=${server_ip:-$HOST_IP}
nic_args=()
if [ -n "$extra_nic" ]; then
	ip -n "$ns" tuntap add tap1 mode tap
	ip -n "$ns" link set tap1 up
	# shellcheck disable=SC2054 # the commas belong to QEMU's option values
	nic_args=(-netdev tap,id=n1,ifname=tap1,script=no,downscript=no
		-device virtio-net-pci,netdev=n1,mac=52:54:00:12:34:99)
fi

# --- NBD server -------------------------------------------------------------
# server.sh starts the server again; hooks use it to simulate restarts.
ro_flag=()
case $server in
nbdkit)
	[ -n "$readonly_export" ] && ro_flag=(-r)
	server_cmd=(nbdkit --foreground --ipaddr "$listen_ip" --port "$NBD_PORT"
		"${ro_flag[@]}" "${server_args[@]}"
		--filter=exportname file "file=$img"
		"exportname=$export_name" exportname-strict=true exportname-list=explicit
		"${server_params[@]}")
	;;
nbd-server)
	nbd_server_conf "$work/nbd-server.conf" "$listen_ip" "$NBD_PORT" "$export_name" "$img" \
		"$([ -n "$readonly_export" ] && echo true || echo false)"
	# -d would serve one client and exit; as a daemon it forks per client,
	# and the pid file names its process group.
	server_cmd=(nbd-server -C "$work/nbd-server.conf" -p "$work/nbd-server.pid"
		"${server_args[@]}")
	;;
qemu-nbd)
	[ -n "$readonly_export" ] && ro_flag=(--read-only)
	server_cmd=(qemu-nbd --format=raw --bind="$listen_ip" --port="$NBD_PORT"
		--export-name="$export_name" --persistent --shared=8 --cache=writeback
		"${ro_flag[@]}" "${server_args[@]}" "$img")
	;;
none)
	server_cmd=()
	;;
esac

server_listening() {
	ip netns exec "$ns" ss -Hltn "sport = :$NBD_PORT" 2>/dev/null | grep -q .
}

server_scripts "$logdir/server.log" "${server_cmd[@]}"

if [ "$server" != none ]; then
	echo "# $(printf '%q ' "${server_cmd[@]}")" >"$logdir/server.log"
	"$work/server-start"
	for _ in $(seq 100); do
		server_listening && break
		sleep 0.1
	done
	server_listening || {
		{
			echo "lab: $server log:"
			tail -n 20 "$logdir/server.log"
			echo "lab: processes in $ns:"
			for p in $(ip netns pids "$ns"); do
				ps -o pid=,stat=,wchan:24=,etimes=,args= -p "$p"
			done
			ip netns exec "$ns" ss -tanp
			ip -n "$ns" addr show tap0
		} >>"$logdir/setup.log" 2>&1
		cat "$logdir/setup.log"
		setup_fail "$server did not listen on $listen_ip:$NBD_PORT within 10 s"
	}
fi

# --- dnsmasq ------------------------------------------------------------
cmdline="$append console=ttyS0 panic=-1"
[ "$arch" != arm64 ] || cmdline="$append console=ttyAMA0 panic=-1"
if [ -n "$pxe" ] && [ "$arch" = arm64 ]; then
	# AAVMF's PXE (client architecture 11, ARM64 UEFI) gets one EFI program by TFTP: a UKI of the
	# kernel, the initramfs and the command line (qemu/uki.sh, systemd-stub). No BOOTIF: nothing
	# between the firmware and the kernel knows the MAC to write it.
	mkdir -p "$work/tftp"
	"$here/qemu/uki.sh" "$uki_stub" "$kernel" "$initrd" "$cmdline" "$work/tftp/nbdroot-arm64.efi" \
		2>>"$logdir/setup.log" || setup_fail "qemu/uki.sh failed (see setup.log)"
	# shellcheck disable=SC2054 # the commas belong to dnsmasq's option values
	dnsmasq_args+=(--enable-tftp --tftp-root="$work/tftp" --dhcp-match=set:efi-arm64,option:client-arch,11
		--dhcp-boot=tag:efi-arm64,nbdroot-arm64.efi)
elif [ -n "$pxe" ]; then
	# QEMU's NIC ROM is iPXE (it sends option 175), so dnsmasq hands it the
	# script directly; the script fetches the rest from the same TFTP root.
	# BOOTIF= names the NIC that booted, as PXELINUX's IPAPPEND 2 does.
	mkdir -p "$work/tftp"
	cp "$kernel" "$work/tftp/vmlinuz"
	cp "$initrd" "$work/tftp/initrd.img"
	printf '#!ipxe\necho lab: iPXE: kernel and initramfs by TFTP from ${next-server}\nkernel vmlinuz initrd=initrd.img BOOTIF=01-${netX/mac:hexhyp} %s\ninitrd initrd.img\nboot\n' \
		"$cmdline" >"$work/tftp/boot.ipxe"
	cp "$work/tftp/boot.ipxe" "$logdir/boot.ipxe"
	# shellcheck disable=SC2054 # the commas belong to dnsmasq's option values
	dnsmasq_args+=(--enable-tftp --tftp-root="$work/tftp" --dhcp-match=set:ipxe,175
		--dhcp-boot=tag:ipxe,boot.ipxe)
fi
if [ -n "$use_dnsmasq" ]; then
	# shellcheck disable=SC2054 # the commas belong to dnsmasq's option values
	dnsmasq_cmd=(dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0
		--interface=tap0 --bind-interfaces --except-interface=lo
		--dhcp-range="10.77.0.100,10.77.0.199,255.255.255.0,$lease"
		--dhcp-host="$GUEST_MAC,$GUEST_IP"
		--dhcp-leasefile="$work/dnsmasq.leases" --pid-file="$work/dnsmasq.pid"
		--user=root --group=root
		--log-dhcp --log-facility="$logdir/dnsmasq.log"
		"${dnsmasq_args[@]}")
	echo "# $(printf '%q ' "${dnsmasq_cmd[@]}")" >"$logdir/dnsmasq.log"
	dnsmasq_pid=$(start_bg "$logdir/dnsmasq.log" "${dnsmasq_cmd[@]}")
	for _ in $(seq 50); do
		ip netns exec "$ns" ss -Hlun 'sport = :67' 2>/dev/null | grep -q . && break
		kill -0 "$dnsmasq_pid" 2>/dev/null || break
		sleep 0.1
	done
	ip netns exec "$ns" ss -Hlun 'sport = :67' 2>/dev/null | grep -q . || {
		tail -n 20 "$logdir/dnsmasq.log" >&2
		setup_fail "dnsmasq did not listen on tap0 port 67"
	}
fi

# --- the guest --------------------------------------------------------------
boot_args=(-kernel "$kernel" -initrd "$initrd" -append "$cmdline")
if [ -n "$pxe" ]; then
	# Without graphics QEMU tells SeaBIOS to use its serial console: the
	# firmware and iPXE are on ttyS0 too, the whole path from power-on.
	boot_args=(-boot order=n -machine graphics=off)
fi
if [ -n "$pxe" ] && [ "$arch" = arm64 ]; then
	# AAVMF (its code read-only, a private copy of its variable store); no disk, so it netboots.
	cp /usr/share/AAVMF/AAVMF_VARS.fd "$work/aavmf-vars.fd"
	# shellcheck disable=SC2054 # the commas belong to QEMU's option values
	boot_args=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$aavmf"
		-drive "if=pflash,format=raw,unit=1,file=$work/aavmf-vars.fd")
fi
# shellcheck disable=SC2054 # the commas belong to QEMU's option values
qemu_cmd=(qemu-system-x86_64 -machine pc -accel tcg -m 512 -smp 1 -nodefaults
	-no-reboot -display none
	"${boot_args[@]}"
	"${nic_args[@]}"
	-netdev tap,id=n0,ifname=tap0,script=no,downscript=no
	-device "virtio-net-pci,netdev=n0,mac=$GUEST_MAC"
	"${qemu_args[@]}")
if [ "$arch" = arm64 ]; then
	# The same guest on QEMU's arm64 virt board (PL011 console, virtio-net-pci on its PCIe bus).
	qemu_cmd=(qemu-system-aarch64 -machine virt -cpu cortex-a57 "${qemu_cmd[@]:3}")
fi
{
	echo "case: $case_name"
	echo "server: $server export=$export_name readonly=${readonly_export:-0} dnsmasq=${use_dnsmasq:-0} pxe=${pxe:-0}"
	echo "qemu: $(printf '%q ' "${qemu_cmd[@]}")"
} >"$logdir/case.txt"

if [ -n "$interactive" ]; then
	echo "lab: booting $case_name (serial console here; ctrl-a x quits QEMU)"
	if [ "$timeout" -gt 0 ]; then
		ip netns exec "$ns" timeout --foreground -s KILL "$timeout" "${qemu_cmd[@]}" -serial mon:stdio || true
	else
		ip netns exec "$ns" "${qemu_cmd[@]}" -serial mon:stdio || true
	fi
	verdict=PASS
	echo "lab: interactive session $case_name ended"
	exit 0
fi

qemu_pid=$(start_bg "$logdir/qemu.log" "${qemu_cmd[@]}" -monitor none -serial "file:$console")
start=$SECONDS
if [ -n "$hook" ]; then
	LAB_NETNS=$ns LAB_CONSOLE=$console LAB_LOGDIR=$logdir \
		LAB_SERVER_START=$work/server-start LAB_SERVER_STOP=$work/server-stop \
		LAB_HOST_IP=$HOST_IP LAB_GUEST_IP=$GUEST_IP LAB_PORT=$NBD_PORT LAB_EXPORT=$export_name \
		LAB_IMAGE=$img \
		LAB_QEMU_PID=$qemu_pid setsid ip netns exec "$ns" bash -c "$hook" \
		</dev/null >>"$logdir/hook.log" 2>&1 &
fi
timed_out=
while kill -0 "$qemu_pid" 2>/dev/null; do
	if [ $((SECONDS - start)) -ge "$timeout" ]; then
		timed_out=1
		kill -KILL -- "-$qemu_pid" 2>/dev/null || true
		break
	fi
	sleep 0.2
done
wait "$qemu_pid" 2>/dev/null || true
elapsed=$((SECONDS - start))

# --- verdict ------------------------------------------------------------
touch "$console"
tr -d '\r' <"$console" >"$work/console.txt"
reason=
if [ -n "$timed_out" ]; then
	reason="guest still running after ${timeout} s (killed)"
fi
for re in "${rejects[@]}"; do
	[ -n "$reason" ] && break
	if line=$(grep -E -m1 -e "$re" "$work/console.txt"); then
		reason="console shows /$re/: $line"
	fi
done
for re in "${expects[@]}"; do
	if line=$(grep -E -m1 -e "$re" "$work/console.txt"); then
		echo "lab: matched: $line"
	elif [ -z "$reason" ]; then
		reason="/$re/ never appeared on the console"
	fi
done
if [ -z "$reason" ]; then
	verdict=PASS
	echo "lab: PASS $case_name (guest ended after ${elapsed} s)"
	exit 0
fi
verdict=FAIL
echo "lab: console tail ($case_name):"
tail -n 15 "$work/console.txt" | sed 's/^/  | /'
echo "lab: FAIL $case_name: $reason"
exit 1
