#!/bin/bash
# boot-arm64-dhcp-root-path: tests/boot/boot-dhcp-root-path on arm64: no server on the command line, nbdroot's DHCP client gets the lease and the root from dnsmasq's root-path; the lease file has klibc's keys.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
exec "$ARM64_HERE/tests/boot/boot-dhcp-root-path.sh"
