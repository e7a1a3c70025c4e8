#!/bin/bash
# boot-installed-builder: make install puts nbdroot, mkinitramfs-nbdroot (with its init), the dracut module and the man pages where a package would (DESTDIR staging keeps the final paths), and an image the installed builder makes boots the guest onto its NBD root.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
	echo "lab: FAIL boot-installed-builder: $*"
	exit 1
}

# A distribution's staged install: files under DESTDIR, paths inside them for PREFIX.
make -s -C "$BOOT_HERE" install DESTDIR="$work/stage" PREFIX=/usr >"$work/stage.log" 2>&1 ||
	fail "make install DESTDIR=... PREFIX=/usr: $(tail -n 3 "$work/stage.log")"
for f in sbin/nbdroot sbin/mkinitramfs-nbdroot lib/nbdroot/nbdroot lib/nbdroot/init \
	lib/dracut/modules.d/90nbdroot/module-setup.sh; do
	[ -x "$work/stage/usr/$f" ] || fail "not installed as an executable: /usr/$f"
done
for f in man8/nbdroot.8 man8/mkinitramfs-nbdroot.8 man7/nbdroot-cmdline.7; do
	[ -s "$work/stage/usr/share/man/$f" ] || fail "man page not installed: /usr/share/man/$f"
	if ! man -l "$work/stage/usr/share/man/$f" >/dev/null 2>"$work/man.err" || [ -s "$work/man.err" ]; then
		fail "$f does not render cleanly: $(head -n 2 "$work/man.err")"
	fi
done
grep -qx 'libdir=/usr/lib/nbdroot' "$work/stage/usr/sbin/mkinitramfs-nbdroot" ||
	fail "the staged builder does not look in /usr/lib/nbdroot"
cmp -s "$work/stage/usr/sbin/nbdroot" "$BOOT_HERE/build/nbdroot" || fail "sbin/nbdroot is not build/nbdroot"

# An install into a real prefix, whose builder then runs from there alone.
make -s -C "$BOOT_HERE" install PREFIX="$work/usr" >"$work/prefix.log" 2>&1 ||
	fail "make install PREFIX=...: $(tail -n 3 "$work/prefix.log")"
kver=$(cat "${NBDROOT_CACHE:-$BOOT_HERE/.cache}/kernel/version")
(cd / && "$work/usr/sbin/mkinitramfs-nbdroot" -k "${NBDROOT_CACHE:-$BOOT_HERE/.cache}/kernel/root/lib/modules/$kver" \
	--nic "virtio_net virtio_pci" -o "$work/installed.cpio.gz") >"$work/build.log" 2>&1 ||
	fail "the installed mkinitramfs-nbdroot failed: $(tail -n 3 "$work/build.log")"
echo "installed-builder: $(tail -n 1 "$work/build.log")"
"$LAB" --initrd "$work/installed.cpio.gz" --case boot-installed-builder --server nbdkit --timeout 60 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP $ROOT_ARGS" \
	--expect "$(marker_re rw ok 0)"
