#!/bin/sh
# test-probe-nbd-server: against the reference nbd-server, a named export negotiates with NBD_OPT_GO and reports its size.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

PORT=$(free_port)
truncate -s 32M "$TMP/disk.img"
cat >"$TMP/nbd-server.conf" <<CONF
[generic]
	port = $PORT
	listenaddr = 127.0.0.1
	allowlist = false
[root]
	exportname = $TMP/disk.img
CONF
# -d: stay in the foreground (in our process group, killed whole at the end)
start nbd-server nbd-server -d -C "$TMP/nbd-server.conf"
wait_listen "$PORT"
probe "127.0.0.1:$PORT/root"
expect_rc 0
expect_no_stderr
expect_var NBDROOT_HANDSHAKE fixed-newstyle-go
expect_var NBDROOT_SIZE 33554432
expect_flag 1 yes
expect_flag 2 no
pass "block size $(var NBDROOT_BLOCK_SIZE), flags $(var NBDROOT_TRANSMISSION_FLAGS)"
