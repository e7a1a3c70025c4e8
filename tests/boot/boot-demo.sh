#!/bin/bash
# boot-demo: make demo's own path (PXE from dnsmasq, DHCP alone, no server on any command line) reaches a rw NBD root, run without a person.
exec "$(dirname "$0")/../../qemu/demo.sh" --check
