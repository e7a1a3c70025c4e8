#!/bin/sh
# test-probe-server-closes-mid-handshake: a server that hangs up after its greeting (FIN or RST) is a temporary failure (exit 2) saying where it happened.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

start_peer close-after-greeting
probe "127.0.0.1:$PORT/root"
expect_rc 2
expect_error "nbdroot: handshake: "
expect_error "lost the connection while reading the option reply header: closed by the server"
line1=$(cat "$TMP/stderr")

start_peer reset-after-greeting
probe "127.0.0.1:$PORT/root"
expect_rc 2
expect_error "nbdroot: handshake: "
expect_error "lost the connection while"
expect_error "Connection reset by peer"
pass "$line1 / $(cat "$TMP/stderr")"
