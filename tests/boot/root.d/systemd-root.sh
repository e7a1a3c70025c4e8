#!/bin/sh
# systemd-root: run by lab-test.service in the debootstrap systemd root: systemd's boot completes, the supervisor
# started in the initramfs is still there (marked '@', root still the initramfs, oom-exempt, locked in memory),
# then the reconnect workload rides out a server restart (lab.systemd_then=NAME runs /test/NAME.sh instead).
# Exit 0 only when all of that holds.
fails=0
fail() {
	echo "NBDROOT-TEST: systemd FAIL $*"
	fails=$((fails + 1))
}
state=$(timeout 200 systemctl is-system-running --wait)
echo "NBDROOT-TEST: systemd boot state=$state failed=\"$(systemctl --failed --plain --no-legend | cut -d' ' -f1 | tr '\n' ' ')\"" \
	"multi-user.target=$(systemctl is-active multi-user.target)"
case $state in
running | degraded) ;;
*) fail "boot state $state" ;;
esac
pid=$(sed -n "s/^PID='\(.*\)'\$/\1/p" /run/nbdroot/nbd0.status)
if [ -n "$pid" ] && [ -d "/proc/$pid" ]; then
	cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline")
	lck=$(sed -n 's/^VmLck:[ \t]*//p' "/proc/$pid/status")
	rss=$(sed -n 's/^VmRSS:[ \t]*//p' "/proc/$pid/status")
	oom=$(cat "/proc/$pid/oom_score_adj")
	echo "NBDROOT-TEST: systemd supervisor pid=$pid cmdline=\"$cmd\" oom_score_adj=$oom rss=\"$rss\" locked=\"$lck\""
	# what an operator sees: the '@' of systemd's root storage daemons
	# shellcheck disable=SC2009 # pgrep cannot match on argv[0]'s first byte alone
	ps -eo pid,args | grep '^ *[0-9]* @' | sed 's/^/NBDROOT-TEST: systemd ps: /'
	case $cmd in "@nbdroot "*) ;; *) fail "cmdline \"$cmd\", expected @nbdroot (systemd's mark)" ;; esac
	[ "$oom" = -1000 ] || fail "oom_score_adj $oom"
	[ "${lck%% *}" -gt 0 ] || fail "nothing locked in memory ($lck of $rss)"
	# its root is the emptied initramfs, not ours: it needs nothing from this filesystem
	[ "$(stat -L -c %d:%i "/proc/$pid/root")" != "$(stat -c %d:%i /)" ] || fail "supervisor's root is the NBD root"
else
	fail "no supervisor (status pid \"$pid\")"
fi
then=reconnect-workload
# shellcheck disable=SC2013 # the command line is words
for arg in $(cat /proc/cmdline); do
	case $arg in
	lab.systemd_then=*) then=${arg#lab.systemd_then=} ;;
	esac
done
"/test/$then.sh" || fail "$then"
echo "NBDROOT-TEST: systemd done fails=$fails"
[ "$fails" = 0 ]
