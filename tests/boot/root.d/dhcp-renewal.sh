#!/bin/sh
# dhcp-renewal: on the real root, the boot's DHCP lease must be renewed by the supervisor (nbdroot itself is long
# gone): waits up to 90 s for two "lease renewed" lines stamped after this script started.
start=$(cut -d' ' -f1 /proc/uptime)
renewals() {
	dmesg | sed -n 's/^\[ *\([0-9.]*\)\] nbdroot: dhcp: [^:]*: lease renewed.*/\1/p' |
		awk -v s="$start" '$1 > s { n++ } END { print n + 0 }'
}
i=0
while [ "$(renewals)" -lt 2 ] && [ $i -lt 90 ]; do
	sleep 1
	i=$((i + 1))
done
echo "NBDROOT-TEST: dhcp renewals=$(renewals) after uptime $start supervisor=$(sed -n "s/^PID='\(.*\)'\$/\1/p" /run/nbdroot/nbd0.status)"
[ "$(renewals)" -ge 2 ]
