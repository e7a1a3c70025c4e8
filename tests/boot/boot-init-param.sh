#!/bin/bash
# boot-init-param: init=<path> is executed as PID 1 on the NBD root instead of /sbin/init, with the kernel's arguments for init.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
"$BOOT_HERE/qemu/mkroot.sh" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -a "${NBDROOT_CACHE:-$BOOT_HERE/.cache}/testroot" "$work/root"
cat >"$work/root/sbin/alt-init" <<'INIT'
#!/bin/sh
# alt-init: proves init= was honoured: reports its pid and arguments, then powers off.
PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc 2>/dev/null
echo "NBDROOT-TEST: alt-init pid=$$ args=$* root=$(awk '$2 == "/" { print $1 }' /proc/mounts | tail -n 1)"
sync
poweroff -f
INIT
chmod 755 "$work/root/sbin/alt-init"
# A bare word on the kernel command line is an argument for init.
lab --case boot-init-param --server nbdkit --timeout 60 --root-dir "$work/root" \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP root=/dev/nbd0 init=/sbin/alt-init labarg" \
	--expect 'NBDROOT-TEST: alt-init pid=1 args=labarg root=/dev/nbd0' \
	--reject 'NBDROOT-TEST: root-init'
