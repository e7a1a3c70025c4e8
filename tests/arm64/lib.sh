# lib.sh: sourced by the arm64 cases: what they run is tests/boot/'s case of the same name, unchanged,
# on an arm64 guest: qemu/lab.sh and qemu/mkroot.sh read NBDROOT_ARCH (qemu-system-aarch64 -M virt
# -cpu cortex-a57 under TCG, the arm64 kernel and test root), tests/boot/lib.sh reads NBDROOT_INITRD.
# shellcheck shell=bash
ARM64_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export NBDROOT_ARCH=arm64
export NBDROOT_INITRD=$ARM64_HERE/build/arm64/initramfs.cpio.gz
