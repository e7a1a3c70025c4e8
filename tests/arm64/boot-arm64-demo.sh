#!/bin/bash
# boot-arm64-demo: make demo ARCH=arm64's own path (direct kernel boot on the virt board, DHCP alone, no server on any command line) reaches a rw NBD root, run without a person.
exec "$(dirname "$0")/../../qemu/demo.sh" --arch arm64 --check
