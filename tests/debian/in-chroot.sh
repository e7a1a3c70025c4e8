#!/bin/bash
# in-chroot.sh: runs inside the clean bookworm chroot: installs the .debs with apt as a user would, builds the images with the installed tools, checks the update-initramfs trigger.
# usage: in-chroot.sh KVER STEP... (STEP: builder, initramfs-tools); the .debs are in /tmp/debs, images go to /tmp/out.
set -euo pipefail

kver=$1
shift
export DEBIAN_FRONTEND=noninteractive
fail() {
	echo "nbdroot: deb-chroot: $*" >&2
	exit 1
}
t0=$SECONDS
say() { echo "deb-chroot: [$((SECONDS - t0)) s] $*"; }

deb() {
	local f
	for f in /tmp/debs/"$1"_*.deb; do
		[ -f "$f" ] || fail "no $1 package in /tmp/debs"
		echo "$f"
	done
}

# The installed kernel's files, as a kernel package would leave them.
[ -f "/lib/modules/$kver/modules.dep" ] || fail "no /lib/modules/$kver/modules.dep (the lab kernel is not bound in)"
[ -f "/boot/config-$kver" ] || fail "no /boot/config-$kver"
# update-initramfs -u (the trigger) updates the images of the kernels linux-version lists: /boot/vmlinuz-*.
[ -f "/boot/vmlinuz-$kver" ] || fail "no /boot/vmlinuz-$kver"

apt-get update -q >/tmp/out/apt-update.log 2>&1 || fail "apt-get update: $(tail -n 1 /tmp/out/apt-update.log)"

for step in "$@"; do
	case $step in
	builder)
		say "apt-get install nbdroot"
		apt-get install -y -q "$(deb nbdroot)" >/tmp/out/install-nbdroot.log 2>&1 ||
			fail "apt-get install nbdroot: $(tail -n 2 /tmp/out/install-nbdroot.log)"
		[ -x /usr/sbin/mkinitramfs-nbdroot ] || fail "nbdroot installed no /usr/sbin/mkinitramfs-nbdroot"
		[ -f /usr/share/man/man8/mkinitramfs-nbdroot.8.gz ] || fail "no mkinitramfs-nbdroot(8) installed"
		say "mkinitramfs-nbdroot -k $kver"
		mkinitramfs-nbdroot -k "$kver" -o /tmp/out/mkinitramfs-nbdroot.img >/tmp/out/mkinitramfs-nbdroot.log 2>&1 ||
			fail "mkinitramfs-nbdroot -k $kver: $(tail -n 2 /tmp/out/mkinitramfs-nbdroot.log)"
		tail -n 1 /tmp/out/mkinitramfs-nbdroot.log
		say "done"
		;;
	initramfs-tools)
		say "apt-get install nbdroot-initramfs-tools"
		apt-get install -y -q "$(deb nbdroot)" "$(deb nbdroot-initramfs-tools)" >/tmp/out/install-initramfs-tools.log 2>&1 ||
			fail "apt-get install nbdroot-initramfs-tools: $(tail -n 2 /tmp/out/install-initramfs-tools.log)"
		say "update-initramfs -c -k $kver"
		update-initramfs -c -k "$kver" >/tmp/out/update-initramfs.log 2>&1 ||
			fail "update-initramfs -c -k $kver: $(tail -n 2 /tmp/out/update-initramfs.log)"
		img=/boot/initrd.img-$kver
		[ -s "$img" ] || fail "update-initramfs left no $img"
		lsinitramfs "$img" >/tmp/out/update-initramfs.list
		grep -qx 'usr/sbin/nbdroot' /tmp/out/update-initramfs.list ||
			fail "$img holds no usr/sbin/nbdroot (the hook did not run)"
		# The trigger: upgrading nbdroot (here: reinstalling it) rebuilds the image with the new client.
		before=$(stat -c %Y.%s "$img")
		sleep 1
		say "apt-get install --reinstall nbdroot (the update-initramfs trigger)"
		apt-get install -y -q --reinstall "$(deb nbdroot)" >/tmp/out/reinstall.log 2>&1 ||
			fail "apt-get install --reinstall nbdroot: $(tail -n 2 /tmp/out/reinstall.log)"
		grep -q '^Processing triggers for initramfs-tools' /tmp/out/reinstall.log ||
			fail "reinstalling nbdroot did not trigger initramfs-tools"
		[ "$(stat -c %Y.%s "$img")" != "$before" ] || fail "the trigger left $img as it was"
		grep -m1 "update-initramfs: Generating $img" /tmp/out/reinstall.log ||
			fail "the trigger did not say it generated $img"
		cp "$img" /tmp/out/update-initramfs.img
		say "done"
		;;
	*) fail "unknown step \"$step\" (expected builder or initramfs-tools)" ;;
	esac
done
