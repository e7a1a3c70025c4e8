# lib.sh: helpers the protocol tests share (sourced; run.sh puts each test in its own network and PID namespace).
# shellcheck shell=sh

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
NBDROOT=${NBDROOT:-$TOP/build/host/nbdroot}
PEER=$TOP/tests/peers/nbd-peer.py
TEST=$(basename "$0" .sh)
TMP=$(mktemp -d "/tmp/$TEST.XXXXXX")
PGIDS=

# Every server runs in its own process group, killed whole with SIGKILL:
# nbd-server forks a child per connection, and stopping only the listener
# would leave it behind.
cleanup() {
	for g in $PGIDS; do
		kill -KILL "-$g" 2>/dev/null || :
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	echo "FAIL: $TEST: $*"
	for f in "$TMP"/stdout "$TMP"/stderr "$TMP"/*.log; do
		[ -s "$f" ] || continue
		echo "--- $(basename "$f")"
		sed 's/^/  /' "$f" | head -n 40
	done
	exit 1
}

pass() {
	echo "PASS: $TEST${1:+: $1}"
	exit 0
}

# start NAME CMD...: run CMD in the background in a new process group,
# output to $TMP/NAME.log.
start() {
	name=$1
	shift
	setsid "$@" >"$TMP/$name.log" 2>&1 &
	PGIDS="$PGIDS $!"
}

# A port nothing listens on right now (the namespace is ours alone, but
# don't rely on that).
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_listen PORT: until something listens on PORT (IPv4 or IPv6), at most
# 10 s. Reads /proc/net/tcp* rather than connecting, so servers that serve
# one connection only are not used up.
wait_listen() {
	hex=$(printf '%04X' "$1")
	i=0
	while [ $i -lt 200 ]; do
		if awk -v p=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 }
			END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	fail "nothing listens on port $1 after 10 s"
}

# wait_file FILE WHAT: until FILE is non-empty, at most 10 s.
wait_file() {
	i=0
	while [ ! -s "$1" ]; do
		[ $i -lt 200 ] || fail "$2 did not start within 10 s"
		sleep 0.05
		i=$((i + 1))
	done
}

# private_run_tmp: this test's own /run, /tmp and /sys (run.sh gives it a
# mount namespace), so the lease files nbdroot reads and writes are never
# the host's; $TMP, still empty, moves to the private /tmp. A checkout under
# /tmp is bound at its own path again in the private /tmp (the peers live
# there, and it is the tests' working directory); a binary elsewhere under
# /tmp is kept open and run through its descriptor.
private_run_tmp() {
	exec 9<"$NBDROOT"
	NBDROOT=/proc/self/fd/9
	exec 8<"$TOP"
	rmdir "$TMP"
	mount -t tmpfs tmpfs /tmp
	if [ ! -d "$TOP" ]; then
		mkdir -p "$TOP"
		# the descriptor, not the path it names (mount would resolve that in the new /tmp)
		mount --no-canonicalize --bind /proc/self/fd/8 "$TOP"
	fi
	exec 8<&-
	mkdir -p "$TMP"
	mount -t tmpfs tmpfs /run
	mount -t sysfs sysfs /sys
}

# start_peer SCENARIO [peer options]: the scripted server; sets PORT.
start_peer() {
	scenario=$1
	shift
	rm -f "$TMP/peer.port"
	start peer python3 "$PEER" --scenario "$scenario" --port-file "$TMP/peer.port" \
		--log "$TMP/peer.log" "$@"
	wait_file "$TMP/peer.port" peer
	# shellcheck disable=SC2034 # for the test that sourced us
	PORT=$(cat "$TMP/peer.port")
}

# probe ROOTSPEC: nbdroot --probe; sets RC, ELAPSED_MS, and $TMP/stdout, stderr.
probe() {
	t0=$(date +%s%N)
	set +e
	"$NBDROOT" --probe --cmdline "nbdroot=$1" >"$TMP/stdout" 2>"$TMP/stderr"
	RC=$?
	set -e
	ELAPSED_MS=$((($(date +%s%N) - t0) / 1000000))
}

expect_rc() {
	[ "$RC" = "$1" ] || fail "exit code $RC, expected $1"
}

# expect_var NAME VALUE: the probe printed NAME='VALUE'.
expect_var() {
	got=$(sed -n "s/^$1='\\(.*\\)'\$/\\1/p" "$TMP/stdout")
	[ "$got" = "$2" ] || fail "$1 is '$got', expected '$2'"
}

var() {
	sed -n "s/^$1='\\(.*\\)'\$/\\1/p" "$TMP/stdout"
}

# expect_flag BIT yes|no: NBDROOT_TRANSMISSION_FLAGS has (not) BIT set.
expect_flag() {
	flags=$(var NBDROOT_TRANSMISSION_FLAGS)
	[ -n "$flags" ] || fail "no NBDROOT_TRANSMISSION_FLAGS"
	if [ $((flags & $1)) -ne 0 ]; then has=yes; else has=no; fi
	[ "$has" = "$2" ] || fail "transmission flags $flags: bit $1 set is '$has', expected '$2'"
}

expect_no_stderr() {
	[ ! -s "$TMP/stderr" ] || fail "unexpected stderr"
}

# expect_error FRAGMENT: stderr is exactly one line, "nbdroot: ...", containing
# FRAGMENT, with no control characters; and nothing on stdout.
expect_error() {
	lines=$(wc -l <"$TMP/stderr")
	[ "$lines" -eq 1 ] || fail "stderr has $lines lines, expected 1"
	head -c 9 "$TMP/stderr" | grep -q '^nbdroot: ' || fail "stderr does not begin with 'nbdroot: '"
	if LC_ALL=C tr -d '\n' <"$TMP/stderr" | LC_ALL=C grep -q '[^ -~]'; then
		fail "stderr holds control or non-ASCII bytes"
	fi
	grep -qF -- "$1" "$TMP/stderr" || fail "stderr lacks '$1'"
	[ ! -s "$TMP/stdout" ] || fail "stdout not empty on failure"
}

expect_within_ms() {
	[ "$ELAPSED_MS" -le "$1" ] || fail "took $ELAPSED_MS ms, expected at most $1"
}

# expect_peer_log FRAGMENT: the peer recorded FRAGMENT (it logs how the
# client left only after nbdroot exits, so wait for the peer to finish).
expect_peer_log() {
	i=0
	while ! grep -qF -- "$1" "$TMP/peer.log" 2>/dev/null; do
		[ $i -lt 100 ] || fail "peer log lacks '$1'"
		sleep 0.05
		i=$((i + 1))
	done
}

set -e
[ -x "$NBDROOT" ] || fail "$NBDROOT is missing: run make host"
