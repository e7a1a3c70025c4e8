#!/bin/sh
# test-probe-server-closes-mid-handshake: a server that hangs up mid-handshake (inside its greeting, after it by FIN or RST, or
# inside a reply whose header promised more than it sent) is a temporary failure (exit 2) saying where it happened.
# shellcheck source=tests/protocol/lib.sh
. "$(dirname "$0")/lib.sh"

start_peer close-after-greeting
probe "127.0.0.1:$PORT/root"
expect_rc 2
expect_error "nbdroot: handshake: "
expect_error "lost the connection while reading the option reply header: closed by the server"
said=$(cat "$TMP/stderr")

start_peer reset-after-greeting
probe "127.0.0.1:$PORT/root"
expect_rc 2
expect_error "nbdroot: handshake: "
expect_error "lost the connection while"
expect_error "Connection reset by peer"
said="$said / $(cat "$TMP/stderr")"

start_peer close-mid-greeting
probe "127.0.0.1:$PORT/root"
expect_rc 2
expect_error "nbdroot: handshake: "
expect_error "lost the connection while reading the greeting: closed by the server"

# 12 bytes promised, 5 sent, then FIN: the short read is the server's end, not a reason to wait
start_peer reply-longer-than-data
probe "127.0.0.1:$PORT/root"
expect_rc 2
expect_error "nbdroot: handshake: "
expect_error "lost the connection while reading the option reply payload: closed by the server"
expect_within_ms 5000
pass "$said / greeting cut / payload cut"
