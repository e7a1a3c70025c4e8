#!/bin/bash
# bench-size: the stripped static nbdroot beside the anchors' client binaries (with the shared libraries they load, and busybox's applet), and the initramfs images with each.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
# shellcheck source=tests/dracut/lib.sh
. tests/dracut/lib.sh
# shellcheck source=bench/lib.sh
. bench/lib.sh

cache=${NBDROOT_CACHE:-$here/.cache}/bench
mkdir -p "$cache"
make -s build/nbdroot >&2
make -s ARCH=arm64 build/arm64/nbdroot >&2

# A binary plus every shared library it loads, as ldd resolves them.
closure_size() {
	local bin=$1 total
	total=$(stat -L -c %s "$bin")
	while read -r lib; do
		total=$((total + $(stat -L -c %s "$lib")))
	done < <(closure_libs "$bin")
	echo "$total"
}
closure_libs() {
	ldd "$1" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p' | sort -u
}

# busybox_nbd_client: builds busybox from Debian's source with the nbd-client applet alone, static
# (as busybox-static is), into $cache/busybox-nbd-client; prints "BINARY OBJECT" or fails saying why.
# The source comes through a private apt source list (deb-src), so the system's stays as it is.
busybox_nbd_client() {
	local d=$cache/busybox-nbd-client codename ver apt f
	ver=$(dpkg-query -W -f='${Version}' busybox-static 2>/dev/null | sed 's/^[0-9]*://; s/+b[0-9]*$//')
	if [ -x "$d/busybox" ] && [ "$(cat "$d/version" 2>/dev/null)" = "$ver" ]; then
		echo "$d/busybox $d/nbd-client.o"
		return 0
	fi
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || { echo "no VERSION_CODENAME in /etc/os-release"; return 1; }
	rm -rf "$d.new"
	mkdir -p "$d.new/lists/partial" "$d.new/src"
	echo "deb-src http://deb.debian.org/debian $codename main" >"$d.new/sources.list"
	apt=(apt-get -q -o "Dir::Etc::SourceList=$d.new/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$d.new/lists")
	echo "bench-size: fetching busybox's source (deb-src $codename) to build its nbd-client applet" >&2
	"${apt[@]}" update >&2 || { echo "apt-get update of a deb-src list failed"; return 1; }
	(cd "$d.new/src" && "${apt[@]}" source --download-only "busybox=$ver" >&2) ||
		(cd "$d.new/src" && "${apt[@]}" source --download-only busybox >&2) || { echo "apt-get source busybox failed"; return 1; }
	(cd "$d.new/src" && dpkg-source -x ./*.dsc bb >&2) || { echo "dpkg-source -x failed"; return 1; }
	(
		cd "$d.new/src/bb"
		make allnoconfig >/dev/null
		sed -i 's/^# CONFIG_NBDCLIENT is not set/CONFIG_NBDCLIENT=y/; s/^# CONFIG_STATIC is not set/CONFIG_STATIC=y/' .config
		yes '' | make oldconfig >/dev/null
		make -j"$(nproc)" busybox >&2
	) || { echo "building busybox failed"; return 1; }
	grep -q '^CONFIG_NBDCLIENT=y' "$d.new/src/bb/.config" || { echo "this busybox has no NBDCLIENT option"; return 1; }
	cp "$d.new/src/bb/busybox" "$d.new/busybox"
	cp "$d.new/src/bb/networking/nbd-client.o" "$d.new/nbd-client.o"
	for f in "$d.new"/src/*.dsc; do basename "$f" .dsc | sed "s/^busybox_//"; done >"$d.new/source"
	echo "$ver" >"$d.new/version"
	rm -rf "$d.new/src" "$d.new/lists" "$d"
	mv "$d.new" "$d"
	echo "$d/busybox $d/nbd-client.o"
}

mb() { awk -v b="$1" 'BEGIN { printf "%.2f MB", b / 1e6 }'; }

echo "## Size"
echo
echo "### The client"
echo
echo "| client | bytes | what is counted |"
echo "|---|---:|---|"
echo "| nbdroot (static klibc, stripped) | $(stat -c %s build/nbdroot) | build/nbdroot, everything included |"
echo "| nbdroot for arm64 (make ARCH=arm64, static klibc, stripped) | $(stat -c %s build/arm64/nbdroot) | build/arm64/nbdroot, everything included (its initramfs and boot: the arm64 section) |"
if command -v nbd-client >/dev/null; then
	bin=$(command -v nbd-client)
	echo "| nbd-client $(dpkg-query -W -f='${Version}' nbd-client) | $(closure_size "$bin") | the binary ($(stat -L -c %s "$bin")) and the $(closure_libs "$bin" | wc -l) shared libraries it loads: $(closure_libs "$bin" | xargs -n1 basename | paste -sd ' ') |"
else
	echo "| nbd-client | not installed | |"
fi
bbver=$(dpkg-query -W -f='${Version}' busybox-static 2>/dev/null || echo "?")
if command -v busybox >/dev/null && busybox --list | grep -qx nbd-client; then
	echo "| busybox-static $bbver | $(stat -L -c %s "$(command -v busybox)") | Debian's busybox-static has the nbd-client applet: the whole binary |"
else
	echo "| busybox-static $bbver as Debian ships it | - | its applet list ($(busybox --list 2>/dev/null | wc -l) applets) has no nbd-client |"
fi
if bb=$(busybox_nbd_client); then
	read -r bbbin bbobj <<<"$bb"
	echo "| busybox $(cat "${bbbin%/*}/source" 2>/dev/null) built here with the nbd-client applet alone (allnoconfig + NBDCLIENT + STATIC, glibc, stripped) | $(stat -c %s "$bbbin") | the whole static binary |"
	echo "| of which the nbd-client applet's own code | $(size "$bbobj" | awk 'NR == 2 { print $1 + $2 + $3 }') | text + data + bss of networking/nbd-client.o |"
else
	echo "| busybox nbd-client applet | - | not built here: $bb |"
fi
echo
echo "### The initramfs"
echo
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./initramfs/build.sh --nic "virtio_net virtio_pci" -o "$work/virtio.cpio.gz" >&2
./initramfs/build.sh -o "$work/default.cpio.gz" >&2
./initramfs/build.sh -o "$work/default.cpio.zst" >&2
echo "Same kernel ($KVER) and root filesystem modules; the dracut images are tests/dracut/lib.sh's (Debian dracut $(dpkg-query -W -f='${Version}' dracut-core), --no-hostonly, gzip, network-legacy), the ones bench-dracut boots."
echo
echo "| image | compressed | uncompressed |"
echo "|---|---:|---:|"
row() { local s; s=$(stat -c %s "$2"); echo "| $1 | $s ($(mb "$s")) | $(raw_size "$2") ($(mb "$(raw_size "$2")")) |"; }
row "standalone nbdroot initramfs, virtio NIC only, gzip" "$work/virtio.cpio.gz"
row "standalone nbdroot initramfs, default NIC set, gzip" "$work/default.cpio.gz"
row "standalone nbdroot initramfs, default NIC set, zstd" "$work/default.cpio.zst"
for name in legacy nbd-legacy systemd nbd-systemd; do
	case $name in
	legacy) what="dracut + nbdroot, dracut's shell init" ;;
	nbd-legacy) what="dracut + nbd-client, dracut's shell init" ;;
	systemd) what="dracut + nbdroot, systemd initrd" ;;
	nbd-systemd) what="dracut + nbd-client, systemd initrd" ;;
	esac
	if img=$(dracut_image "$name"); then
		row "$what, gzip" "$img"
	else
		echo "| $what | build failed | |"
	fi
done
