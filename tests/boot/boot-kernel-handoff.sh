#!/bin/bash
# boot-kernel-handoff: netlink attach (size, backend id, timeouts, EBUSY, nbdroot.ro), the forced ioctl path and static ip= bring-up, checked from a busybox guest.
exec "$(dirname "$0")/kernel/run.sh" "$(dirname "$0")/../../build/nbdroot"
