#!/bin/bash
# boot-fleet-four-guests-share-readonly-squashfs: boot-fleet-four-guests-share-readonly-export with the test root as a squashfs image (qemu/mkroot.sh --squashfs): 4 guests, one nbdkit -r export, each sees only its own file, the image is unchanged and nbdkit logged no write.
# cases: alone
FLEET_FORMAT=squashfs FLEET_CASE=boot-fleet-four-guests-share-readonly-squashfs \
	exec "$(dirname "$0")/boot-fleet-four-guests-share-readonly-export.sh" "$@"
