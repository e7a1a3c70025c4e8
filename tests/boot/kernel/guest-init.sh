#!/bin/sh
# guest-init.sh: /init of the kernel hand-off test initramfs: attaches exports through nbdroot and checks what the kernel shows.
# Prints "KTEST PASS <name>" / "KTEST FAIL <name>: <why>" per check and "KTEST DONE <failures>" at the end.
PATH=/bin
export PATH
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null

mode=$(sed -n 's/.*ktest.mode=\([a-z-]*\).*/\1/p' /proc/cmdline)
srv=10.77.0.1:10809/root
fails=0

pass() { echo "KTEST PASS $1"; }
fail() {
	echo "KTEST FAIL $1: $2"
	fails=$((fails + 1))
}
# t NAME WHY COMMAND...: pass when COMMAND succeeds
t() {
	n=$1 w=$2
	shift 2
	if "$@"; then pass "$n"; else fail "$n" "$w"; fi
}
# check NAME "actual" "expected"
check() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got \"$2\", expected \"$3\""; fi
}
# run nbdroot with a command line; output kept in /tmp/out, exit code in $rc
nbdr() {
	env "$@" >/tmp/out 2>&1
	rc=$?
	sed 's/^/  | /' /tmp/out
}
mods() {
	for m in "$@"; do
		insmod "/lib/modules/$m.ko" || fail "insmod-$m" "insmod failed"
	done
}
ip4() { ip addr show dev eth0 | sed -n 's/.*inet \([0-9./]*\) .*/\1/p'; }
ext4_magic() { dd if="$1" bs=1 skip=1080 count=2 2>/dev/null | od -An -tx1 | tr -d ' \n'; }

mods virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci \
	failover net_failover virtio_net
mkdir -p /tmp

# Before nbd.ko: the controller must answer ENOENT for the family, and the
# fallback must say why it then cannot open the device.
nbdr nbdroot --cmdline "nbdroot=$srv ip=10.77.0.10::10.77.0.1::kt-guest::off nbdroot.debug"
check family-missing-exit "$rc" 1
t family-missing-logged "no fallback line" \
	grep -q 'kernel: generic netlink family nbd missing: using the ioctl interface' /tmp/out
t family-missing-open-error "no open error naming the module" \
	grep -q 'cannot open /dev/nbd0.*is the nbd module loaded' /tmp/out

# That first run also brought the network up from ip= without a netmask or
# a device (eth0 is the only candidate besides lo):
# 10.x is class A, so /8, as the kernel's own ip= would derive.
check netif-classful-mask "$(ip4)" 10.77.0.10/8
check netif-default-route "$(ip route | grep '^default' | cut -d' ' -f1-5)" "default via 10.77.0.1 dev eth0"
check netif-hostname "$(hostname)" kt-guest
lo_up() { ip -o link show lo | grep -q 'UP'; }
t netif-lo-up "lo is not up" lo_up
check netif-carrier "$(cat /sys/class/net/eth0/carrier)" 1

mods nbd
ipconf="ip=10.77.0.10::10.77.0.1:255.255.255.0::eth0:off"
nbdr nbdroot --probe --cmdline "nbdroot=$srv $ipconf"
size=$(sed -n "s/^NBDROOT_SIZE='\(.*\)'/\1/p" /tmp/out)
tflags=$(sed -n "s/^NBDROOT_TRANSMISSION_FLAGS='\(.*\)'/\1/p" /tmp/out)
t probe "no size from --probe" [ -n "$size" ]

# nbd0 over netlink, as the export says (rw or ro by server flag).
nbdr nbdroot --cmdline "nbdroot=$srv $ipconf nbdroot.debug nbdroot.timeout=45 nbdroot.dead_timeout=300"
check nl-attach-exit "$rc" 0
check netif-explicit-mask "$(ip4)" 10.77.0.10/24
t nl-path-logged "no netlink debug line" grep -q 'kernel: .*connected by netlink' /tmp/out
seq=$(cat /sys/block/nbd0/diskseq)
t nl-diskseq-logged "diskseq $seq not in the debug log" \
	grep -q "kernel: /dev/nbd0: diskseq $seq\$" /tmp/out
check nl-size "$(($(cat /sys/block/nbd0/size) * 512))" "$size"
check nl-read-ext4-magic "$(ext4_magic /dev/nbd0)" 53ef
check nl-backend "$(cat /sys/block/nbd0/backend 2>&1)" "nbdroot:10.77.0.1:10809/root"
check nl-io-timeout-ms "$(cat /sys/block/nbd0/queue/io_timeout)" 45000
t nl-pid-attr "no /sys/block/nbd0/pid" [ -e /sys/block/nbd0/pid ]
if [ "$mode" = ro-export ]; then
	check nl-ro-from-server-flag "$(cat /sys/block/nbd0/ro)" 1
	check nl-blockdev-getro "$(blockdev --getro /dev/nbd0)" 1
else
	check nl-rw "$(cat /sys/block/nbd0/ro)" 0
	# a second attach to the busy nbd0 must be refused, nbd0 untouched
	nbdr nbdroot --cmdline "nbdroot=$srv $ipconf"
	check nl-busy-exit "$rc" 1
	check nl-busy-untouched "$(ext4_magic /dev/nbd0)" 53ef
	t nl-busy-message "no \"already in use\" line" grep -q 'nbd0.*already in use' /tmp/out
	# nbdroot.ro on a writable export: read-only device all the same
	nbdr nbdroot --cmdline "nbdroot=$srv $ipconf nbdroot.device=/dev/nbd1 nbdroot.ro"
	check ro-attach-exit "$rc" 0
	check ro-sysfs "$(cat /sys/block/nbd1/ro)" 1
	check ro-blockdev-getro "$(blockdev --getro /dev/nbd1)" 1
	if dd if=/dev/zero of=/dev/nbd1 bs=4096 count=1 conv=fsync 2>/dev/null; then
		fail ro-write-refused "a write to nbd1 succeeded"
	else
		pass ro-write-refused
	fi
fi

# The ioctl path, forced: NBD_DO_IT in a child that outlives nbdroot.
nbdr NBDROOT_FORCE_IOCTL=1 nbdroot --cmdline "nbdroot=$srv $ipconf nbdroot.device=/dev/nbd2 nbdroot.debug"
check ioctl-attach-exit "$rc" 0
t ioctl-forced-logged "no forced line" \
	grep -q 'NBDROOT_FORCE_IOCTL is set: using the ioctl interface' /tmp/out
t ioctl-io-loss-logged "no in-flight I/O warning" grep -q 'reconnect loses in-flight I/O' /tmp/out
check ioctl-size "$(($(cat /sys/block/nbd2/size) * 512))" "$size"
check ioctl-read-ext4-magic "$(ext4_magic /dev/nbd2)" 53ef
check ioctl-io-timeout-ms "$(cat /sys/block/nbd2/queue/io_timeout)" 30000
pid=$(cat /sys/block/nbd2/pid 2>/dev/null)
if [ -n "$pid" ] && [ -d "/proc/$pid" ]; then
	pass ioctl-do-it-child-alive
	# every catchable signal is blocked: a SIGTERM must not tear nbd2 down
	kill -TERM "$pid"
	sleep 1
	alive() { [ -d "/proc/$pid" ] && [ "$(cat /sys/block/nbd2/size)" != 0 ]; }
	t ioctl-child-survives-sigterm "nbd2 went away" alive
else
	fail ioctl-do-it-child-alive "pid \"$pid\" not running"
fi
if [ "$mode" = ro-export ]; then
	check ioctl-ro-from-server-flag "$(cat /sys/block/nbd2/ro)" 1
fi
# NBD_ATTR_DEAD_CONN_TIMEOUT is invisible in sysfs; prove it by effect. With
# the server gone, I/O on nbd3 (4 s) waits for a reconnect that never comes,
# then fails; on nbd4 (0 s) it fails at once. nbd5 (120 s) then gets a new
# socket by RECONFIGURE, and the read that was waiting completes.
if [ "$mode" = rw-export ]; then
	nbdr nbdroot --cmdline "nbdroot=$srv $ipconf nbdroot.device=/dev/nbd3 nbdroot.dead_timeout=4"
	check dead-attach-4s "$rc" 0
	nbdr nbdroot --cmdline "nbdroot=$srv $ipconf nbdroot.device=/dev/nbd4 nbdroot.dead_timeout=0"
	check dead-attach-0s "$rc" 0
	nbdr nbdroot --cmdline "nbdroot=$srv $ipconf nbdroot.device=/dev/nbd5 nbdroot.dead_timeout=120"
	check dead-attach-120s "$rc" 0
	check status-connected "$(nltool status 5)" "status index 5 connected 1 error 0"
	echo "KTEST STOP-SERVER"
	i=0
	while nbdroot --probe --cmdline "nbdroot=$srv" >/dev/null 2>&1 && [ $i -lt 60 ]; do
		sleep 0.5
		i=$((i + 1))
	done
	sleep 1 # the kernel's receive threads see the EOF
	# timed_read DEV: sets r (ok/failed) and cs (centiseconds taken)
	timed_read() {
		t0=$(cut -d' ' -f1 /proc/uptime | tr -d .)
		if dd if="/dev/$1" of=/dev/null bs=4096 skip=8192 count=1 2>/dev/null; then
			r=ok
		else
			r=failed
		fi
		cs=$(($(cut -d' ' -f1 /proc/uptime | tr -d .) - t0))
	}
	timed_read nbd3
	nbd3_result=$r nbd3_cs=$cs
	timed_read nbd4
	nbd4_result=$r nbd4_cs=$cs
	echo "dead timeout: nbd3 $nbd3_result after ${nbd3_cs}0 ms, nbd4 $nbd4_result after ${nbd4_cs}0 ms"
	if [ "$nbd3_result" = failed ] && [ "$nbd3_cs" -ge 300 ] && [ "$nbd3_cs" -lt 2000 ]; then
		pass dead-timeout-4s-holds-io
	else
		fail dead-timeout-4s-holds-io "read $nbd3_result after ${nbd3_cs}0 ms, expected a failure after 3..20 s"
	fi
	if [ "$nbd4_result" = failed ] && [ "$nbd4_cs" -lt 200 ]; then
		pass dead-timeout-0s-fails-fast
	else
		fail dead-timeout-0s-fails-fast "read $nbd4_result after ${nbd4_cs}0 ms, expected a failure within 2 s"
	fi
	# STATUS keeps saying "connected" with every socket dead: 6.1 reports
	# whether the device is configured, not whether its link lives.
	check status-after-outage "$(nltool status 5)" "status index 5 connected 1 error 0"
	(dd if=/dev/nbd5 of=/dev/null bs=4096 skip=12000 count=1 2>/dev/null
		echo $? >/tmp/held-read) &
	sleep 1
	t held-read-waiting "read ended during the outage" [ ! -e /tmp/held-read ]
	echo "KTEST START-SERVER"
	i=0
	until nbdroot --probe --cmdline "nbdroot=$srv" >/dev/null 2>&1 || [ $i -ge 60 ]; do
		sleep 0.5
		i=$((i + 1))
	done
	ipc="nbdroot=$srv"
	out=$(nltool reconfigure 5 "$ipc" no-backend 2>&1)
	case $out in
	"reconfigure error 22"*) pass reconfigure-without-backend-refused ;;
	*) fail reconfigure-without-backend-refused "$out" ;;
	esac
	check reconfigure-with-backend "$(nltool reconfigure 5 "$ipc" 2>&1)" "reconfigure error 0"
	i=0
	while [ ! -s /tmp/held-read ] && [ $i -lt 40 ]; do
		sleep 0.25
		i=$((i + 1))
	done
	check held-read-completes-after-reconfigure "$(cat /tmp/held-read 2>/dev/null)" 0
	check reconfigured-read "$(timeout 10 dd if=/dev/nbd5 bs=4096 skip=9000 count=1 2>/dev/null | wc -c)" 4096
	# The same outage hit the ioctl device nbd2: its NBD_DO_IT child says
	# the in-flight I/O is lost, reconnects and serves reads again.
	t ioctl-io-lost-in-kmsg "no loss line in the kernel log" \
		sh -c 'dmesg | grep -q "nbd2: link lost; in-flight I/O was lost (ioctl interface)"'
	i=0
	until dmesg | grep -q 'nbd2: reconnected' || [ $i -ge 80 ]; do
		sleep 0.5
		i=$((i + 1))
	done
	t ioctl-reconnected "no reconnect line in the kernel log" \
		sh -c 'dmesg | grep -q "nbdroot: kernel: /dev/nbd2: reconnected"'
	echo 3 >/proc/sys/vm/drop_caches
	a=$(timeout 20 dd if=/dev/nbd2 bs=4096 count=4 2>/dev/null | md5sum)
	b=$(timeout 20 dd if=/dev/nbd5 bs=4096 count=4 2>/dev/null | md5sum)
	z=$(dd if=/dev/zero bs=4096 count=4 2>/dev/null | md5sum)
	echo "after reconnect: nbd2 $a nbd5 $b"
	if [ "$a" = "$b" ] && [ "$a" != "$z" ]; then
		pass ioctl-read-after-reconnect
	else
		fail ioctl-read-after-reconnect "nbd2 read \"$a\", nbd5 \"$b\""
	fi
	check ioctl-ext4-magic-after-reconnect "$(ext4_magic /dev/nbd2)" 53ef
	t ioctl-child-alive-after-reconnect "pid gone" [ -n "$(cat /sys/block/nbd2/pid 2>/dev/null)" ]
fi
echo "transmission flags $tflags"
dmesg | grep -i nbd | tail -n 5 | sed 's/^/  dmesg| /'
echo "KTEST DONE $fails"
poweroff -f
