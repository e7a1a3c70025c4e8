#!/bin/bash
# soak-eight-minutes-of-random-faults: make check-long's short chaos soak (tests/soak/soak.sh with SOAK_MINUTES=8, a fresh seed each run, printed): at least 20 faults of at least 6 kinds, 0 I/O errors, 0 checksum mismatches, e2fsck clean, the lease renewed and never expired. make soak SOAK_MINUTES=N runs longer ones.
# In make check-long (tests/long.sh, beside the lease cases): about 8.5 minutes of one guest under TCG.
exec env SOAK_MINUTES="${SOAK_MINUTES:-8}" "$(dirname "$0")/../../soak/soak.sh" "$@"
