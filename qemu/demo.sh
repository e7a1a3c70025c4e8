#!/bin/bash
# demo.sh: builds what is missing and boots a QEMU guest whose root is an NBD export, leaving you at its shell.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

server=nbdkit
check=
arch=x86_64
usage() {
	cat <<EOF
usage: qemu/demo.sh [--server nbdkit|nbd-server|qemu-nbd] [--check] [--arch arm64]
  Boots the lab guest from an NBD root and leaves you at a shell on it
  (serial console here; 'exit' powers off, ctrl-a x quits QEMU).
  --check  boot without a person: pass when the root's init reports in (for CI)
  --arch arm64  an arm64 guest (make demo ARCH=arm64): qemu-system-aarch64 -M virt, direct
           kernel boot (no PXE: Debian's iPXE has no arm64 build), the same DHCP root-path
EOF
}
while [ $# -gt 0 ]; do
	case $1 in
	--server) server=$2; shift ;;
	--check) check=1 ;;
	--arch) arch=$2; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done

[ -e "${NBDROOT_CACHE:-.cache}/kernel/vmlinuz" ] || ./qemu/deps.sh
if [ "$arch" = arm64 ]; then
	[ -e "${NBDROOT_CACHE:-.cache}/arm64/kernel/vmlinuz" ] || ./qemu/deps.sh
	make -s ARCH=arm64 all initramfs
	cmdline="root=/dev/nbd0"
	# shellcheck disable=SC2054 # the comma belongs to the dnsmasq option
	dhcp=(--arch arm64 --dnsmasq --dnsmasq-arg=--dhcp-option=17,10.77.0.1:10809/root)
	if [ -n "$check" ]; then
		exec ./qemu/lab.sh --case demo-check --server "$server" "${dhcp[@]}" --timeout 150 \
			--append "$cmdline lab.test=poweroff" \
			--expect 'Machine model: linux,dummy-virt' \
			--expect 'nbdroot: dhcp: eth0: lease from 10\.77\.0\.1 ' \
			--expect 'NBDROOT-TEST: root-init .*root="/dev/nbd0 / ext4 rw,.* rw-probe=ok'
	fi
	cat <<BANNER

  nbdroot demo (arm64): $server serves the arm64 test root at 10.77.0.1:10809 (export
  "root") inside a private network namespace, and dnsmasq hands out addresses with the
  root-path 10.77.0.1:10809/root. QEMU's arm64 virt board (cortex-a57, TCG) starts the
  arm64 kernel and the nbdroot initramfs directly; its command line is only
    $cmdline
  its address and its root come by DHCP, and you get a shell on /dev/nbd0.
  'exit' powers it off; ctrl-a x quits QEMU.

BANNER
	exec ./qemu/lab.sh --case demo --server "$server" "${dhcp[@]}" --interactive --append "$cmdline"
fi
[ "$arch" = x86_64 ] || { echo "demo: --arch \"$arch\": expected x86_64 or arm64" >&2; exit 2; }
[ -x build/nbdroot ] || make build/nbdroot
./initramfs/build.sh -o build/initramfs.cpio.gz
./qemu/mkroot.sh

# The PXE path of a diskless machine: the firmware's iPXE gets the kernel,
# our initramfs and the command line (boot.ipxe) from dnsmasq's DHCP and
# TFTP; no address and no server on the command line: nbdroot's DHCP client
# gets both, and the root from dnsmasq's root-path.
cmdline="root=/dev/nbd0"
# shellcheck disable=SC2054 # the comma belongs to the dnsmasq option
dhcp=(--pxe --dnsmasq --dnsmasq-arg=--dhcp-option=17,10.77.0.1:10809/root)
if [ -n "$check" ]; then
	exec ./qemu/lab.sh --case demo-check --server "$server" "${dhcp[@]}" --timeout 150 \
		--append "$cmdline lab.test=poweroff" \
		--expect 'iPXE initialising devices' \
		--expect 'nbdroot: dhcp: eth0: lease from 10\.77\.0\.1 ' \
		--expect 'NBDROOT-TEST: root-init .*root="/dev/nbd0 / ext4 rw,.* rw-probe=ok'
fi
cat <<EOF

  nbdroot demo: $server serves the test root at 10.77.0.1:10809 (export "root")
  inside a private network namespace, and dnsmasq hands out addresses with the
  root-path 10.77.0.1:10809/root. The diskless guest boots by PXE: its
  firmware (SeaBIOS + iPXE) loads the kernel and the nbdroot initramfs by
  TFTP; its command line is only
    $cmdline
  its address and its root come by DHCP, and you get a shell on /dev/nbd0.
  'exit' powers it off; ctrl-a x quits QEMU.

EOF
exec ./qemu/lab.sh --case demo --server "$server" "${dhcp[@]}" --interactive --append "$cmdline"
