#!/bin/sh
# test-dhcp-hostile-root-path-shell-metacharacters-quoted: a 300-byte root-path of shell metacharacters, command substitutions, quotes, newlines and bytes over 0x7f (two option 17s, RFC 3396) comes back byte for byte from sourcing /run/nbdroot/net-veth1.conf in sh, the keys after it are intact, nothing in it runs (not when nbdroot writes or refuses it, not when sh sources it), and the one refusal line has no control bytes; nbdroot reading its own file back refuses the same root-path the same way.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/protocol/dhcp-lib.sh
. "$HERE/dhcp-lib.sh"

# Every way out of a single-quoted string, each with a command that leaves a
# file behind in /tmp/r/ (the test's private /tmp) if it ever runs; padded
# with metacharacters to 300.
mkdir /tmp/r
python3 - "$TMP/root-path" /tmp/r <<'PY'
import sys
out, ran = sys.argv[1], sys.argv[2]
parts = [
    "10.79.0.1:10809/x'$(touch %s/1)'" % ran,
    "`touch %s/2`" % ran,
    "'; touch %s/3; '" % ran,
    "'\\''; touch %s/4 #" % ran,
    "\"; touch %s/5; \"" % ran,
    "\n touch %s/6\n" % ran,
    "${IFS}$(touch${IFS}%s/7)" % ran,
    "\r\t\x01\x1b[2J\x7f\xff\xfe",
]
s = "".join(parts).encode("latin-1")
pad = b"!#$%&()*;<=>?[\\]^`{|}~'\"\n"
while len(s) < 300:
    s += pad[len(s) % len(pad):len(s) % len(pad) + 1]
assert len(s) == 300 and b"\0" not in s
open(out, "wb").write(s)
PY
add_server 1 10.79.0.1
start_dhcp_peer 1 good --root-path-file "$TMP/root-path"
run_nbdroot
[ "$RC" = 1 ] || fail "exit $RC, expected 1 (a root-path that is no root spec)"
[ -z "$(ls -A /tmp/r)" ] || fail "something in the root-path ran: $(ls /tmp/r)"
grep 'got REQUEST' "$TMP/dhcp1.log" | grep -qF "requested=$CLIENT_IP" || fail "no REQUEST"
expect_stderr 'nbdroot: dhcp: veth1: lease from 10.79.0.1 for 600 s'
refusal=$(grep -v '^nbdroot: \(ip\|dhcp: veth1\): ' "$TMP/stderr")
[ "$(printf '%s\n' "$refusal" | wc -l)" = 1 ] || fail "more than one refusal line"
case $refusal in "nbdroot: dhcp: root-path: "*) ;; *) fail "refusal line '$refusal'" ;; esac
if LC_ALL=C tr -d '\n' <"$TMP/stderr" | LC_ALL=C grep -q '[^ -~]'; then
	fail "nbdroot's output holds control or non-ASCII bytes"
fi

# The lease file as a dracut hook or the real root would read it.
f=/run/nbdroot/net-veth1.conf
[ -f $f ] || fail "no $f"
cp $f "$TMP/lease.log"
# shellcheck disable=SC2016 # expanded by the sourcing shell
(cd /tmp && env -i PATH="$PATH" sh -euc '. "$1"; printf %s "$ROOTPATH" >"$2"
	printf "%s|%s|%s|%s" "$DEVICE" "$IPV4ADDR" "$ROOTSERVER" "$DHCPLEASETIME" >"$3"' sh \
	"$f" "$TMP/sourced" "$TMP/after") || fail "sourcing $f failed"
[ -z "$(ls -A /tmp/r)" ] || fail "sourcing $f ran: $(ls /tmp/r)"
cmp "$TMP/root-path" "$TMP/sourced" || fail "ROOTPATH differs from what the server sent"
[ "$(cat "$TMP/after")" = "veth1|$CLIENT_IP|10.79.0.1|600" ] ||
	fail "the keys around ROOTPATH came back as '$(cat "$TMP/after")'"

# nbdroot's own lease-file reader (klibc's place for it) gets the same bytes:
# it refuses the root-path with the same line, and nothing runs.
cp $f /run/net-veth1.conf
cp "$TMP/stderr" "$TMP/first-stderr"
run_nbdroot
[ "$RC" = 1 ] || fail "second run: exit $RC, expected 1"
expect_stderr 'nbdroot: dhcp: veth1: lease from /run/net-veth1.conf'
[ "$(grep -F 'nbdroot: dhcp: root-path: ' "$TMP/stderr")" = "$refusal" ] ||
	fail "the root-path read back from the lease file is refused differently"
[ -z "$(ls -A /tmp/r)" ] || fail "something ran: $(ls /tmp/r)"
pass "in $ELAPSED_MS ms"
