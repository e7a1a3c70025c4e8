#!/bin/bash
# bench-initramfs: our initramfs's size and the guest uptime when the NBD root's init starts, beside a Debian dracut + nbd-client image in the same lab.
# Progress on stderr, a markdown section on stdout (bench/run.sh's contract).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
# shellcheck source=bench/lib.sh
. bench/lib.sh

BOOTS=${BENCH_BOOTS:-5}
# BENCH_INITRAMFS_DRACUT=1: also build and boot a dracut + nbd-client image made with the host's dracut
# configuration (about 5 minutes of make bench); bench-dracut boots the controlled dracut images either way.
with_dracut=${BENCH_INITRAMFS_DRACUT:-0}
cache=${NBDROOT_CACHE:-$here/.cache}/bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$cache"
kver=$(cat "${NBDROOT_CACHE:-.cache}/kernel/version")
moddir=${NBDROOT_CACHE:-$here/.cache}/kernel/root/lib/modules/$kver

make -s build/nbdroot >&2
./qemu/mkroot.sh >/dev/null


# Our images: the shipped NIC set and the lab's virtio-only one, gzip (the
# lab's default) and zstd (the builder's default for other names).
./initramfs/build.sh -o "$work/nbdroot-default.cpio.gz" >&2
./initramfs/build.sh -o "$work/nbdroot-default.cpio.zst" >&2
./initramfs/build.sh --nic "virtio_net virtio_pci" -o "$work/nbdroot-virtio.cpio.gz" >&2
./initramfs/build.sh --nic "virtio_net virtio_pci" -o "$work/nbdroot-virtio.cpio.zst" >&2

# The anchor: Debian's dracut with its nbd module and nbd-client, generic
# (not host-only). 059's systemd-networkd module never runs the netroot
# handler, so the network comes from network-legacy (dhclient, ifup). Cached:
# it takes minutes to build.
dracut_img=$cache/dracut-nbd-client-$kver.img
dracut_stamp=$(echo "$kver $(dpkg-query -W -f='${Version}' dracut nbd-client) v1" | sha256sum | cut -c1-16)
if [ "$with_dracut" = 1 ] && { [ ! -f "$dracut_img" ] || [ "$(cat "$dracut_img.stamp" 2>/dev/null)" != "$dracut_stamp" ]; }; then
	echo "bench-initramfs: building the dracut + nbd-client image (minutes, cached)" >&2
	dracut --force --quiet --no-hostonly --no-early-microcode --kver "$kver" --kmoddir "$moddir" \
		--add "nbd network-legacy" --omit "systemd-networkd network-manager" \
		--add-drivers "nbd virtio_net virtio_pci ext4" "$dracut_img.new" >&2
	mv "$dracut_img.new" "$dracut_img"
	echo "$dracut_stamp" >"$dracut_img.stamp"
fi

# steps < CONSOLE-LOG: "STEP UPTIME" for each step of the boot the log shows (the kernel's timestamps on its
# own lines and on nbdroot's and the init's, which go to /dev/kmsg; the root init's own uptime figure)
steps() {
	tr -d '\r' | awk '
		function at(step) { t = $0; sub(/^\[ */, "", t); sub(/\].*/, "", t); print step, t }
		/Run \/init as init process/ { at("init") }
		/nbdroot-init: loaded [0-9]+ modules/ { at("modules") }
		/nbdroot: (ip|dhcp): eth0: (lease from|[0-9.]+ netmask)/ && !net { at("network"); net = 1 }
		/nbdroot: attach: \/dev\/nbd0:/ { at("attach") }
		/nbdroot-init: root \/dev\/nbd0 mounted/ { at("mount") }
		/NBDROOT-TEST: root-init uptime=/ { t = $0; sub(/.*uptime=/, "", t); sub(/ .*/, "", t); print "root-init", t }'
}

# boots NAME INITRD APPEND [LAB-ARG...]: BOOTS guests, the root init's uptime of each, one a line, in
# $work/NAME.times; with --dnsmasq among the lab arguments, nbdroot's own "lease ... after N ms" in
# $work/NAME.dhcp (its DHCP exchange, from its first DISCOVER's preparation to the lease)
boots() {
	local name=$1 initrd=$2 append=$3 i out up ms logs
	shift 3
	: >"$work/$name.times"
	: >"$work/$name.dhcp"
	: >"$work/$name.steps"
	for ((i = 1; i <= BOOTS; i++)); do
		out=$(./qemu/lab.sh --case "bench-$name" --initrd "$initrd" --timeout 240 --keep-logs \
			--append "$append lab.test=poweroff" --expect 'NBDROOT-TEST: root-init' "$@") || {
			echo "$out" >&2
			echo "bench-initramfs: $name boot $i failed" >&2
			return 1
		}
		logs=$(sed -n 's/^lab: logs kept in //p' <<<"$out")
		steps <"$logs/console.log" >>"$work/$name.steps"
		rm -rf "$logs"
		up=$(sed -n 's/.*NBDROOT-TEST: root-init uptime=\([0-9.]*\).*/\1/p' <<<"$out" | head -n1)
		ms=$(sed -n 's/^lab: matched: .*nbdroot: dhcp: eth0: lease from .* after \([0-9]*\) ms.*/\1/p' <<<"$out")
		echo "bench-initramfs: $name boot $i: root init at $up s${ms:+, lease after $ms ms}" >&2
		echo "$up" >>"$work/$name.times"
		[ -z "$ms" ] || echo "$ms" >>"$work/$name.dhcp"
	done
}

ours="nbdroot=10.77.0.1:10809/root ip=10.77.0.10:10.77.0.1::255.255.255.0::eth0:off root=/dev/nbd0"
theirs="root=nbd:10.77.0.1:root ip=10.77.0.10::10.77.0.1:255.255.255.0::eth0:none net.ifnames=0 rd.neednet=1"
boots nbdroot-virtio "$work/nbdroot-virtio.cpio.gz" "$ours"
boots nbdroot-default "$work/nbdroot-default.cpio.gz" "$ours"
# the address and the root from dnsmasq, with and without Rapid Commit (RFC 4039)
# shellcheck disable=SC2054 # the commas belong to dnsmasq's option value
dhcp_lab=(--dnsmasq --dnsmasq-arg=--dhcp-option=17,10.77.0.1:10809/root
	--expect 'nbdroot: dhcp: eth0: lease from .* after [0-9]+ ms')
boots dhcp-4 "$work/nbdroot-virtio.cpio.gz" "root=/dev/nbd0" "${dhcp_lab[@]}"
boots dhcp-rapid "$work/nbdroot-virtio.cpio.gz" "root=/dev/nbd0" "${dhcp_lab[@]}" \
	--dnsmasq-arg=--dhcp-rapid-commit --expect 'after [0-9]+ ms, rapid commit'
[ "$with_dracut" = 1 ] && boots dracut "$dracut_img" "$theirs"

mib() { awk -v b="$1" 'BEGIN { printf "%.2f MiB", b / 1048576 }'; }
row() { # row LABEL IMAGE TIMES
	local s
	read -r med min max < <(stats <"$3")
	s=$(stat -c %s "$2")
	echo "| $1 | $s ($(mib "$s")) | $(raw_size "$2") | $med s | $min s | $max s |"
	printf '"%s" %s %s %s\n' "${1%%, generic}" "$med" "$min" "$max" >>"$work/plot.dat"
}
sizerow() { # sizerow LABEL IMAGE
	local s
	s=$(stat -c %s "$1")
	echo "| $2 | $s ($(mib "$s")) | $(raw_size "$1") | | | |"
}

echo "## Initramfs: size and boot to the root's init"
echo
echo "Guest uptime when the NBD root's /sbin/init starts (QEMU TCG, 1 vCPU, 512 MB, virtio-net, nbdkit in the lab netns), $BOOTS boots each; sizes in bytes."
echo
echo "| image | compressed | uncompressed | boot to root init (median) | min | max |"
echo "|---|---:|---:|---:|---:|---:|"
row "nbdroot initramfs, virtio NIC only, gzip" "$work/nbdroot-virtio.cpio.gz" "$work/nbdroot-virtio.times"
sizerow "$work/nbdroot-virtio.cpio.zst" "nbdroot initramfs, virtio NIC only, zstd"
row "nbdroot initramfs, default NIC set, gzip" "$work/nbdroot-default.cpio.gz" "$work/nbdroot-default.times"
sizerow "$work/nbdroot-default.cpio.zst" "nbdroot initramfs, default NIC set, zstd"
[ "$with_dracut" = 1 ] && row "dracut $(dpkg-query -W -f='${Version}' dracut) + nbd-client $(dpkg-query -W -f='${Version}' nbd-client), generic" "$dracut_img" "$work/dracut.times"
echo
echo "### DHCP: the lease, and the root from its root-path"
echo
echo "The virtio-only image with no server on the command line (\`root=/dev/nbd0\`): dnsmasq $(dpkg-query -W -f='${Version}' dnsmasq-base) gives the address and the root-path. \"Lease after\" is nbdroot's own figure (its log line \`lease from ... after N ms\`): from its DHCP start, link-up wait included, to the ACK."
echo
echo "| dnsmasq | messages | lease after (median) | min | max | boot to root init (median) | min | max |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
dhcprow() { # dhcprow LABEL MESSAGES NAME
	local dm dmin dmax med min max
	read -r dm dmin dmax < <(stats <"$work/$3.dhcp")
	read -r med min max < <(stats <"$work/$3.times")
	echo "| $1 | $2 | $dm ms | $dmin ms | $dmax ms | $med s | $min s | $max s |"
}
dhcprow "default" "4 (DISCOVER, OFFER, REQUEST, ACK)" dhcp-4
dhcprow "\`--dhcp-rapid-commit\`" "2 (DISCOVER with option 80, ACK)" dhcp-rapid
echo
echo "Before the NIC drivers loaded first and the DISCOVER went out on the carrier (2026-12-04, the same benchmark): 1060 ms median in both rows, nearly all of it the wait for the kernel to report the new link's operstate."
echo
echo "### Where the boot's time goes"
echo
echo "Median guest uptime at each step over the $BOOTS boots of each virtio-only arm, and the step's share (from the step before). Guest uptime starts when the kernel does: the firmware and the loader (SeaBIOS and qemu's -kernel here) come before it, and the UEFI section has power-on figures."
echo
echo "| step (the line that marks it) | static \`ip=\` | takes | DHCP, Rapid Commit | takes |"
echo "|---|---:|---:|---:|---:|"
steprow() { # steprow STEP LABEL
	local a b
	a=$(awk -v s="$1" '$1 == s { print $2 }' "$work/nbdroot-virtio.steps" | stats | cut -d' ' -f1)
	b=$(awk -v s="$1" '$1 == s { print $2 }' "$work/dhcp-rapid.steps" | stats | cut -d' ' -f1)
	echo "| $2 | $(printf '%.2f' "$a") s | $(awk -v x="$a" -v p="${prev_a:-0}" 'BEGIN { printf "%.2f s", x - p }') | $(printf '%.2f' "$b") s | $(awk -v x="$b" -v p="${prev_b:-0}" 'BEGIN { printf "%.2f s", x - p }') |"
	prev_a=$a prev_b=$b
}
prev_a='' prev_b=''
steprow init "the kernel runs /init (\`Run /init as init process\`)"
steprow modules "modules loaded (\`nbdroot-init: loaded N modules\`)"
steprow network "the address set (\`nbdroot: ip: eth0: ...\` / \`nbdroot: dhcp: eth0: lease from\`)"
steprow attach "handshake and attach (\`nbdroot: attach: /dev/nbd0\`)"
steprow mount "the root mounted (\`nbdroot-init: root /dev/nbd0 mounted\`)"
steprow root-init "switch_root, the root's init runs (\`NBDROOT-TEST: root-init uptime=\`)"
echo
echo "Default NIC set: the builder's (virtio_net virtio_pci e1000 e1000e igb igc ixgbe i40e r8169 tg3 bnx2 bnxt_en vmxnet3, those the kernel has), all loaded at every boot."
echo
plot boot-initramfs.png "set title 'Boot to the NBD root init: guest uptime (median, min-max of $BOOTS boots)';
set style data histograms; set style histogram errorbars gap 1 lw 1; set style fill solid 0.7 border -1;
set ylabel 'seconds'; set yrange [0:*]; set grid ytics; set xtics rotate by -15 font ',8'; unset key;
plot '$work/plot.dat' using 2:3:4:xtic(1)"
echo
if [ "$with_dracut" = 1 ]; then
	echo "dracut: \`dracut --no-hostonly --add \"nbd network-legacy\" --omit \"systemd-networkd network-manager\"\` (059's systemd-networkd module never starts the nbd netroot handler); earlier reference from this lab: 53 MB, 38 s."
else
	echo "dracut + nbdroot and dracut + nbd-client, same lab, kernel, server and root: the dracut section. A dracut image made with this host's dracut configuration: BENCH_INITRAMFS_DRACUT=1 (about 5 more minutes)."
fi
