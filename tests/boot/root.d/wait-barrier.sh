#!/bin/sh
# wait-barrier: with lab.barrier=URL on the command line (qemu/fleet.sh --barrier), waits until URL exists (up to
# 300 s) and prints "NBDROOT-TEST: <$1> barrier=passed|timeout"; without one it returns at once. Exit 1 on timeout.
barrier=
# shellcheck disable=SC2013 # the command line is words
for arg in $(cat /proc/cmdline); do
	case $arg in
	lab.barrier=*) barrier=${arg#lab.barrier=} ;;
	esac
done
[ -n "$barrier" ] || exit 0
i=0
while ! wget -q -O /dev/null "$barrier" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -ge 600 ]; then
		echo "NBDROOT-TEST: $1 barrier=timeout"
		exit 1
	fi
	sleep 0.5
done
echo "NBDROOT-TEST: $1 barrier=passed"
