#!/bin/sh
# secure-boot: what the root sees of the firmware: /sys/firmware/efi (booted by UEFI) and, through efivarfs, the
# global variables SecureBoot and SetupMode (attribute word, then one byte: 1 = Secure Boot on / setup mode).
g=8be4df61-93ca-11d2-aa0d-00e098032b8c
v=/sys/firmware/efi/efivars
if [ ! -d /sys/firmware/efi ]; then
	echo "NBDROOT-TEST: secure-boot FAIL no /sys/firmware/efi: not booted by UEFI"
	exit 1
fi
mountpoint -q "$v" || mount -t efivarfs efivarfs "$v" || {
	echo "NBDROOT-TEST: secure-boot FAIL cannot mount efivarfs on $v"
	exit 1
}
var() {
	[ -r "$v/$1-$g" ] || { echo none; return; }
	od -An -tu1 "$v/$1-$g" | awk '{ print $NF }'
}
echo "NBDROOT-TEST: secure-boot efi=yes SecureBoot=$(var SecureBoot) SetupMode=$(var SetupMode)"
