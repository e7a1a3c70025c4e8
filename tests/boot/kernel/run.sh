#!/bin/bash
# run.sh: the kernel hand-off test: boots a busybox initramfs in the lab (netns, TCG) and attaches exports by netlink and ioctl.
# usage: tests/boot/kernel/run.sh [path/to/nbdroot]   (default build/nbdroot; as root)
# Two boots: a writable export (netlink, EBUSY, nbdroot.ro, forced ioctl) and a
# read-only one (the server's READ_ONLY flag reaches the device on both paths).
set -euo pipefail

here=$(cd "$(dirname "$0")/../../.." && pwd)
bin=${1:-$here/build/nbdroot}
kver=$(cat "${NBDROOT_CACHE:-$here/.cache}/kernel/version")
moddir=${NBDROOT_CACHE:-$here/.cache}/kernel/root/lib/modules/$kver/kernel
work=$(mktemp -d "${TMPDIR:-/var/tmp}/nbdroot-ktest.XXXXXX")
trap 'rm -rf "$work"' EXIT

[ -x "$bin" ] || { echo "kernel-test: no nbdroot binary at $bin (make build/nbdroot)" >&2; exit 2; }
busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || readelf -lW "$busybox" | grep -q INTERP; then
	echo "kernel-test: need a static busybox (busybox-static)" >&2
	exit 2
fi

root=$work/root
mkdir -p "$root/bin" "$root/lib/modules" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for a in $("$busybox" --list); do
	[ "$a" = busybox ] || ln -s busybox "$root/bin/$a"
done
cp "$bin" "$root/bin/nbdroot"
# nltool: STATUS and RECONFIGURE through nbdroot's own genl code
lib=()
# (not nbdroot's program start: main.c, and start.c, whose __libc_init has no
# stdio for nltool's fprintf)
for c in "$here"/nbdroot/*.c; do
	case ${c##*/} in main.c | start.c) ;; *) lib+=("$c") ;; esac
done
klcc -static -Os -ffunction-sections -fdata-sections -Wl,--gc-sections -Wall -Wextra -Werror \
	-I"$here/nbdroot" -o "$root/bin/nltool" "$here/tests/boot/kernel/nltool.c" "${lib[@]}"
strip "$root/bin/nltool"
cp "$here/tests/boot/kernel/guest-init.sh" "$root/init"
chmod +x "$root/init"
for m in virtio/virtio_ring virtio/virtio virtio/virtio_pci_legacy_dev \
	virtio/virtio_pci_modern_dev virtio/virtio_pci ../net/core/failover \
	net/net_failover net/virtio_net block/nbd; do
	src=$moddir/drivers/$m.ko
	[ -r "$src" ] || { echo "kernel-test: missing module $src" >&2; exit 2; }
	cp "$src" "$root/lib/modules/"
done
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz"

failed=0
for mode in rw-export ro-export; do
	ro=()
	# the guest asks for the outage that its dead-connection check needs
	# shellcheck disable=SC2016 # expanded by lab.sh's hook shell
	hook='until grep -aq "^KTEST STOP-SERVER" "$LAB_CONSOLE" 2>/dev/null; do sleep 0.2; done
echo "$(date +%T.%N) stopping the server"; "$LAB_SERVER_STOP"
echo "$(date +%T.%N) stopped"
until grep -aq "^KTEST START-SERVER" "$LAB_CONSOLE"; do sleep 0.2; done
echo "$(date +%T.%N) starting the server"; "$LAB_SERVER_START"; echo "$(date +%T.%N) started"'
	if [ "$mode" = ro-export ]; then
		ro=(--readonly)
		hook=:
	fi

	if ! "$here/qemu/lab.sh" --case "kernel-$mode" --initrd "$work/initrd.gz" "${ro[@]}" \
		--append "ktest.mode=$mode" --timeout 120 --hook "$hook" ${KTEST_KEEP_LOGS:+--keep-logs} \
		--expect '^KTEST DONE 0' --reject '^KTEST FAIL' --reject 'nbdroot: .*(ASan|runtime error)'; then
		failed=1
	fi
done
[ "$failed" = 0 ] && echo "kernel-test: PASS" || echo "kernel-test: FAIL"
exit "$failed"
