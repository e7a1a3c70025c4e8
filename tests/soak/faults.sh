# faults.sh: the chaos soak's host-side fault driver (sourced by a lab.sh hook, inside the netns, after
# tests/boot/reconnect-lib.sh and tests/boot/fault-lib.sh). Environment from qemu/lab.sh: LAB_CONSOLE, LAB_NETNS, LAB_SERVER_START,
# LAB_SERVER_STOP, LAB_GUEST_IP, LAB_PORT, LAB_IMAGE.
# shellcheck shell=bash

SOAK_TIMEOUT=${SOAK_TIMEOUT:-10} # the guest's nbdroot.timeout
SOAK_KINDS=(kill kill-in-handshake stall-short stall-long link-down blackhole tcp-reset dhcp-gone io-errors)
SOAK_T1=${SOAK_T1:-20} # the lease's renewal time (dnsmasq's option T1)

# rnd A B: a number in [A, B] from bash's seeded RANDOM
rnd() { echo $(($1 + RANDOM % ($2 - $1 + 1))); }

server_pids() {
	local p
	for p in $(ip netns pids "$LAB_NETNS"); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = nbdkit ] && echo "$p"
	done
	return 0
}
listening() { ss -Hltn "sport = :$LAB_PORT" | grep -q .; }
wait_listening() {
	local i
	for ((i = 0; i < 200; i++)); do
		listening && return 0
		sleep 0.05
	done
	say "the server did not listen within 10 s"
	return 1
}
server_conns() { ss -Htn state established "( sport = :$LAB_PORT )" | grep -c .; }

fault_kill() {
	local o
	o=$(rnd 0 8)
	say "  server SIGKILL, back in $o s"
	"$LAB_SERVER_STOP"
	sleep "$o"
	"$LAB_SERVER_START"
	wait_listening
}
# the server killed again as soon as the supervisor's reconnect reaches it (its handshake, or just after)
fault_kill-in-handshake() {
	local i n
	say "  server SIGKILL, back in 1 s, SIGKILL again at the reconnect's first connection"
	"$LAB_SERVER_STOP"
	sleep 1
	"$LAB_SERVER_START"
	wait_listening || return 1
	for ((i = 0; i < 400; i++)); do
		n=$(server_conns)
		[ "$n" -gt 0 ] && break
		sleep 0.025
	done
	"$LAB_SERVER_STOP"
	say "  killed with $n connection(s) open after $((i * 25)) ms"
	sleep "$(rnd 1 4)"
	"$LAB_SERVER_START"
	wait_listening
}
stall() {
	local pids
	pids=$(server_pids)
	say "  server SIGSTOP for $1 s (nbdroot.timeout=$SOAK_TIMEOUT)"
	# shellcheck disable=SC2086 # one pid a word
	kill -STOP $pids
	sleep "$1"
	# shellcheck disable=SC2086
	kill -CONT $pids
}
fault_stall-short() { stall "$(rnd 1 $((SOAK_TIMEOUT - 3)))"; }
fault_stall-long() { stall "$(rnd $((SOAK_TIMEOUT + 2)) $((SOAK_TIMEOUT + 12)))"; }
fault_link-down() {
	local o
	o=$(rnd 2 12)
	say "  tap0 down for $o s"
	ip link set tap0 down
	sleep "$o"
	ip link set tap0 up
}
# the guest's address blackholed both ways (no RST, no ICMP): an nft table whose input and output chains drop
# its packets, deleted afterwards. A SYN the host sends meanwhile proves that the output chain drops (the guest
# would answer it with an RST at once); the input chain's count is what the guest sent, retransmissions mostly.
fault_blackhole() {
	local o g=$LAB_GUEST_IP in out
	o=$(rnd 3 15)
	say "  nft blackhole of $g (input and output) for $o s"
	nft -f - <<NFT || return 1
table inet soak {
	chain input { type filter hook input priority 0; policy accept; ip saddr $g counter drop; }
	chain output { type filter hook output priority 0; policy accept; ip daddr $g counter drop; }
}
NFT
	timeout 1 bash -c "exec 3<>/dev/tcp/$g/9" 2>/dev/null
	sleep "$o"
	in=$(nft list chain inet soak input | sed -n 's/.* counter packets \([0-9]*\) .*/\1/p')
	out=$(nft list chain inet soak output | sed -n 's/.* counter packets \([0-9]*\) .*/\1/p')
	nft delete table inet soak || return 1
	say "  blackhole over: $in packet(s) from the guest dropped, $out to it"
	[ "${out:-0}" -gt 0 ] || { say "  the output chain dropped nothing"; return 1; }
}
# the server's end of each connection aborted (RST) in the middle of whatever it was sending
fault_tcp-reset() {
	local out
	out=$(ss -HK state established "( sport = :$LAB_PORT )")
	if [ -z "$out" ]; then
		say "  tcp-reset: no socket was destroyed (no connection, or no INET_DIAG_DESTROY)"
		return 2
	fi
	say "  RST on $(echo "$out" | grep -c .) connection(s)"
}

# The image's last 4 KiB block is the sentinel (fault-lib.sh's last_block_put and last_block_get), the raw tail
# before it (soak.sh: 256 KiB past the filesystem) what the guest reads during an error window.
# nbdkit's error filter (error-pread-rate=50%) fails half the reads while SOAK_EIO_TRIGGER exists, and the guest
# must meet those errors only in the reads it makes on purpose: O_DIRECT reads of the raw tail. The host opens
# window N ("open N" in the sentinel) and waits (20 s at most) for the guest's "ready N": from then on the guest
# does nothing but tail and sentinel reads, all from tmpfs. The trigger exists for 2-4 s; then "close N
# injected=E", E the errors nbdkit logged meanwhile. The guest leaves the window and prints its count of failed
# reads, which must be E, with no reconnect in between.
SOAK_WINDOWS=0
fault_io-errors() {
	local n o i e line got r
	[ -n "${SOAK_EIO_TRIGGER:-}" ] || { say "  io-errors: no SOAK_EIO_TRIGGER"; return 1; }
	SOAK_WINDOWS=$((SOAK_WINDOWS + 1))
	n=$SOAK_WINDOWS
	o=$(rnd 2 4)
	last_block_put "open $n"
	for ((i = 0; i < 100; i++)); do
		[ "$(last_block_get)" = "ready $n" ] && break
		sleep 0.2
	done
	if [ "$i" = 100 ]; then
		last_block_put "close $n injected=0"
		# a "ready" that crossed the close would keep the guest waiting
		sleep 1
		[ "$(last_block_get)" != "ready $n" ] || last_block_put "close $n injected=0"
		say "  error window $n: the guest was not ready within 20 s"
		return 2
	fi
	e=$(injected_errors)
	say "  error window $n: the guest is ready; half its reads fail for $o s"
	touch "$SOAK_EIO_TRIGGER"
	sleep "$o"
	rm -f "$SOAK_EIO_TRIGGER"
	# requests taken before the trigger went have logged their errors by now: the guest reads one at a time
	sleep 1
	e=$(($(injected_errors) - e))
	last_block_put "close $n injected=$e"
	wait_console "NBDROOT-TEST: soak window $n closed " 30 || return 1
	# SOAK_EIO_LINGER=S (the negative control, 0 by default): errors again for S s once the
	# guest has left the window, on reads it did not make on purpose; the soak must then fail
	if [ "${SOAK_EIO_LINGER:-0}" -gt 0 ]; then
		say "  SOAK_EIO_LINGER: errors on again for $SOAK_EIO_LINGER s outside the window"
		touch "$SOAK_EIO_TRIGGER"
		sleep "$SOAK_EIO_LINGER"
		rm -f "$SOAK_EIO_TRIGGER"
	fi
	line=$(grep -a -m1 "NBDROOT-TEST: soak window $n closed " "$LAB_CONSOLE" | tr -d '\r')
	got=$(sed -n 's/.* eio=\([0-9]*\) .*/\1/p' <<<"$line")
	r=$(sed -n 's/.* reconnects=\([0-9]*\)->.*/\1/p' <<<"$line")
	say "  error window $n closed: nbdkit injected $e EIO errors; the guest: ${line#*closed }"
	[ "$got" = "$e" ] || { say "  the guest saw ${got:-?} failed reads, nbdkit injected $e"; return 1; }
	# the guest checks that its RECONNECTS did not move (a "-> up" here may be a killed supervisor's re-fork)
	case $line in *" reconnects=$r->$r"*) ;; *) say "  the connection was lost during error window $n"; return 1 ;; esac
	[ "$e" -gt 0 ] || return 2
}

# dnsmasq SIGKILLed for longer than T1, so that a renewal falls due while it is gone; then started again with the
# very same command line
fault_dhcp-gone() {
	local p='' q o args
	for q in $(ip netns pids "$LAB_NETNS"); do
		[ "$(cat "/proc/$q/comm" 2>/dev/null)" = dnsmasq ] && p=$q
	done
	[ -n "$p" ] || { say "  dhcp-gone: no dnsmasq running"; return 1; }
	mapfile -d '' args <"/proc/$p/cmdline"
	o=$(rnd $((SOAK_T1 + 5)) $((SOAK_T1 * 2)))
	say "  dnsmasq (pid $p) SIGKILLed for $o s (T1 $SOAK_T1 s); renewals so far: $(renewals)"
	kill -KILL "$p"
	sleep "$o"
	setsid "${args[@]}" </dev/null >>"$LAB_LOGDIR/dnsmasq.log" 2>&1 &
	say "  dnsmasq back"
}
renewals() { grep -ac 'nbdroot: dhcp: .*lease renewed' "$LAB_CONSOLE"; }

# server_alive: nbdkit 1.32 can abort by itself when a reply's write fails on a connection the guest has given up
# on (after a blackhole or a stall: "write data: NBD_CMD_READ: Broken pipe", then "connections.c:402:
# raw_send_socket: Assertion `sock >= 0' failed"), taking the guest's new connection with it. Not the client's
# fault, and the soak would wait for a server that is gone: it is started again, and counted (SOAK_SERVER_DIED).
SOAK_SERVER_DIED=0
server_alive() {
	listening && return 0
	sleep 0.5
	listening && return 0
	SOAK_SERVER_DIED=$((SOAK_SERVER_DIED + 1))
	say "  the server is gone by itself ($(grep -v '^#' "$LAB_LOGDIR/server.log" | tail -n 3 | tr '\n' ' ')); started again"
	"$LAB_SERVER_START"
	wait_listening
}
# server_watch REGEX SECONDS: wait_console, the server kept alive meanwhile
server_watch() {
	local i
	for ((i = 0; i < $2 * 5; i++)); do
		grep -aqE "$1" "$LAB_CONSOLE" 2>/dev/null && return 0
		server_alive || return 1
		sleep 0.2
	done
	say "timeout waiting for /$1/"
	return 1
}

# settled SECONDS: until the guest's last supervisor transition is "-> up" (the server kept alive meanwhile)
settled() {
	local i last
	for ((i = 0; i < $1 * 5; i++)); do
		server_alive || return 1
		last=$(grep -aoE 'supervise: /dev/nbd0: [a-z]+ -> [a-z]+' "$LAB_CONSOLE" | tail -n 1)
		case $last in *'-> up') return 0 ;; esac
		sleep 0.2
	done
	say "the supervisor is not up $1 s after the fault ($last)"
	return 1
}

# soak_faults SEED SECONDS OUT: from the guest's "soak start", faults in a seeded random order at seeded random
# gaps of 2..8 s, until SECONDS are nearly up; each fault then waits until the supervisor is up again (up to
# 180 s). OUT gets "KIND COUNT" lines; OUT.log the sequence.
soak_faults() {
	local seed=$1 secs=$2 out=$3 end kind rc n=0 k
	declare -A count=()
	RANDOM=$seed
	wait_console 'NBDROOT-TEST: soak start' 300 || return 1
	end=$((SECONDS + secs))
	for k in "${SOAK_KINDS[@]}" missed-tcp-reset missed-io-errors; do count[$k]=0; done
	while :; do
		sleep "$(rnd 2 8)"
		# the last fault must be over well before the guest stops (its worst case: 25 s)
		[ $((SECONDS + 40)) -lt "$end" ] || break
		kind=${SOAK_KINDS[RANDOM % ${#SOAK_KINDS[@]}]}
		n=$((n + 1))
		say "fault $n: $kind"
		echo "$(date +%T) $n $kind" >>"$out.log"
		rc=0
		"fault_$kind" || rc=$?
		case $rc in
		0) count[$kind]=$((count[$kind] + 1)) ;;
		2) count[missed-$kind]=$((count[missed-$kind] + 1)) ;;
		*) say "FAIL: fault $kind could not be injected"; return 1 ;;
		esac
		settled 180 || return 1
		count[server-died]=$SOAK_SERVER_DIED
		for k in "${!count[@]}"; do echo "$k ${count[$k]}"; done | sort >"$out"
	done
	listening || { "$LAB_SERVER_START"; wait_listening; }
	say "faults over"
}
