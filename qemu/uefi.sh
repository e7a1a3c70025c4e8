# uefi.sh: the lab's UEFI firmware (Debian's OVMF, Secure Boot with its snakeoil keys) and the DHCP/TFTP/HTTP boot
# configuration one dnsmasq serves to BIOS, UEFI PXE and UEFI HTTP boot clients; sourced by lab.sh after lib.sh.
# shellcheck shell=bash disable=SC2034 # the arrays are the sourcing script's

OVMF_DIR=/usr/share/OVMF
OVMF_SNAKEOIL_KEY=/usr/share/ovmf/PkKek-1-snakeoil.key
OVMF_SNAKEOIL_CERT=/usr/share/ovmf/PkKek-1-snakeoil.pem
IPXE_EFI=/usr/lib/ipxe/ipxe.efi
IPXE_BIOS=/usr/lib/ipxe/undionly.kpxe

# firmware_args FIRMWARE SECURE VARS_COPY: sets fw_args, the QEMU arguments of
# the guest's firmware and machine. bios: SeaBIOS on pc (QEMU's default). uefi:
# OVMF on q35 from two flash chips, the read-only code and a private copy of
# the variable store, so that a guest's boot entries never reach the next one's.
# SECURE=1: the Secure Boot build (it needs SMM, so the flash is SMM-only)
# with Debian's snakeoil variables (PK, KEK and db hold PkKek-1-snakeoil.pem,
# Secure Boot on). Fails (one line) when a file is missing.
firmware_args() {
	local firmware=$1 secure=$2 vars=$3 code src
	case $firmware in
	bios)
		[ -z "$secure" ] || { echo "nbdroot: lab: --secure-boot needs --firmware uefi" >&2; return 1; }
		fw_args=(-machine pc)
		return 0
		;;
	uefi) ;;
	*) echo "nbdroot: lab: --firmware \"$firmware\": expected bios or uefi" >&2; return 1 ;;
	esac
	if [ -n "$secure" ]; then
		code=$OVMF_DIR/OVMF_CODE_4M.secboot.fd src=$OVMF_DIR/OVMF_VARS_4M.snakeoil.fd
	else
		code=$OVMF_DIR/OVMF_CODE_4M.fd src=$OVMF_DIR/OVMF_VARS_4M.fd
	fi
	[ -r "$code" ] || src=$code
	[ -r "$src" ] || {
		echo "nbdroot: lab: no OVMF firmware at $code / $src (Debian: ovmf; run ./qemu/deps.sh)" >&2
		return 1
	}
	cp "$src" "$vars"
	# shellcheck disable=SC2054 # the commas belong to QEMU's option values
	fw_args=(-machine "q35${secure:+,smm=on}"
		-drive "if=pflash,format=raw,unit=0,readonly=on,file=$code"
		-drive "if=pflash,format=raw,unit=1,file=$vars")
	# shellcheck disable=SC2054
	[ -z "$secure" ] || fw_args+=(-global driver=cfi.pflash01,property=secure,value=on)
	return 0
}

# netboot_dnsmasq_args TFTPROOT UEFI_NBP HTTP_URL: sets netboot_args, the
# dnsmasq options of the lab's boot server, the same for every client, told
# apart as a site's server does: by option 175 (iPXE, whatever firmware ran it),
# else by option 93 (client architecture: 0 BIOS, 7 or 9 x86-64 UEFI), and
# by the vendor class HTTPClient (UEFI HTTP boot, which must see that class
# echoed in the offer). iPXE gets boot.ipxe; a BIOS PXE ROM that is not iPXE
# gets undionly.kpxe; UEFI PXE gets UEFI_NBP (ipxe.efi, or a UKI) by TFTP;
# UEFI HTTP boot gets HTTP_URL (none when empty).
netboot_dnsmasq_args() {
	local tftp=$1 nbp=$2 url=$3
	# shellcheck disable=SC2054 # the commas belong to dnsmasq's option values
	netboot_args=(--enable-tftp --tftp-root="$tftp"
		--dhcp-match=set:ipxe,175
		--dhcp-match=set:bios,option:client-arch,0
		--dhcp-match=set:efi64,option:client-arch,7
		--dhcp-match=set:efi64,option:client-arch,9
		--dhcp-vendorclass=set:httpclient,HTTPClient
		--dhcp-boot=tag:ipxe,boot.ipxe
		--dhcp-boot=tag:!ipxe,tag:bios,undionly.kpxe
		--dhcp-boot=tag:!ipxe,tag:efi64,tag:!httpclient,"$nbp")
	if [ -n "$url" ]; then
		# shellcheck disable=SC2054
		netboot_args+=(--dhcp-option-force=tag:httpclient,option:vendor-class,HTTPClient
			--dhcp-boot=tag:!ipxe,tag:httpclient,"$url")
	fi
}

# netboot_files TFTPROOT: the boot loaders every client may ask for, from
# Debian's ipxe package.
netboot_files() {
	local f
	for f in "$IPXE_EFI" "$IPXE_BIOS"; do
		[ -r "$f" ] || { echo "nbdroot: lab: no $f (Debian: ipxe; run ./qemu/deps.sh)" >&2; return 1; }
		cp "$f" "$1/"
	done
}
