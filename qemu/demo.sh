#!/bin/bash
# demo.sh: builds what is missing and boots a QEMU guest whose root is an NBD export, leaving you at its shell.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

server=nbdkit
check=
firmware=bios
arch=x86_64
usage() {
	cat <<EOF
usage: qemu/demo.sh [--server nbdkit|nbd-server|qemu-nbd] [--firmware bios|uefi|uefi-http] [--check] [--arch arm64]
  Boots the lab guest from an NBD root and leaves you at a shell on it
  (serial console here; 'exit' powers off, ctrl-a x quits QEMU).
  --firmware  bios: SeaBIOS + iPXE ROM (default); uefi: OVMF's PXE, then
           iPXE's EFI build; uefi-http: OVMF's HTTP boot of a UKI (one EFI file:
           kernel, nbdroot initramfs, command line) built by mkinitramfs-nbdroot --uki
  --check  boot without a person: pass when the root's init reports in (for CI)
  --arch arm64  an arm64 guest (make demo ARCH=arm64): qemu-system-aarch64 -M virt, direct
           kernel boot (no PXE: Debian's iPXE has no arm64 build), the same DHCP root-path
EOF
}
while [ $# -gt 0 ]; do
	case $1 in
	--server) server=$2; shift ;;
	--check) check=1 ;;
	--firmware) firmware=$2; shift ;;
	--arch) arch=$2; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done

case $firmware in bios | uefi | uefi-http) ;; *) usage >&2; echo "demo: --firmware \"$firmware\": expected bios, uefi or uefi-http" >&2; exit 2 ;; esac
[ "$arch" != arm64 ] || [ "$firmware" = bios ] || { echo "demo: --firmware $firmware with --arch arm64: the arm64 demo boots its kernel directly, expected no --firmware" >&2; exit 2; }
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
fw_check=(--expect 'iPXE initialising devices')
how="its
  firmware (SeaBIOS + iPXE) loads the kernel and the nbdroot initramfs by
  TFTP"
case $firmware in
uefi)
	dhcp+=(--firmware uefi)
	fw_check=(--expect 'NBP filename is ipxe\.efi' --expect 'iPXE initialising devices')
	how="its
  firmware (OVMF) loads iPXE's EFI build, which loads the kernel and the
  nbdroot initramfs by TFTP" ;;
uefi-http)
	# The UKI carries the command line: the check's own has lab.test=poweroff.
	uki=build/demo-uki${check:+-check}.efi
	./initramfs/build.sh --nic "virtio_net virtio_pci" --uki "$uki" \
		--cmdline "$cmdline${check:+ lab.test=poweroff} console=ttyS0 panic=-1"
	# shellcheck disable=SC2054 # the comma belongs to the dnsmasq option
	dhcp=(--http-boot --uki "$uki" --dnsmasq-arg=--dhcp-option=17,10.77.0.1:10809/root)
	fw_check=(--expect 'URI: http://10\.77\.0\.1/nbdroot\.efi' --expect 'BdsDxe: starting Boot0001 "UEFI HTTPv4')
	how="its
  firmware (OVMF) gets the URL of one file by DHCP and loads it from lighttpd:
  a UKI ($uki) holding the kernel, the nbdroot initramfs and" ;;
esac
if [ -n "$check" ]; then
	exec ./qemu/lab.sh --case demo-check --server "$server" "${dhcp[@]}" --timeout 200 \
		--append "$cmdline lab.test=poweroff" \
		"${fw_check[@]}" \
		--expect 'nbdroot: dhcp: eth0: lease from 10\.77\.0\.1 ' \
		--expect 'NBDROOT-TEST: root-init .*root="/dev/nbd0 / ext4 rw,.* rw-probe=ok'
fi
cat <<EOF

  nbdroot demo: $server serves the test root at 10.77.0.1:10809 (export "root")
  inside a private network namespace, and dnsmasq hands out addresses with the
  root-path 10.77.0.1:10809/root. The diskless guest boots from the network: $how
  the command line, which is only
    $cmdline
  its address and its root come by DHCP, and you get a shell on /dev/nbd0.
  'exit' powers it off; ctrl-a x quits QEMU.

EOF
exec ./qemu/lab.sh --case demo --server "$server" "${dhcp[@]}" --interactive --append "$cmdline"
