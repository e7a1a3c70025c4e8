#!/bin/sh
# dhcp-lease-periods: on the real root, for three 2-minute lease periods: the address stays, the root reads and
# writes, and "lease renewed" lines keep coming (one per T1); a summary line at the end.
fails=0
fail() {
	echo "NBDROOT-TEST: lease-periods FAIL $*"
	fails=$((fails + 1))
}
uptime() { cut -d. -f1 /proc/uptime; }
end=$(($(uptime) + 370))
while [ "$(uptime)" -lt "$end" ]; do
	sleep 30
	ip -4 addr show dev eth0 | grep -q 'inet 10\.77\.0\.10/24' || fail "no address at $(uptime) s"
	echo 3 >/proc/sys/vm/drop_caches
	cat /bin/busybox >/dev/null || fail "cannot read the root at $(uptime) s"
	dd if=/proc/uptime of=/.lease-probe bs=64 count=1 conv=fsync 2>/dev/null ||
		fail "cannot write the root at $(uptime) s"
	echo "NBDROOT-TEST: lease-periods at $(uptime) s: ok"
done
renewals=$(dmesg | grep -c 'nbdroot: dhcp: eth0: lease renewed for 120 s')
dmesg | grep -q 'lease expired' && fail "the lease expired"
echo "NBDROOT-TEST: lease-periods done fails=$fails renewals=$renewals"
[ "$fails" = 0 ] && [ "$renewals" -ge 5 ]
