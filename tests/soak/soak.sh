#!/bin/bash
# soak.sh: the chaos soak (make soak SOAK_MINUTES=N). One guest on the NBD root runs tests/boot/root.d/soak-workload.sh
# (checksummed writes with fsync, re-reads from the device, reads of a fixed pattern file) while the host injects
# seeded random faults (tests/soak/faults.sh). At the end the served image gets e2fsck -fn and the guest verifies
# every checksum again. The report goes to stdout and to SOAK_RESULTS. nbdkit serves the test root with a raw tail
# past the filesystem, through its error filter: the I/O error windows (faults.sh's io-errors) fail reads of that
# tail only.
# Environment: SOAK_MINUTES (8), SOAK_SEED (random; printed: the same seed replays the same faults at the same
# gaps), SOAK_RESULTS (build/soak/soak-<date>-seed<seed>.txt), SOAK_APPEND (more kernel command line, e.g.
# nbdroot.dead_timeout=0 to show that the soak fails without reconnects), SOAK_MIN_FAULTS (minutes*5/2),
# SOAK_MIN_KINDS (6 from 8 minutes on, else 1), SOAK_EIO_LINGER (0: seconds the errors stay on after a window,
# the negative control: the soak must then fail). The guest takes its address and root-path by DHCP (lease 5 min, T1
# 20 s); the lease must never expire and at least one renewal must be acknowledged.
# shellcheck source-path=SCRIPTDIR source=../boot/lib.sh
. "$(dirname "$0")/../boot/lib.sh"
minutes=${SOAK_MINUTES:-8}
seed=${SOAK_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
min_faults=${SOAK_MIN_FAULTS:-$((minutes * 5 / 2))}
min_kinds=${SOAK_MIN_KINDS:-$([ "$minutes" -ge 8 ] && echo 6 || echo 1)}
stamp=$(date -u +%Y%m%d-%H%M%S)
results=${SOAK_RESULTS:-$BOOT_HERE/build/soak/soak-$stamp-seed$seed.txt}
timeout=10
secs=$((minutes * 60))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$results")"
# The served image: the test root, then a raw tail no filesystem covers: 256 KiB of random bytes the guest reads
# during I/O error windows (lab.soak_tail= their sha256), then the 4 KiB sentinel block host and guest write their
# words in (tests/soak/faults.sh's io-errors). nbdkit's error filter fails half the reads while $work/eio-on exists.
cp --sparse=always "$("$BOOT_HERE/qemu/mkroot.sh" --print)" "$work/soak.img"
head -c 262144 /dev/urandom >"$work/tail"
tailsum=$(sha256sum <"$work/tail" | cut -d' ' -f1)
cat "$work/tail" >>"$work/soak.img"
echo idle | dd bs=4096 conv=sync status=none >>"$work/soak.img"
echo "soak: $minutes min, seed $seed (SOAK_SEED=$seed replays it), nbdroot.timeout=$timeout${SOAK_APPEND:+, extra: $SOAK_APPEND}"
t0=$(date +%s)
rc=0
# DHCP (dnsmasq, renewal at T1 = 20 s) so that the supervisor's renewals meet the faults too
lab --case "soak-seed$seed" --server nbdkit --timeout $((secs + 600)) --dnsmasq --lease 5m --image "$work/soak.img" \
	--server-arg=--filter=error --server-param=error-pread-rate=50% --server-param="error-pread-file=$work/eio-on" \
	--dnsmasq-arg=--dhcp-option=option:root-path,"$SERVER_IP":10809/root \
	--dnsmasq-arg=--dhcp-option=option:T1,20 --dnsmasq-arg=--dhcp-option=option:T2,40 \
	--append "nbdroot=dhcp nbdroot.timeout=$timeout root=/dev/nbd0 lab.test=soak-workload lab.soak_s=$secs lab.soak_seed=$seed lab.soak_tail=$tailsum${SOAK_APPEND:+ $SOAK_APPEND}" \
	--hook ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'; . '$BOOT_HERE/tests/boot/fault-lib.sh'; . '$BOOT_HERE/tests/soak/faults.sh'
SOAK_TIMEOUT=$timeout SOAK_T1=20 SOAK_EIO_LINGER=${SOAK_EIO_LINGER:-0} SOAK_EIO_TRIGGER='$work/eio-on'
soak_faults $seed $secs '$work/faults' || touch '$work/faults.failed'
server_watch 'NBDROOT-TEST: soak ro' 900 || exit 1
echo \"server-died \$SOAK_SERVER_DIED\" >'$work/server-died'
# the root was remounted read-only, but its journal may still say needs_recovery: replay it on a copy, as a
# mount would, then check that copy
cp --sparse=always \"\$LAB_IMAGE\" '$work/copy.img'
{ dumpe2fs -h '$work/copy.img' 2>/dev/null | grep -E '^Filesystem (features|state)'; e2fsck -E journal_only -y '$work/copy.img'; echo journal-replay-rc=\$?; } >'$work/fsck.log' 2>&1
e2fsck -fn '$work/copy.img' >>'$work/fsck.log' 2>&1
echo \$? >'$work/fsck.rc'
rm -f '$work/copy.img'
cp '$work/fsck.log' \"\$LAB_LOGDIR/fsck.log\"" --keep-logs \
	--expect 'NBDROOT-TEST: soak done rounds=[0-9]+ .* mismatches=0 failed-ops=0 ioerrors=0 ' \
	--expect 'NBDROOT-TEST: test soak-workload exit=0' \
	--reject 'NBDROOT-TEST: soak (FAIL|mismatch)' "$@" >"$work/lab.out" 2>&1 || rc=1
# from here on the report: a missing piece is reported as such, not fatal
set +e +o pipefail
grep -v '^  |' "$work/lab.out" | grep -v '^lab: matched:'
logdir=$(sed -n 's/^lab: logs kept in //p' "$work/lab.out")
done_line=$(grep -aho 'NBDROOT-TEST: soak done .*' "$work/lab.out" "${logdir:-/nonexistent}/console.log" 2>/dev/null | head -n 1 | tr -d '\r')
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$done_line"; }
fsck_rc=$(cat "$work/fsck.rc" 2>/dev/null || echo none)
case $fsck_rc in
0) fsck="clean (e2fsck -fn exit 0, on a copy with the journal replayed)" ;;
none) fsck="not run" ;;
*) fsck="NOT clean (e2fsck -fn exit $fsck_rc: $(sed -n '/^e2fsck/,$p' "$work/fsck.log" | grep -v '^e2fsck\|^Pass\|^$\|journal' | head -n 3 | tr '\n' ' '))" ;;
esac
total=0 kinds=0 byk=
while read -r k n; do
	case $k in "" | server-died) continue ;; esac
	byk="$byk $k=$n"
	case $k in missed-*) continue ;; esac
	total=$((total + n))
	[ "$n" -gt 0 ] && kinds=$((kinds + 1))
done <"$work/faults" 2>/dev/null || true
died=$(sed -n 's/^server-died //p' "$work/server-died" 2>/dev/null)
renewed=$(grep -ac 'nbdroot: dhcp: .*lease renewed' "${logdir:-/nonexistent}/console.log")
expired=$(grep -ac 'nbdroot: dhcp: .*lease expired' "${logdir:-/nonexistent}/console.log")
# the faults the guest injects itself, from its "soak done" line (field=kind)
for gk in supervisor-kills=supervisor-kill netem=netem; do
	n=$(field "${gk%%=*}")
	[ -n "$n" ] || continue
	byk="$byk ${gk#*=}=$n (in the guest)"
	total=$((total + n))
	[ "$n" = 0 ] || kinds=$((kinds + 1))
done
verdict=PASS why=
[ "$rc" = 0 ] || why="$why; the guest's checks failed (see the lines above)"
[ ! -e "$work/faults.failed" ] || why="$why; the fault driver failed"
[ "$fsck_rc" = 0 ] || why="$why; fsck $fsck"
[ "$total" -ge "$min_faults" ] || why="$why; $total faults, fewer than $min_faults"
[ "$kinds" -ge "$min_kinds" ] || why="$why; $kinds kinds, fewer than $min_kinds"
[ "$expired" = 0 ] || why="$why; the DHCP lease expired"
[ "${renewed:-0}" -gt 0 ] || why="$why; no DHCP renewal was acknowledged"
[ -z "$why" ] || verdict="FAIL${why/#;/:}"
{
	echo "# nbdroot chaos soak, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "duration:            $(( ($(date +%s) - t0) / 60 )) min wall, $(field seconds) s of guest workload (asked: $minutes min)"
	echo "seed:                $seed (SOAK_SEED=$seed SOAK_MINUTES=$minutes make soak replays it)"
	echo "command line extra:  ${SOAK_APPEND:-none} (nbdroot.timeout=$timeout)"
	echo "faults:              $total of $kinds kinds:$byk"
	echo "reconnects:          $(field reconnects)"
	echo "server aborts:       ${died:-?} (nbdkit ended by itself, started again: not counted as faults)"
	echo "supervisor restarts: $(field supervisor-restarts)"
	echo "I/O errors:          $(field ioerrors) in the kernel log, $(field failed-ops) failed operations (apart from the error windows' own: $(field io-eio) failed reads of the raw tail in $(field io-windows) windows, each as many as nbdkit injected; $(field io-lines-excluded) kernel READ error lines of its sectors left out)"
	echo "checksum mismatches: $(field mismatches) ($(field checked) file reads, $(field pattern-reads) pattern reads, $(field rounds) rounds)"
	echo "DHCP:                $renewed renewals acknowledged, $expired lease expiries (T1 20 s, lease 300 s)"
	echo "fsck:                $fsck"
	echo "longest stall:       $(field longest-op) for one operation ($(sed -n 's/.*longest-what="\([^"]*\)".*/\1/p' <<<"$done_line"))"
	echo "machine:             $(nproc) cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "verdict:             $verdict"
	[ -z "$logdir" ] || echo "logs:                $logdir"
	[ ! -s "$work/faults.log" ] || { echo "fault sequence:"; sed 's/^/  /' "$work/faults.log"; }
	if [ "$verdict" != PASS ] && [ -n "$logdir" ]; then
		# what each side did last, here where a CI log's tail shows it
		echo "the fault driver's last lines ($logdir/hook.log):"
		tail -n 12 "$logdir/hook.log" 2>/dev/null | sed 's/^/  /'
		echo "the guest's last lines ($logdir/console.log):"
		tr -d '\r' <"$logdir/console.log" 2>/dev/null | tail -n 15 | sed 's/^/  | /'
		echo "verdict:             $verdict"
	fi
} | tee "$results"
echo "soak: report in $results"
[ "$verdict" = PASS ]
