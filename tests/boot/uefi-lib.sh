# uefi-lib.sh: shared by the UEFI boot tests (sourced after lib.sh): UKIs built once by the builder (mkinitramfs-nbdroot --uki),
# cached in $LAB_CACHE/uki, and Debian's snakeoil Secure Boot key (its passphrase, "snakeoil", is in ovmf's README.Debian).
# shellcheck shell=bash disable=SC2034 # the variables are for the tests that source this

UKI_DIR=$LAB_CACHE/uki
SNAKEOIL_CERT=/usr/share/ovmf/PkKek-1-snakeoil.pem
SNAKEOIL_KEY=$UKI_DIR/snakeoil.key
# The lab's DHCP root-path: the UKIs' command lines name no server.
ROOT_PATH_ARG=--dnsmasq-arg=--dhcp-option=option:root-path,nbd://$SERVER_IP:10809/root
# The OVMF lines of a UKI the firmware would not run (HTTP boot is Boot0001:
# OVMF's PXE is off, no disk), then of the boot manager giving up.
FW_REFUSED_RE='BdsDxe: failed to load Boot0001 "UEFI HTTPv4 \(MAC:525400123456\)" from .*: Access Denied'
FW_GAVE_UP_RE='BdsDxe: No bootable option or device was found'

# snakeoil_key: an unencrypted copy of the snakeoil private key (sbsign
# would ask for the passphrase on the terminal).
snakeoil_key() {
	mkdir -p "$UKI_DIR"
	[ -s "$SNAKEOIL_KEY" ] && return 0
	openssl rsa -in /usr/share/ovmf/PkKek-1-snakeoil.key -passin pass:snakeoil \
		-out "$SNAKEOIL_KEY.$$" 2>/dev/null || {
		echo "uefi-lib: cannot decrypt /usr/share/ovmf/PkKek-1-snakeoil.key (Debian: ovmf, openssl)" >&2
		return 1
	}
	mv "$SNAKEOIL_KEY.$$" "$SNAKEOIL_KEY"
}

# uki NAME SIGNED(0|1) "CMDLINE" [BUILDER ARGS...]: prints the path of a UKI of
# the lab kernel and a virtio-only nbdroot initramfs with CMDLINE (console and
# panic are added), signed with the snakeoil key when SIGNED=1. Cached under a
# stamp of everything that goes in; built under a lock (cases run in parallel).
uki() {
	local name=$1 signed=$2 cmdline="$3 console=ttyS0 panic=-1" out stamp sign=()
	shift 3
	mkdir -p "$UKI_DIR"
	out=$UKI_DIR/$name.efi
	if [ "$signed" = 1 ]; then
		snakeoil_key || return 1
		sign=(--sign "$SNAKEOIL_KEY" --cert "$SNAKEOIL_CERT")
	fi
	stamp=$({
		echo "$cmdline|$signed|$*"
		cat "$BOOT_HERE/initramfs/build.sh" "$BOOT_HERE"/initramfs/*.c "$BOOT_HERE"/initramfs/*.h \
			"$BOOT_HERE/build/nbdroot" "$LAB_CACHE/kernel/vmlinuz" /usr/lib/systemd/boot/efi/linuxx64.efi.stub
	} | sha256sum | cut -c1-16)
	(
		flock 9
		if [ ! -f "$out" ] || [ "$(cat "$out.stamp" 2>/dev/null)" != "$stamp" ]; then
			"$BOOT_HERE/initramfs/build.sh" --nic "virtio_net virtio_pci" --uki "$out.new" \
				--cmdline "$cmdline" "${sign[@]}" "$@" >&2 || exit 1
			mv "$out.new" "$out"
			echo "$stamp" >"$out.stamp"
		fi
	) 9>"$out.lock" || { echo "uefi-lib: building the UKI $name failed" >&2; return 1; }
	echo "$out"
}

# section_offset FILE SECTION: the file offset of a PE section's data (objdump -h).
section_offset() {
	objdump -h "$1" | awk -v s="$2" '$2 == s { print $6; exit }'
}

# refused_boot CASE UKI: Secure Boot on, HTTP boot of UKI: the firmware must
# download it whole, refuse to load it (Access Denied) and give up; nothing
# of the kernel may run. The hook ends the guest once the firmware gave up
# (it would wait at its boot menu).
refused_boot() {
	local case=$1 img=$2
	lab --case "$case" --http-boot --secure-boot --uki "$img" --server nbdkit --timeout 150 \
		"$ROOT_PATH_ARG" \
		--hook ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'
wait_console '$FW_GAVE_UP_RE' 140 && kill -KILL -- -\$LAB_QEMU_PID" \
		--expect 'URI: http://10\.77\.0\.1/nbdroot\.efi' \
		--expect "File Size: $(stat -c %s "$img") Bytes" \
		--expect "$FW_REFUSED_RE" \
		--expect "$FW_GAVE_UP_RE" \
		--reject 'BdsDxe: starting Boot0001|EFI stub|Linux version|NBDROOT-TEST'
}
