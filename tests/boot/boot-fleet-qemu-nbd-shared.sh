#!/bin/bash
# boot-fleet-qemu-nbd-shared: 4 guests boot together from one qemu-nbd --read-only --shared=0 export: each sees only its own file, the export's sha256 is unchanged.
# cases: alone
# shellcheck source-path=SCRIPTDIR source=fleet-lib.sh
. "$(dirname "$0")/fleet-lib.sh"
fleet_case boot-fleet-qemu-nbd-shared qemu-nbd 4
