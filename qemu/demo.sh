#!/bin/bash
# demo.sh: builds what is missing and boots a QEMU guest whose root is an NBD export, leaving you at its shell.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

server=nbdkit
check=
usage() {
	cat <<EOF
usage: qemu/demo.sh [--server nbdkit|nbd-server|qemu-nbd] [--check]
  Boots the lab guest from an NBD root and leaves you at a shell on it
  (serial console here; 'exit' powers off, ctrl-a x quits QEMU).
  --check  boot without a person: pass when the root's init reports in (for CI)
EOF
}
while [ $# -gt 0 ]; do
	case $1 in
	--server) server=$2; shift ;;
	--check) check=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done

[ -e "${NBDROOT_CACHE:-.cache}/kernel/vmlinuz" ] || ./qemu/deps.sh
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
