#!/bin/bash
# boot-fleet-four-guests-share-readonly-export: 4 guests boot together from one nbdkit -r export (log filter): each sees its own file and none of the others', the export's sha256 is unchanged, nbdkit logged no Write/Trim/Zero/Flush.
# cases: alone
# shellcheck source-path=SCRIPTDIR source=fleet-lib.sh
. "$(dirname "$0")/fleet-lib.sh"
fleet_case boot-fleet-four-guests-share-readonly-export nbdkit 4
