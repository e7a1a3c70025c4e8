#!/bin/sh
# run.sh: runs every tests/protocol/test-*.sh against build/host/nbdroot, each in its own network and PID namespace.
#
# usage: tests/protocol/run.sh [test-name-or-path ...]
# A fresh network namespace gives each test its own loopback and ports; a
# fresh PID namespace means every process a test starts dies with it, even
# when the test itself is killed by the wall-clock limit.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
LIMIT=${PROTOCOL_TEST_LIMIT:-90}

if [ "$(id -u)" -ne 0 ]; then
	echo "run.sh: needs root for unshare --net --pid" >&2
	exit 1
fi

if [ $# -eq 0 ]; then
	set -- "$HERE"/test-*.sh
fi

passed=0
failed=0
failures=
for t in "$@"; do
	case $t in
	*/*) ;;
	*) t=$HERE/${t%.sh}.sh ;;
	esac
	name=$(basename "$t" .sh)
	# shellcheck disable=SC2016 # $1 expands in the inner shell
	timeout -s KILL "$LIMIT" unshare --net --pid --fork --mount-proc --uts --kill-child \
		sh -c 'ip link set lo up && exec sh "$1"' sh "$t"
	rc=$?
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
	else
		[ $rc -eq 137 ] && echo "FAIL: $name: killed after $LIMIT s"
		failed=$((failed + 1))
		failures="$failures $name"
	fi
done
echo "protocol: $passed passed, $failed failed${failures:+:$failures}"
[ $failed -eq 0 ]
