#!/bin/bash
# boot-arm64-switch-root-init: tests/boot/boot-nbdkit on arm64: nbdroot=<server>:<port>/<export> + static ip=, then switch_root onto the rw /dev/nbd0 root, whose /sbin/init runs as PID 1 and writes through to the device.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
exec "$ARM64_HERE/tests/boot/boot-nbdkit.sh"
