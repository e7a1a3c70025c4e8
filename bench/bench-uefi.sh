#!/bin/bash
# bench-uefi: boot to the NBD root's init by SeaBIOS PXE (iPXE ROM), UEFI PXE (OVMF, then iPXE EFI) and UEFI HTTP boot of the builder's UKI: guest uptime and power-on wall time, with the UKI's size.
# Progress on stderr, a markdown section on stdout (bench/run.sh's contract).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
# shellcheck source=bench/lib.sh
. bench/lib.sh

BOOTS=${BENCH_BOOTS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
load0=$(cut -d' ' -f1 /proc/loadavg)

make -s build/nbdroot >&2
./qemu/mkroot.sh >/dev/null
# The same virtio-only initramfs in every row; the UKI holds it, with the kernel and the command line.
cmdline="nbdroot=dhcp ip=dhcp root=/dev/nbd0 lab.test=poweroff"
./initramfs/build.sh --nic "virtio_net virtio_pci" -o "$work/initrd.cpio.gz" >&2
./initramfs/build.sh --nic "virtio_net virtio_pci" --uki "$work/nbdroot.efi" \
	--cmdline "$cmdline console=ttyS0 panic=-1" >&2
root_path=--dnsmasq-arg=--dhcp-option=option:root-path,nbd://10.77.0.1:10809/root

# boots NAME LAB-ARGS...: BOOTS guests; per boot, the root init's uptime and the host's seconds from QEMU's start
# to that line on the console (a hook polling every 0.2 s), in $work/NAME.up and $work/NAME.wall.
boots() {
	local name=$1 i out up wall
	shift
	: >"$work/$name.up"
	: >"$work/$name.wall"
	for ((i = 1; i <= BOOTS; i++)); do
		rm -f "$work/wall"
		out=$(./qemu/lab.sh --case "bench-$name" --timeout 240 "$root_path" "$@" \
			--hook ". '$here/tests/boot/reconnect-lib.sh'; t0=\$(date +%s.%N)
wait_console 'NBDROOT-TEST: root-init' 230 && echo \"\$(date +%s.%N) \$t0\" | awk '{ printf \"%.1f\\n\", \$1 - \$2 }' >'$work/wall'" \
			--expect 'NBDROOT-TEST: root-init') || {
			echo "$out" >&2
			echo "bench-uefi: $name boot $i failed" >&2
			return 1
		}
		up=$(sed -n 's/.*NBDROOT-TEST: root-init uptime=\([0-9.]*\).*/\1/p' <<<"$out" | head -n1)
		for _ in $(seq 20); do [ -s "$work/wall" ] && break; sleep 0.1; done
		wall=$(cat "$work/wall")
		echo "bench-uefi: $name boot $i: root init at uptime $up s, $wall s after power-on" >&2
		echo "$up" >>"$work/$name.up"
		echo "$wall" >>"$work/$name.wall"
	done
}

boots seabios-pxe --pxe --firmware bios --initrd "$work/initrd.cpio.gz" --append "$cmdline"
boots uefi-pxe --pxe --firmware uefi --initrd "$work/initrd.cpio.gz" --append "$cmdline"
boots uefi-http --http-boot --uki "$work/nbdroot.efi"

row() { # row LABEL NAME SIZE-TEXT
	local um umin umax wm wmin wmax
	read -r um umin umax < <(stats <"$work/$2.up")
	read -r wm wmin wmax < <(stats <"$work/$2.wall")
	echo "| $1 | $3 | $um s | $umin-$umax s | $wm s | $wmin-$wmax s |"
}
uki=$(stat -c %s "$work/nbdroot.efi")
initrd=$(stat -c %s "$work/initrd.cpio.gz")
kernel=$(stat -c %s "${NBDROOT_CACHE:-$here/.cache}/kernel/vmlinuz")

echo "## UEFI: PXE and HTTP boot beside SeaBIOS PXE"
echo
echo "Boot to the NBD root's /sbin/init, root from the DHCP root-path, $BOOTS boots each (QEMU TCG, 1 vCPU, 512 MB, virtio-net, nbdkit and dnsmasq in the lab netns; load average $load0 at the start, on 2 cores)."
echo "Guest uptime is the kernel's, at the root init; power-on is the host's wall time from QEMU's start to that line, firmware and downloads included."
echo
echo "| boot path | what the firmware loads (bytes) | guest uptime (median) | min-max | power-on to root init (median) | min-max |"
echo "|---|---:|---:|---:|---:|---:|"
row "SeaBIOS + iPXE ROM, PXE (TFTP)" seabios-pxe "kernel $kernel + initramfs $initrd by TFTP"
row "OVMF PXE -> iPXE EFI (TFTP)" uefi-pxe "ipxe.efi $(stat -L -c %s /usr/lib/ipxe/ipxe.efi), kernel $kernel + initramfs $initrd by TFTP"
row "OVMF HTTP boot of the UKI (lighttpd)" uefi-http "UKI $uki ($(awk -v b="$uki" 'BEGIN { printf "%.2f MiB", b / 1048576 }')) by HTTP"
echo
echo "The UKI is \`mkinitramfs-nbdroot --nic \"virtio_net virtio_pci\" --uki\`: systemd-boot-efi $(dpkg-query -W -f='${Version}' systemd-boot-efi)'s stub, the kernel and the same virtio-only initramfs, gzip. OVMF $(dpkg-query -W -f='${Version}' ovmf), iPXE $(dpkg-query -W -f='${Version}' ipxe)."
