#!/bin/bash
# boot-fleet-nbd-server-readonly: 4 guests boot together from one nbd-server export with readonly = true: each sees only its own file, the export's sha256 is unchanged.
# cases: alone
# shellcheck source-path=SCRIPTDIR source=fleet-lib.sh
. "$(dirname "$0")/fleet-lib.sh"
fleet_case boot-fleet-nbd-server-readonly nbd-server 4
