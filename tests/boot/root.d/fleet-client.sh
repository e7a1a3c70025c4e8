#!/bin/sh
# fleet-client: one guest of a fleet writes a file named after itself to the root, then reports whose fleet files it sees.
# The other guests write theirs meanwhile: with lab.barrier=URL (qemu/fleet.sh --barrier) every guest waits until
# all have written, and drops its caches, so a write that reached the shared export would show up here. It also
# scans the export itself (/dev/nbd0) for the marks the guests write: a filesystem's own caches can hide the
# others' writes from the listing, the device cannot.
dir=/
# shellcheck disable=SC2013 # the command line is words
for arg in $(cat /proc/cmdline); do
	case $arg in
	lab.fleet_dir=*) dir=${arg#lab.fleet_dir=} ;;
	esac
done
ip=$(ip -4 -o addr show | awk '$2 != "lo" { sub("/.*", "", $4); print $4; exit }')
me=fleet-${ip:-$(hostname)}
fstype=$(awk '$2 == "/" { t = $3 } END { print t }' /proc/mounts)
case $fstype in
overlay) overlay=on ;;
*) overlay="off($fstype)" ;;
esac
# Split, so that this script (which is on the export) does not carry a mark.
mark="FLEET-""MARK-${ip:-$(hostname)}"
if err=$(echo "$mark" | dd of="$dir/$me" conv=fsync 2>&1); then
	wrote=yes
else
	case $err in
	*Read-only*) wrote=erofs ;;
	*) wrote=failed ;;
	esac
fi
sync
echo "NBDROOT-TEST: fleet wrote name=$me dir=$dir write=$wrote"
"$(dirname "$0")/wait-barrier.sh" fleet
# Forget what this guest cached, so the listing reads the device again.
echo 3 >/proc/sys/vm/drop_caches
own=no
others=
for f in "$dir"/fleet-*; do
	[ -e "$f" ] || continue
	n=${f##*/}
	if [ "$n" = "$me" ]; then
		own=yes
	else
		others="$others${others:+,}$n"
	fi
done
# The marks on the device: blocks this guest never cached are read from the server.
blockdev --flushbufs /dev/nbd0 2>/dev/null
dev_own=no
dev_others=
for m in $(strings -n 12 /dev/nbd0 | grep -o 'FLEET[-]MARK-[0-9a-z.-]*' | sort -u); do
	if [ "$m" = "$mark" ]; then
		dev_own=yes
	else
		dev_others="$dev_others${dev_others:+,}${m#FLEET-MARK-}"
	fi
done
echo "NBDROOT-TEST: fleet own=$own others=${others:-0} name=$me overlay=$overlay write=$wrote dir=$dir" \
	"export-own=$dev_own export-others=${dev_others:-0}"
[ "$own" = yes ] && [ -z "$others" ] && [ "$dev_own" = no ] && [ -z "$dev_others" ]
