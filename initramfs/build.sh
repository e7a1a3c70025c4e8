#!/bin/sh
# build.sh: builds the standalone klibc initramfs (init, nbdroot, the needed modules) as a reproducible compressed cpio.
# Installed as mkinitramfs-nbdroot: `make install` sets libdir below, where the prebuilt init and nbdroot live.
set -eu

libdir=

umask 022
prog=${0##*/}
if [ -n "$libdir" ]; then
	here=
	cache=
	out=
	nbdroot=$libdir/nbdroot
	init=$libdir/init
else
	here=$(cd "$(dirname "$0")/.." && pwd)
	cache=${NBDROOT_CACHE:-$here/.cache}
	out=$here/build/initramfs.cpio.gz
	nbdroot=$here/build/nbdroot
	init=
fi
kernel=
fs="ext4 squashfs erofs"
# Common wired NICs of servers, desktops and hypervisors; names a kernel lacks are skipped.
nic_default="virtio_net virtio_pci e1000 e1000e igb igc ixgbe i40e r8169 tg3 bnx2 bnxt_en vmxnet3"
nic=default
extra=
compress=
shell=klibc
klibc_root=
fwdir=/lib/firmware
compile_init=
uki=
uki_cmdline=
uki_kernel=
uki_stub=/usr/lib/systemd/boot/efi/linuxx64.efi.stub
sign_key=
sign_cert=
out_given=

usage() {
	cat <<EOF
usage: $prog [options]
  -o OUT              the image to write${out:+ (default ${out#"$here"/})}
  -k KVER|DIR         kernel version (modules under ${here:+.cache/kernel/root/lib/modules or }/lib/modules),
                      or a modules folder such as /lib/modules/6.1.0-13-amd64
                      (default: ${here:+the lab kernel in .cache/kernel}${here:-the running kernel})
  --fs "LIST"         filesystems the root may use (default: $fs);
                      overlay (for nbdroot.overlay=tmpfs) is always added when the kernel has it
  --nic "LIST"        NIC drivers, "default" or "none"; "default ..." adds to the default
                      set: $nic_default
                      (names this kernel lacks are skipped)
  --add-modules "L"   more modules, which must exist
  --compress C        gzip, xz, zstd or none (default: from OUT's suffix .gz, .xz,
                      .zst, .cpio; zstd otherwise)
  --shell S           rescue shell for nbdroot.shell: klibc (default, klibc-utils' sh and
                      a few tools, ~100 KB), busybox (/bin/busybox, must be static) or none
  --firmware-dir DIR  where the firmware the modules ask for is looked up
                      (default /lib/firmware; "none": no firmware)
  --klibc-root DIR    where klibc-utils' files are for --shell klibc (default /): another
                      architecture's unpacked packages (make ARCH=arm64 uses .cache/arm64/root)
  --nbdroot BIN       the nbdroot binary (default ${nbdroot#"${here:-/}"/})
  --init BIN          a prebuilt init${here:+ (default: compile initramfs/*.c)}
  --uki OUT.efi       also write a Unified Kernel Image: one EFI binary holding the
                      kernel, this initramfs and --cmdline (systemd-boot-efi's stub);
                      the initramfs is then written to -o only when -o is given
  --cmdline "ARGS"    the UKI's kernel command line (required with --uki)
  --kernel-image F    the kernel the UKI holds (default: ${here:+.cache/kernel/vmlinuz}${here:-/boot/vmlinuz-VERSION of -k})
  --stub FILE         the EFI stub (default $uki_stub)
  --sign KEY --cert CERT  sign the UKI for Secure Boot (sbsigntool's sbsign)
EOF
	if [ -n "$here" ]; then
		echo "  --compile-init OUT  compile initramfs/*.c to OUT and exit"
	fi
	echo "Module dependencies come from the kernel's modules.dep and modules.softdep."
}

die() {
	echo "$prog: $*" >&2
	exit 1
}

need_arg() {
	[ $# -ge 2 ] || die "$1 needs a value"
}

while [ $# -gt 0 ]; do
	case $1 in
	--*=*) a=$1; shift; set -- "${a%%=*}" "${a#*=}" "$@"; continue ;;
	esac
	case $1 in
	-o) need_arg "$@"; out=$2; out_given=1; shift ;;
	-k) need_arg "$@"; kernel=$2; shift ;;
	--fs) need_arg "$@"; fs=$2; shift ;;
	--nic) need_arg "$@"; nic=$2; shift ;;
	--add-modules | --modules) need_arg "$@"; extra="$extra $2"; shift ;;
	--compress) need_arg "$@"; compress=$2; shift ;;
	--shell) need_arg "$@"; shell=$2; shift ;;
	--klibc-root) need_arg "$@"; klibc_root=$2; shift ;;
	--firmware-dir) need_arg "$@"; fwdir=$2; shift ;;
	--nbdroot) need_arg "$@"; nbdroot=$2; shift ;;
	--init) need_arg "$@"; init=$2; shift ;;
	--uki) need_arg "$@"; uki=$2; shift ;;
	--cmdline) need_arg "$@"; uki_cmdline=$2; shift ;;
	--kernel-image) need_arg "$@"; uki_kernel=$2; shift ;;
	--stub) need_arg "$@"; uki_stub=$2; shift ;;
	--sign) need_arg "$@"; sign_key=$2; shift ;;
	--cert) need_arg "$@"; sign_cert=$2; shift ;;
	--compile-init) need_arg "$@"; [ -n "$here" ] || die "--compile-init: not in a source tree"
		compile_init=$2; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument \"$1\"" ;;
	esac
	shift
done

# init is compiled from source so that the image never carries a stale one;
# into a private name first, since several builds may run at once. KLCC,
# KLIBC_INC, KLIBC_ARCH and STRIP name another architecture's (make ARCH=arm64),
# INIT_FLAGS adds its compiler flags (word-split).
build_init() {
	ki=${KLIBC_INC:-/usr/lib/klibc/include}
	# klcc writes each object beside its source: compiled from a private
	# copy, two builds at once (make check runs cases two at a time) do not
	# delete each other's objects.
	src=$(mktemp -d)
	cp "$here"/initramfs/*.c "$here"/initramfs/*.h "$src/"
	# shellcheck disable=SC2086 # INIT_FLAGS is a list of flags
	"${KLCC:-klcc}" -static -Os -ffunction-sections -fdata-sections \
		-fno-asynchronous-unwind-tables -fno-unwind-tables \
		-Wl,--gc-sections -Wl,-z,noseparate-code -Wl,--build-id=none ${INIT_FLAGS:-} \
		-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
		-Wcast-qual -Wvla -Werror \
		"-Wp,-isystem,$ki/arch/${KLIBC_ARCH:-x86_64},-isystem,$ki/bits64,-isystem,$ki" \
		-o "$1.$$.unstripped" "$src"/*.c || { rm -rf "$src"; exit 1; }
	rm -rf "$src"
	"${STRIP:-strip}" --strip-all -R .comment -R '.note*' -o "$1.$$" "$1.$$.unstripped"
	rm -f "$1.$$.unstripped"
	mv "$1.$$" "$1"
}
if [ -n "$compile_init" ]; then
	build_init "$compile_init"
	exit 0
fi

if [ -n "$uki" ]; then
	[ -n "$uki_cmdline" ] || die "--uki needs --cmdline \"ARGS\" (the kernel command line it carries)"
	[ -r "$uki_stub" ] || die "--stub: no EFI stub at $uki_stub (Debian: systemd-boot-efi)"
	command -v objcopy >/dev/null || die "--uki: no objcopy (Debian: binutils)"
	# Without -o the initramfs is only inside the UKI.
	uki_keep=$out_given
	[ -n "$out_given" ] || out=$uki.initramfs.$$.cpio.gz
else
	[ -z "$uki_cmdline$uki_kernel" ] || die "--cmdline and --kernel-image are for --uki"
fi
if [ -n "$sign_key$sign_cert" ]; then
	[ -n "$uki" ] || die "--sign and --cert are for --uki"
	{ [ -r "$sign_key" ] && [ -r "$sign_cert" ]; } || die "--sign KEY --cert CERT: both must be readable files (got \"$sign_key\", \"$sign_cert\")"
	command -v sbsign >/dev/null || die "--sign: no sbsign (Debian: sbsigntool)"
fi
[ -n "$out" ] || die "no output given: -o OUT"
if [ -z "$compress" ]; then
	case $out in
	*.gz) compress=gzip ;;
	*.xz) compress=xz ;;
	*.cpio) compress=none ;;
	*) compress=zstd ;;
	esac
fi
case $compress in
gzip | xz | zstd | none) ;;
*) die "--compress: \"$compress\" is not one of gzip, xz, zstd, none" ;;
esac
case $shell in
klibc | busybox | none) ;;
*) die "--shell: \"$shell\" is not one of klibc, busybox, none" ;;
esac

case $kernel in
"")
	if [ -n "$here" ]; then
		kernel=$(cat "$cache/kernel/version" 2>/dev/null) ||
			die "no lab kernel in .cache/kernel: run ./qemu/deps.sh or pass -k"
		moddir=$cache/kernel/root/lib/modules/$kernel
	else
		moddir=/lib/modules/$(uname -r)
	fi ;;
*/*) moddir=$kernel ;;
*)
	moddir=/lib/modules/$kernel
	if [ -n "$here" ] && [ -d "$cache/kernel/root/lib/modules/$kernel" ]; then
		moddir=$cache/kernel/root/lib/modules/$kernel
	fi ;;
esac
[ -f "$moddir/modules.dep" ] || die "no modules.dep in $moddir (run depmod)"
if [ -n "$uki" ] && [ -z "$uki_kernel" ]; then
	if [ -n "$here" ] && [ "$moddir" = "$cache/kernel/root/lib/modules/${moddir##*/}" ]; then
		uki_kernel=$cache/kernel/vmlinuz
	else
		uki_kernel=/boot/vmlinuz-${moddir##*/}
	fi
fi
[ -z "$uki" ] || [ -r "$uki_kernel" ] || die "--kernel-image: no kernel at $uki_kernel"
[ -x "$nbdroot" ] || die "no nbdroot binary at $nbdroot${here:+: run make}"
[ -z "$init" ] || [ -x "$init" ] || die "no init binary at $init"

stage=$(mktemp -d)
ordered=$stage.order
visiting=$stage.visiting
: >"$ordered"
: >"$visiting"
trap 'rm -rf "$stage" "$ordered" "$visiting" "$stage.cpio" "$stage.uki"; [ -n "$uki" ] && [ -z "$uki_keep" ] && rm -f "$out"' EXIT

if [ -z "$init" ]; then
	mkdir -p "$here/build"
	build_init "$here/build/init"
	init=$here/build/init
fi

# The modules.dep path of a module name (dashes and underscores are the same).
modpath() {
	awk -F: -v want="$(echo "$1" | tr - _)" '{
		n = $1; sub(/.*\//, "", n); sub(/\.ko.*/, "", n); gsub(/-/, "_", n)
		if (n == want) { print $1; exit }
	}' "$moddir/modules.dep"
}

in_builtin() {
	grep -q "/$(echo "$1" | tr - _)\.ko\$\|/$(echo "$1" | tr _ -)\.ko\$" \
		"$moddir/modules.builtin" 2>/dev/null
}

# Names a soft dependency may use: a module, or an alias such as crypto-crc32c
# (every module providing it: the kernel picks one that works on this CPU).
resolve() {
	p=$(modpath "$1")
	if [ -n "$p" ]; then
		echo "$p"
		return 0
	fi
	# shellcheck disable=SC2013 # one module name per line
	for m in $(awk -v a="$1" '$1 == "alias" && $2 == a { print $3 }' \
		"$moddir/modules.alias" 2>/dev/null); do
		modpath "$m"
	done
}

modname() {
	n=${1##*/}
	echo "${n%%.ko*}" | tr - _
}

# Depth-first: dependencies (hard, then soft "pre:") are listed before the
# module, soft "post:" ones after it. Loop variables are global in sh, so
# nothing is kept across the recursive calls but "$1"; the visiting list
# stops soft-dependency cycles.
visit() {
	grep -qxF "$1" "$ordered" "$visiting" && return 0
	echo "$1" >>"$visiting"
	# shellcheck disable=SC2013 # one line of space-separated paths
	for d in $(awk -F: -v p="$1" '$1 == p { print $2; exit }' "$moddir/modules.dep"); do
		visit "$d"
	done
	softdeps "$(modname "$1")" pre
	echo "$1" >>"$ordered"
	softdeps "$(modname "$1")" post
}

softdeps() {
	# shellcheck disable=SC2013 # one module name per line
	for s in $(awk -v m="$1" -v want="$2:" '$1 == "softdep" {
		n = $2; gsub(/-/, "_", n)
		if (n != m) next
		on = 0
		for (i = 3; i <= NF; i++) {
			if ($i ~ /:$/) on = ($i == want)
			else if (on) print $i
		}
	}' "$moddir/modules.softdep" 2>/dev/null); do
		for p in $(resolve "$s"); do
			visit "$p"
		done
	done
}

# Required modules must exist (or be built in); NICs are best effort.
want() {
	p=$(modpath "$1")
	if [ -n "$p" ]; then
		visit "$p"
		return 0
	fi
	in_builtin "$1" && return 0
	return 1
}

# NIC drivers load first: the kernel reports a new link's operstate (which
# the DHCP client waits for) at most once a second after the driver's probe,
# so that second passes while the rest load.
case $nic in
default) nic=$nic_default ;;
"default "*) nic="$nic_default ${nic#default }" ;;
none) nic= ;;
esac
skipped=
for m in $nic; do
	want "$m" || skipped="$skipped $m"
done
for m in nbd $fs $extra; do
	want "$m" || die "module $m is neither in $moddir/modules.dep nor built in"
done
# nbdroot.overlay=tmpfs needs it; a kernel without it can still boot plain roots.
want overlay || echo "$prog: no overlay module in this kernel: nbdroot.overlay=tmpfs will fail" >&2
[ -z "$skipped" ] || echo "$prog: NIC drivers not in this kernel, skipped:$skipped" >&2

mkdir -p "$stage/dev" "$stage/proc" "$stage/sys" "$stage/run" "$stage/newroot" \
	"$stage/sbin" "$stage/etc" "$stage/lib/modules"
# The kernel opens /dev/console for init before anything is mounted.
mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null ||
	echo "$prog: cannot mknod /dev/console (not root?): init will open it from devtmpfs" >&2
install -m 755 "$init" "$stage/init"
install -m 755 "$nbdroot" "$stage/sbin/nbdroot"
: >"$stage/etc/modules"
while read -r p; do
	b=${p##*/}
	b=${b%%.ko*}.ko
	case $p in
	*.ko) cp "$moddir/$p" "$stage/lib/modules/$b" ;;
	*.ko.xz) xz -dc "$moddir/$p" >"$stage/lib/modules/$b" ;;
	*.ko.zst) zstd -qdc "$moddir/$p" >"$stage/lib/modules/$b" ;;
	*.ko.gz) gzip -dc "$moddir/$p" >"$stage/lib/modules/$b" ;;
	*) die "unknown module file type: $p" ;;
	esac
	chmod 644 "$stage/lib/modules/$b"
	echo "/lib/modules/$b" >>"$stage/etc/modules"
done <"$ordered"

# Some NICs (bnx2, bnx2x, ...) need firmware before they work; the kernel
# loads it from /lib/firmware itself. What the host lacks is named, not fatal.
nofw=
if [ "$fwdir" != none ]; then
	while read -r p; do
		for f in $(modinfo -F firmware "$moddir/$p" 2>/dev/null); do
			for src in "$fwdir/$f" "$fwdir/$f.xz" "$fwdir/$f.zst"; do
				[ -f "$src" ] || continue
				mkdir -p "$(dirname "$stage/lib/firmware/${src#"$fwdir"/}")"
				install -m 644 "$src" "$stage/lib/firmware/${src#"$fwdir"/}"
				continue 2
			done
			m=$(modname "$p")
			case " $nofw " in *" $m "*) ;; *) nofw="$nofw $m" ;; esac
		done
	done <"$ordered"
fi
[ -z "$nofw" ] || echo "$prog: firmware some devices of these drivers need is not in $fwdir:$nofw" >&2

case $shell in
klibc)
	kb=$klibc_root/usr/lib/klibc/bin
	[ -x "$kb/sh" ] || die "--shell klibc: no $kb/sh (Debian: klibc-utils)"
	mkdir -p "$stage/bin" "$stage/lib"
	for t in sh cat ls mount umount dmesg mkdir ln mknod sleep reboot poweroff; do
		install -m 755 "$kb/$t" "$stage/bin/$t"
	done
	# klibc-utils' tools load the shared klibc named in their ELF interpreter
	# (read with grep: binutils need not be installed).
	interp=$(grep -ao '/lib/klibc-[A-Za-z0-9_-]*\.so' "$kb/sh" | head -n 1)
	[ -z "$interp" ] || install -m 755 "$klibc_root$interp" "$stage/lib/${interp##*/}"
	;;
busybox)
	bb=$(command -v busybox) || die "--shell busybox: no busybox"
	if readelf -l "$bb" | grep -q 'program interpreter'; then
		die "--shell busybox: $bb is dynamic (Debian: busybox-static)"
	fi
	mkdir -p "$stage/bin"
	install -m 755 "$bb" "$stage/bin/busybox"
	ln -s busybox "$stage/bin/sh"
	;;
esac

find "$stage" -exec touch -h -d @0 {} +
mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --reproducible --quiet) >"$stage.cpio"
raw=$(stat -c %s "$stage.cpio")
case $compress in
gzip) gzip -n -9 <"$stage.cpio" >"$out.$$" ;;
# The kernel's xz decoder knows only the CRC32 check.
xz) xz -9 --check=crc32 -T1 <"$stage.cpio" >"$out.$$" ;;
zstd) zstd -q -19 <"$stage.cpio" >"$out.$$" ;;
none) cp "$stage.cpio" "$out.$$" ;;
esac
mv "$out.$$" "$out"
echo "initramfs: $out: $(stat -c %s "$out") bytes $compress, $raw bytes uncompressed;" \
	"kernel ${moddir##*/}; modules: $(sed 's|.*/||; s|\.ko$||' "$stage/etc/modules" | tr '\n' ' ')"

# The UKI: the stub with .osrel, .cmdline, .initrd and .linux appended as new
# PE sections. systemd 252's stub declares a 512-byte SectionAlignment, but
# each section starts on a page here (its VMAs are page-aligned too), after
# the stub's last section, in the order the stub expects none of.
[ -n "$uki" ] || exit 0
mkdir -p "$stage.uki"
printf 'ID=nbdroot\nNAME=nbdroot\nPRETTY_NAME="nbdroot UKI (%s)"\n' "${moddir##*/}" >"$stage.uki/osrel"
printf '%s' "$uki_cmdline" >"$stage.uki/cmdline"
end=0
objdump -h "$uki_stub" >"$stage.uki/sections" || die "--stub: objdump -h cannot read $uki_stub"
# shellcheck disable=SC2034 # objdump -h: index name size vma ...
while read -r idx name size vma rest; do
	case $idx in *[!0-9]* | "") continue ;; esac
	[ $((0x$vma + 0x$size)) -le "$end" ] || end=$((0x$vma + 0x$size))
done <"$stage.uki/sections"
[ "$end" -gt 0 ] || die "--stub: no sections in $uki_stub (objdump -h)"
page=4096
vma=$(((end + page - 1) / page * page))
set --
for sec in osrel:"$stage.uki/osrel" cmdline:"$stage.uki/cmdline" initrd:"$out" linux:"$uki_kernel"; do
	name=${sec%%:*}
	file=${sec#*:}
	set -- "$@" --add-section ".$name=$file" --change-section-vma ".$name=$(printf 0x%x "$vma")"
	vma=$(((vma + $(stat -L -c %s "$file") + page - 1) / page * page))
done
objcopy "$@" "$uki_stub" "$stage.uki/uki.efi" || die "--uki: objcopy failed on $uki_stub"
if [ -n "$sign_key" ]; then
	sbsign --key "$sign_key" --cert "$sign_cert" --output "$stage.uki/signed.efi" "$stage.uki/uki.efi" >/dev/null ||
		die "--sign: sbsign failed with $sign_key and $sign_cert"
	mv "$stage.uki/signed.efi" "$stage.uki/uki.efi"
fi
mkdir -p "$(dirname "$uki")"
mv "$stage.uki/uki.efi" "$uki.$$"
mv "$uki.$$" "$uki"
echo "uki: $uki: $(stat -c %s "$uki") bytes; kernel $uki_kernel; cmdline \"$uki_cmdline\"${sign_key:+; signed with $sign_cert}"
