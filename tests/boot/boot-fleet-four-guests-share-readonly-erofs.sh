#!/bin/bash
# boot-fleet-four-guests-share-readonly-erofs: boot-fleet-four-guests-share-readonly-export with the test root as an erofs image (qemu/mkroot.sh --erofs): 4 guests, one nbdkit -r export, each sees only its own file, the image is unchanged and nbdkit logged no write.
# cases: alone
FLEET_FORMAT=erofs FLEET_CASE=boot-fleet-four-guests-share-readonly-erofs \
	exec "$(dirname "$0")/boot-fleet-four-guests-share-readonly-export.sh" "$@"
