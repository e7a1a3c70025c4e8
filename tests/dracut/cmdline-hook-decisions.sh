#!/bin/bash
# cmdline-hook-decisions: dracut's cmdline phase, run from a real dracut image (chroot, no VM): which lines the module claims, what it tells dracut (rootok, root, netroot, fstype, rflags, the initqueue's finished test), that an invalid line or root-path stops the boot with the binary's own message, and what the handler hands the binary.
# shellcheck source-path=SCRIPTDIR source=lib.sh
# SC2016: the scripts are expanded inside the image, not here.
# shellcheck disable=SC2016
. "$(dirname "$0")/lib.sh"
img=$(dracut_image legacy) || exit 2

root=$(mktemp -d "${TMPDIR:-/var/tmp}/nbdroot-hooks.XXXXXX")
trap 'rm -rf "$root"' EXIT
(cd "$root" && zcat "$img" | cpio -id --quiet) || exit 2
mkdir -p "$root/dev" "$root/etc/cmdline.d"
mknod "$root/dev/null" c 1 3
: >"$root/dev/kmsg" # die() writes here: a file, not the host's kernel log

failed=0 total=0
# run NAME CMDLINE SCRIPT EXPECTED...: SCRIPT runs in the image after dracut's
# cmdline hooks have been sourced as its init does (no /proc: dracut reads
# the line from /etc/cmdline.d); every EXPECTED regex must match its output,
# one written !REGEX must not.
run() {
	local name=$1 cmdline=$2 script=$3 out re ok=1
	shift 3
	total=$((total + 1))
	rm -rf "$root/tmp"/* "$root/run"/* "$root/etc/udev" "$root/lib/dracut/hooks/initqueue/finished"/*
	: >"$root/dev/kmsg"
	echo "$cmdline" >"$root/etc/cmdline.d/test.conf"
	out=$(chroot "$root" /bin/sh -c '
		export PATH=/usr/sbin:/usr/bin:/sbin:/bin NEWROOT=/sysroot
		. /lib/dracut-lib.sh
		( source_hook cmdline
		  echo "rootok=$rootok root=$root netroot=$netroot fstype=$fstype rflags=$rflags"
		  for f in "$hookdir"/initqueue/finished/nbdroot.sh; do [ -e "$f" ] && echo "finished: $(cat "$f")"; done
		  '"$script"'
		  :
		) 2>&1
		echo "exit=$?"
		cat /dev/kmsg' 2>&1)
	for re in "$@"; do
		if [ "${re#!}" != "$re" ]; then
			grep -qE -e "${re#!}" <<<"$out" || continue
			[ -n "$ok" ] && echo "FAIL $name"
			echo "  unexpected /${re#!}/"
		else
			grep -qE -e "$re" <<<"$out" && continue
			[ -n "$ok" ] && echo "FAIL $name"
			echo "  expected /$re/"
		fi
		ok=
	done
	if [ -n "$ok" ]; then
		echo "PASS $name"
	else
		while IFS= read -r line; do echo "  | $line"; done <<<"$out"
		failed=$((failed + 1))
	fi
}

ip="ip=10.0.0.2::10.0.0.1:255.255.255.0::eth0:off"

run root-nbd-claimed "root=nbd:10.0.0.1:root:ext4:errors=panic $ip rw" '' \
	'^rootok=1 root=block:/dev/root netroot=nbd:10.0.0.1:root:ext4:errors=panic fstype=ext4 rflags=errors=panic,rw$' \
	'^finished: .*/sys/block/nbd0/size' '^exit=0$'
# nbdroot.overlay=: the root is the read-only lower layer (no rw, and
# _netdev so rootfs-block does not fsck a device e2fsck cannot open).
run overlay-root-read-only "root=nbd:10.0.0.1:root:ext4:rw,noatime nbdroot.overlay=tmpfs $ip rw" '' \
	'^rootok=1 root=block:/dev/root netroot=nbd:10.0.0.1:root:ext4:rw,noatime fstype=ext4 rflags=noatime,_netdev,ro$' '^exit=0$'
run overlay-no-rootflags "root=nbd:10.0.0.1:root nbdroot.overlay=tmpfs nbdroot.overlay_size=256M $ip rw" \
	'nbdroot_config && echo "overlay=$NBDROOT_OVERLAY size=$NBDROOT_OVERLAY_SIZE ro=$NBDROOT_READONLY"' \
	' rflags=_netdev,ro$' '^overlay=tmpfs size=256M ro=1$' '^exit=0$'
run overlay-bad-value-stops-the-boot "root=nbd:10.0.0.1:root nbdroot.overlay=zram $ip" '' \
	'nbdroot: cmdline: nbdroot.overlay=: "zram" is not an overlay type, expected tmpfs or off' \
	'dracut: FATAL: nbdroot: invalid kernel command line' '^exit=1$'
run other-root-left-alone "root=/dev/sda1 $ip" '' \
	'^rootok=1 root=block:/dev/sda1 netroot= ' '!^finished:' '^exit=0$'
run nfs-netroot-left-alone "root=/dev/root netroot=nfs:10.0.0.1:/srv $ip" '' \
	'^rootok=1 root=block:/dev/root netroot= ' '!^finished:' '^exit=0$'
run typo-stops-the-boot "root=nbd:10.0.0.1:root nbdroot.tmeout=30 $ip" '' \
	'nbdroot: cmdline: nbdroot\.\*: unknown parameter "nbdroot\.tmeout"' \
	'dracut: FATAL: nbdroot: invalid kernel command line' '^exit=1$'
run bad-nbdopt-stops-the-boot "root=nbd:10.0.0.1:root:ext4::bs=4096 $ip" '' \
	'nbd option "bs=4096" is not supported' '^exit=1$'
run canonical-without-root "nbdroot=10.0.0.1:10809/root nbdroot.device=nbd3 $ip" '' \
	'^rootok=1 root=block:/dev/root netroot=nbd:nbdroot ' '^finished: .*/sys/block/nbd3/size' '^exit=0$'
# nbd-client's forms (Debian's initramfs script): the triple, and root=/dev/nbdN
# or nbddev= alone, which take DHCP's root-path; the device follows them.
run nbdclient-triple-claimed "nbdroot=10.0.0.1,root,nbd1 root=/dev/nbd1p1 $ip" '
	nbdroot_config && echo "config: $NBDROOT_SERVER $NBDROOT_EXPORT $NBDROOT_DEVICE"' \
	'^rootok=1 root=block:/dev/nbd1p1 netroot=nbd:nbdroot ' '^finished: .*/sys/block/nbd1/size' \
	'^config: 10\.0\.0\.1 root /dev/nbd1$' '^exit=0$'
run nbdclient-root-dev-alone-takes-root-path "root=/dev/nbd0 ip=dhcp" '
	printf "new_root_path='"'"'10.0.0.8:/srv/root'"'"'\n" >/tmp/dhclient.eth0.dhcpopts
	a=$(nbdroot_dhcp_arg eth0 "$netroot"); echo "args: $a"
	nbdroot_config "$a" && echo "server: $NBDROOT_SERVER:$NBDROOT_PORT export: $NBDROOT_EXPORT"' \
	'^rootok=1 root=block:/dev/nbd0 netroot=nbd:nbdroot ' '^finished: .*/sys/block/nbd0/size' \
	'^args: "nbdroot=10\.0\.0\.8:/srv/root"$' '^server: 10\.0\.0\.8:10809 export: /srv/root$'
run nbdclient-nbddev-alone-claimed "nbddev=nbd2 ip=dhcp" '' \
	'^rootok=1 root=block:/dev/root netroot=nbd:nbdroot ' '^finished: .*/sys/block/nbd2/size' '^exit=0$'
run nbdclient-two-devices-stop-the-boot "nbdroot=10.0.0.1,root,nbd0 root=/dev/nbd1 $ip" '' \
	'nbdroot: cmdline: nbdroot=: device "/dev/nbd0" is not /dev/nbd1, the command line.s, expected one NBD device' \
	'dracut: FATAL: nbdroot: invalid kernel command line' '^exit=1$'
run nbdclient-spec-keeps-its-root-path-param "nbdroot=10.0.0.1:10809/root root=/dev/nbd0 ip=dhcp" '
	printf "new_root_path='"'"'10.0.0.8:/srv/root'"'"'\n" >/tmp/dhclient.eth0.dhcpopts
	echo "args: [$(nbdroot_dhcp_arg eth0 "$netroot")]"' \
	'^args: \[\]$'
run label-root-nbd-netroot "root=LABEL=nbdroot-test netroot=nbd:10.0.0.1:root $ip" '' \
	'^rootok=1 root=block:/dev/disk/by-label/nbdroot-test netroot=nbd:10.0.0.1:root ' '^exit=0$'
run root-beats-netroot "root=nbd:10.0.0.1:a netroot=nbd:10.0.0.9:b $ip" '' \
	'netroot=nbd:10.0.0.1:a ' '^exit=0$'
# root=/dev/root netroot=dhcp: undecided until /sbin/netroot re-runs the
# cmdline hooks with the root-path in $netroot, as it does for dhclient.
run dhcp-undecided-then-claimed "root=/dev/root netroot=dhcp ip=dhcp" '
	echo "before: rootok=$rootok netroot=$netroot finished=$(ls "$hookdir"/initqueue/finished/ | tr "\n" " ")"
	unset rootok; netroot="nbd:10.0.0.5:root:xfs:noatime"
	. "$hookdir"/cmdline/90-nbdroot-cmdline.sh
	echo "after: rootok=$rootok NBDROOT_SERVER=$NBDROOT_SERVER NBDROOT_FSTYPE=$NBDROOT_FSTYPE"
	echo "handler: $(nbdroot_dhcp_arg eth0 "$netroot")"' \
	'^before: rootok=1 netroot=dhcp finished=.*dhcp\.sh' '!^before:.*nbdroot\.sh' \
	'^after: rootok=1 NBDROOT_SERVER=10.0.0.5 NBDROOT_FSTYPE=xfs$' \
	'^handler: "netroot=nbd:10.0.0.5:root:xfs:noatime"$'
run dhcp-bad-root-path-stops-the-boot "root=/dev/root netroot=dhcp ip=dhcp" '
	unset rootok; netroot="nbd:10.0.0.5:root:ext4::persist"
	. "$hookdir"/cmdline/90-nbdroot-cmdline.sh' \
	'nbd option "persist" is not supported' 'dracut: FATAL: nbdroot: cannot use the root-path' '^exit=1$'
run dhcp-other-scheme-left-alone "root=dhcp ip=dhcp" '
	unset rootok; netroot="nfs:10.0.0.5:/srv"
	. "$hookdir"/cmdline/90-nbdroot-cmdline.sh; echo "after: rootok=$rootok"' \
	'^after: rootok=$'
# The handler's view: the network is dracut's (ip=...:off), the server may
# come from DHCP's next-server, a static ip= peer, and our own nbdroot=dhcp
# takes dhclient's root-path.
run handler-next-server "nbdroot=10809/root ip=dhcp" '
	printf "new_next_server=10.0.0.7\nnew_dhcp_server_identifier=10.0.0.1\n" >/tmp/dhclient.eth0.dhcpopts
	a="$(nbdroot_dhcp_arg eth0 nbd:nbdroot) $(nbdroot_ip_arg eth0)"; echo "args: $a"
	nbdroot_config "$a" && echo "server: $NBDROOT_SERVER export: $NBDROOT_EXPORT"' \
	'^args:  ip=:10\.0\.0\.7::::eth0:off$' '^server:  export: root$'
run handler-static-peer "nbdroot=10809/root ip=10.0.0.2:10.0.0.9:10.0.0.1:255.255.255.0::eth0:off" '
	echo "args: $(nbdroot_ip_arg eth0)"' \
	'^args: ip=:10\.0\.0\.9::::eth0:off$'
run handler-our-dhcp-root-path "nbdroot=dhcp ip=dhcp" '
	printf "new_root_path='"'"'10.0.0.8:10810/disk'"'"'\n" >/tmp/dhclient.eth0.dhcpopts
	a=$(nbdroot_dhcp_arg eth0 nbd:nbdroot); echo "args: $a"
	nbdroot_config "$a" && echo "server: $NBDROOT_SERVER:$NBDROOT_PORT export: $NBDROOT_EXPORT"' \
	'^args: "nbdroot=10\.0\.0\.8:10810/disk"$' '^server: 10\.0\.0\.8:10810 export: disk$'

echo "cmdline-hook-decisions: $((total - failed)) passed, $failed failed"
[ "$failed" = 0 ]
