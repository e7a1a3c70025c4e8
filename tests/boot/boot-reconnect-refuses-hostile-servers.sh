#!/bin/bash
# boot-reconnect-refuses-hostile-servers: while the root's server is down, 11 hostile servers take its address in turn (bad
# magics, wrong echo, a length of 0xffffffff, a long INFO_EXPORT, no HAS_FLAGS, a misaligned size, a 4097-byte message,
# endless NBD_REP_SERVER, a stall after replies, silence): the supervisor refuses each on its own console line and retries,
# sends none of them a request and never comes up on one; once the real server is back the workload resumes with every
# checksum matching, no I/O error, and exactly one reconnect.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# scenario (tests/peers/nbd-peer.py) | what the supervisor must say about it
cases='not-nbd|greeting magic 0x485454502f312e31, expected 0x4e42444d41474943: not an NBD server
bad-ihaveopt-magic|second greeting magic 0x49484156454f5154, expected 0x49484156454f5054
wrong-option-echo|option reply is for option 3, expected 7
reply-length-negative|NBD_REP_INFO reply length 4294967295, expected 2..4098
info-export-long|INFO_EXPORT reply length 14, expected 12
no-has-flags|transmission flags 0x0004 lack NBD_FLAG_HAS_FLAGS
size-not-multiple-of-512|export size 67108964, expected a non-zero multiple of 512 below 2^63
error-message-4097|error reply message length 4097, expected at most 4096
endless-rep-server|option reply type 2, expected ACK, INFO or an error
stall-after-replies|timed out after 10000 ms reading the option reply header
silent|timed out after 10000 ms reading the greeting'
# the hook checks each refusal as it happens; the verdict also wants every line on the console
expects=()
while IFS='|' read -r _ fragment; do
	line="nbdroot: supervise: /dev/nbd0: handshake: $SERVER_IP port 10809 export \"root\": $fragment"
	# shellcheck disable=SC2016 # a sed script, not an expansion
	expects+=(--expect "$(printf '%s' "$line" | sed 's/[][\.*^$()|+?{}]/\\&/g')")
done <<<"$cases"
# nbdroot.timeout=10: a request in flight when the server dies is resent only when it times out
lab --case boot-reconnect-refuses-hostile-servers --server nbdkit --timeout 240 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP nbdroot.timeout=10 root=/dev/nbd0 lab.test=reconnect-workload lab.reconnects=1" \
	--hook ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'; hostile_servers '$BOOT_HERE/tests/peers/nbd-peer.py' $(printf '%q' "$cases")" \
	"${expects[@]}" \
	--expect 'NBDROOT-TEST: workload rounds=[0-9]+ checked=[1-9][0-9]* mismatches=0 ioerrors=0 reconnects=1 state=up' \
	--expect 'NBDROOT-TEST: test reconnect-workload exit=0' \
	--reject 'NBDROOT-TEST: workload (mismatch|write)' --reject 'I/O error|EXT4-fs error|Buffer I/O error' "$@"
