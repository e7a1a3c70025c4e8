#!/bin/bash
# boot-arm64-reconnect-server-restarts: tests/boot/boot-reconnect-server-restarts on arm64: the root rides out 5 SIGKILL restarts of nbdkit (outages 1..15 s) under a write/fsync/re-read workload with no mismatch and no I/O error.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
exec "$ARM64_HERE/tests/boot/boot-reconnect-server-restarts.sh"
