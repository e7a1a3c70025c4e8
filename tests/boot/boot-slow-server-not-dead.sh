#!/bin/bash
# boot-slow-server-not-dead: nbdkit's delay filter makes every write take 3 s and every read 400 ms, with
# nbdroot.timeout=6: the root boots and works slowly (each write+fsync and read takes at least the delay, every
# round reads back what it wrote), and the supervisor does not take the slow server for a dead one: state up,
# 0 reconnects in /run/nbdroot/nbd0.status, no LINK_DEAD, no request timeout or I/O error in the kernel log.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# --threads: every request the kernel has in flight is delayed side by side;
# queued behind busy threads, one would wait twice the delay.
lab --case boot-slow-server-not-dead --server nbdkit --timeout 170 \
	--server-arg=--threads=128 --server-arg=--filter=delay \
	--server-param=delay-write=3 --server-param=delay-read=400ms \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP nbdroot.timeout=6 root=/dev/nbd0 lab.test=slow-server lab.rounds=3 lab.delay_write_ms=3000 lab.delay_read_ms=400" \
	--expect 'NBDROOT-TEST: slow rounds=3 write-min=[0-9]+ms read-min=[0-9]+ms direct-min=[0-9]+ms ioerrors=0 state=up reconnects=0 fails=0' \
	--expect 'NBDROOT-TEST: test slow-server exit=0' \
	--reject 'NBDROOT-TEST: slow FAIL' --reject 'nbdroot: supervise: /dev/nbd0: up -> |LINK_DEAD' \
	--reject 'I/O error|EXT4-fs error|Connection timed out' "$@"
