#!/usr/bin/env python3
"""nbd-peer.py: a scripted NBD server for handshake cases that real servers cannot produce.

Usage:
  nbd-peer.py --scenario NAME --port-file FILE [--host ADDR] [--port N] [--log FILE] [--trickle S]
      listen on port N (default: an ephemeral one), written to FILE once
      listening; serve one connection with the named scenario, log what the
      client did, exit.
  nbd-peer.py --list                 the scenario names, one per line
  nbd-peer.py --dump-corpus DIR      each scenario's server byte stream as a fuzz seed

A scenario is a function of a connection: it sends server bytes and reads
the client's. Add one by writing a function and listing it in SCENARIOS.
"""
import argparse
import os
import select
import socket
import struct
import sys
import time

NBDMAGIC = b"NBDMAGIC"
IHAVEOPT = 0x49484156454F5054
OLDSTYLE = 0x00420281861253
REPLY = 0x3E889045565A9
REQUEST = 0x25609513
SIMPLE_REPLY = 0x67446698

OPT_EXPORT_NAME, OPT_ABORT, OPT_GO = 1, 2, 7
REP_ACK, REP_SERVER, REP_INFO = 1, 2, 3
ERR = 1 << 31
ERR_UNSUP, ERR_POLICY, ERR_TLS_REQD, ERR_UNKNOWN = ERR | 1, ERR | 2, ERR | 5, ERR | 6
INFO_EXPORT, INFO_NAME, INFO_DESCRIPTION, INFO_BLOCK_SIZE = 0, 1, 2, 3

HAS_FLAGS, READ_ONLY, SEND_FLUSH = 1, 2, 4
SIZE = 64 << 20  # what the well-behaved scenarios serve
FLAGS = HAS_FLAGS | SEND_FLUSH
OPT_NAMES = {1: "NBD_OPT_EXPORT_NAME", 2: "NBD_OPT_ABORT", 7: "NBD_OPT_GO"}


class Hangup(Exception):
    """The client closed the connection."""


class Live:
    """A real client connection."""

    def __init__(self, sock, log, trickle):
        self.sock = sock
        self.log = log
        self.trickle = trickle

    def more(self):
        """An endless scenario goes on until the client hangs up."""
        return True

    def send(self, data):
        try:
            if not self.trickle:
                self.sock.sendall(data)
                return
            for i in range(len(data)):
                self.sock.sendall(data[i:i + 1])
                time.sleep(self.trickle)
        except OSError as e:
            raise Hangup() from e

    def recv(self, n):
        buf = b""
        while len(buf) < n:
            try:
                chunk = self.sock.recv(n - len(buf))
            except OSError as e:
                raise Hangup() from e
            if not chunk:
                raise Hangup()
            buf += chunk
        return buf

    def hang(self, seconds=60):
        """Say nothing; return when the client gives up (or after seconds)."""
        self.sock.settimeout(seconds)
        try:
            while self.sock.recv(4096):
                pass
        except OSError:
            pass

    def quiet(self, seconds=60):
        """Say nothing until the client speaks (or hangs up), leaving what
        it sends for after() to record."""
        select.select([self.sock], [], [], seconds)

    def shutdown(self):
        self.sock.shutdown(socket.SHUT_WR)

    def reset(self):
        # SO_LINGER with a zero timeout turns close() into an RST
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()

    def close(self):
        self.sock.close()


class Dump:
    """Records what a scenario sends; answers reads with a typical client."""

    def __init__(self):
        self.out = b""
        self.opts = [OPT_GO, OPT_EXPORT_NAME]

    def more(self):
        return len(self.out) < 8192  # what dump() keeps

    def send(self, data):
        self.out += data

    def recv(self, n):
        if n == 4:
            return struct.pack(">I", 3)
        if n == 16:
            opt = self.opts.pop(0) if self.opts else OPT_ABORT
            return struct.pack(">QII", IHAVEOPT, opt, 0)
        return bytes(n)

    def hang(self, seconds=60):
        pass

    def quiet(self, seconds=60):
        pass

    def shutdown(self):
        pass

    def reset(self):
        pass

    def close(self):
        pass


def greeting(c, flags=3):
    c.send(NBDMAGIC + struct.pack(">QH", IHAVEOPT, flags))


def client_flags(c):
    (flags,) = struct.unpack(">I", c.recv(4))
    c.log("client flags 0x%x" % flags)
    return flags


def option(c):
    magic, opt, length = struct.unpack(">QII", c.recv(16))
    if magic != IHAVEOPT:
        c.log("client option magic 0x%x, expected IHAVEOPT" % magic)
        raise Hangup()
    data = c.recv(length) if length else b""
    c.log("client option %s length %d" % (OPT_NAMES.get(opt, str(opt)), length))
    if opt == OPT_GO and len(data) >= 4:
        (nlen,) = struct.unpack(">I", data[:4])
        name = data[4:4 + nlen]
        (ninfo,) = struct.unpack(">H", data[4 + nlen:6 + nlen])
        infos = struct.unpack(">%dH" % ninfo, data[6 + nlen:6 + nlen + 2 * ninfo])
        c.log("client GO name %r infos %s" % (name.decode(errors="replace"), list(infos)))
    if opt == OPT_EXPORT_NAME:
        c.log("client EXPORT_NAME name %r" % data.decode(errors="replace"))
    return opt, data


def reply(c, opt, rtype, data=b""):
    c.send(struct.pack(">QIII", REPLY, opt, rtype, len(data)) + data)


def info_export(size=SIZE, flags=FLAGS):
    return struct.pack(">HQH", INFO_EXPORT, size, flags)


def info_block_size(minimum=1, preferred=4096, maximum=32 << 20):
    return struct.pack(">HIII", INFO_BLOCK_SIZE, minimum, preferred, maximum)


def export_reply(size=SIZE, flags=FLAGS, zeroes=True):
    return struct.pack(">QH", size, flags) + (bytes(124) if zeroes else b"")


def go(c, *replies, flags=3):
    """Greeting, client flags, NBD_OPT_GO, then the given option replies."""
    greeting(c, flags)
    client_flags(c)
    opt, _ = option(c)
    for r in replies:
        reply(c, opt, *r)


# Well-behaved servers; the first three are also what nbdkit can do, here for
# the fuzz corpus and for --trickle.

def s_go(c):
    """NBD_OPT_GO answered with block sizes, the export, and NBD_REP_ACK."""
    go(c, (REP_INFO, info_block_size()), (REP_INFO, info_export()), (REP_ACK,))


def s_newstyle(c):
    """Plain (not fixed) newstyle: only NBD_OPT_EXPORT_NAME."""
    greeting(c, 0)
    client_flags(c)
    option(c)
    c.send(export_reply(zeroes=True))


def s_oldstyle(c):
    """Oldstyle: everything in one header, no options."""
    c.send(NBDMAGIC + struct.pack(">QQI", OLDSTYLE, SIZE, FLAGS) + bytes(124))


# Well-behaved servers that nbdkit, nbd-server and qemu-nbd cannot be made to be.

def s_export_name_fallback(c):
    """Knows fixed newstyle but not NBD_OPT_GO: NBD_REP_ERR_UNSUP, then EXPORT_NAME."""
    go(c, (ERR_UNSUP, b"NBD_OPT_GO? never heard of it"))
    option(c)
    c.send(export_reply(zeroes=False))


def s_export_name_fallback_zeroes(c):
    """The same without NO_ZEROES: the reply carries 124 zero bytes."""
    go(c, (ERR_UNSUP,), flags=1)
    option(c)
    c.send(export_reply(zeroes=True))


def s_go_with_extras(c):
    """NAME, DESCRIPTION and an unknown INFO type around the ones we need."""
    go(c, (REP_INFO, struct.pack(">H", INFO_NAME) + b"root"),
       (REP_INFO, struct.pack(">H", INFO_DESCRIPTION) + b"x" * 4096),
       (REP_INFO, struct.pack(">H", 0x7F00) + b"future"),
       (REP_INFO, info_block_size(4096, 4096, 0xFFFFFFFF)),
       (REP_INFO, info_export(flags=FLAGS | READ_ONLY)),
       (REP_ACK,))


# Failures the client must report and survive. Each hostile scenario ends
# with the offending bytes: anything sent after them would still be unread
# when the client closes, and its kernel would answer with an RST that can
# destroy the NBD_OPT_ABORT the test wants to see.

def s_close_after_greeting(c):
    """Sends the greeting, then closes its side (FIN) before any option reply."""
    greeting(c)
    client_flags(c)
    c.shutdown()


def s_reset_after_greeting(c):
    """Sends the greeting, then aborts the connection (RST)."""
    greeting(c)
    client_flags(c)
    c.reset()
    raise Hangup()


def s_silent(c):
    """Accepts the connection and never says a word."""
    c.hang()


def s_drip(c):
    """The "go" exchange at one byte per 0.5 s: every read makes progress and
    the greeting alone fits in 10 s, so only a bound on the whole handshake
    (not per read) stops it in time."""
    c.trickle = getattr(c, "trickle", 0) or 0.5
    s_go(c)
    c.hang()


def s_unknown_export(c):
    """NBD_REP_ERR_UNKNOWN with a message."""
    go(c, (ERR_UNKNOWN, b"no export by that name here"))


def s_tls_required(c):
    """NBD_REP_ERR_TLS_REQD: we never do TLS, so this is permanent."""
    go(c, (ERR_TLS_REQD, b"TLS is required"))


def s_error_message_escapes(c):
    """An error message with a newline and terminal escapes, which must not reach the log raw."""
    go(c, (ERR_POLICY, b"denied\n\x1b[2Jnbdroot: forged line"))


def s_oversize_info(c):
    """An NBD_REP_INFO header claiming 64 KiB, above any valid INFO (the
    payload is withheld: the client must refuse before reading it)."""
    go(c)
    c.send(struct.pack(">QIII", REPLY, OPT_GO, REP_INFO, 65536))


def s_info_export_short(c):
    """NBD_INFO_EXPORT with 9 bytes instead of 12."""
    go(c, (REP_INFO, info_export()[:9]))


def s_ack_before_export(c):
    """NBD_REP_ACK without NBD_INFO_EXPORT first."""
    go(c, (REP_ACK,))


def s_bad_reply_magic(c):
    """An option reply whose magic is wrong."""
    go(c)
    c.send(struct.pack(">QIII", REPLY ^ 1, OPT_GO, REP_ACK, 0))


def s_wrong_option_echo(c):
    """An option reply for an option we did not send."""
    go(c)
    reply(c, 3, REP_ACK)


def s_rep_server_during_go(c):
    """NBD_REP_SERVER, which only answers NBD_OPT_LIST (header only: the
    client must refuse it before reading its payload)."""
    go(c)
    c.send(struct.pack(">QIII", REPLY, OPT_GO, REP_SERVER, 8))


def s_no_has_flags(c):
    """Transmission flags without NBD_FLAG_HAS_FLAGS."""
    go(c, (REP_INFO, info_export(flags=SEND_FLUSH)), (REP_ACK,))


def s_zero_size(c):
    """An export of 0 bytes."""
    go(c, (REP_INFO, info_export(size=0)), (REP_ACK,))


def s_huge_size(c):
    """An export size above the kernel's signed 64-bit limit."""
    go(c, (REP_INFO, info_export(size=1 << 63)), (REP_ACK,))


def s_block_size_above_page(c):
    """A minimum block size of 8192: valid NBD, unusable by the kernel."""
    go(c, (REP_INFO, info_block_size(8192, 8192, 32 << 20)),
       (REP_INFO, info_export()), (REP_ACK,))


def s_block_size_invalid(c):
    """A minimum block size that is not a power of two."""
    go(c, (REP_INFO, info_export()), (REP_INFO, info_block_size(768, 4096, 32 << 20)))


def s_not_nbd(c):
    """Something else entirely on the port."""
    c.send(b"HTTP/1.1 400 Bad Request\r\n\r\n")


def s_oldstyle_no_has_flags(c):
    """An oldstyle server whose flags lack HAS_FLAGS."""
    c.send(NBDMAGIC + struct.pack(">QQI", OLDSTYLE, SIZE, 0) + bytes(124))


def s_bad_ihaveopt_magic(c):
    """NBDMAGIC, then neither IHAVEOPT nor the oldstyle magic."""
    c.send(NBDMAGIC + struct.pack(">QH", IHAVEOPT ^ 0x0100, 3))


def s_reply_length_negative(c):
    """An NBD_REP_INFO header whose length reads as -1 (0xffffffff) when signed."""
    go(c)
    c.send(struct.pack(">QIII", REPLY, OPT_GO, REP_INFO, 0xFFFFFFFF))


def s_error_length_negative(c):
    """An error reply whose message length is 0xffffffff."""
    go(c)
    c.send(struct.pack(">QIII", REPLY, OPT_GO, ERR_POLICY, 0xFFFFFFFF))


def s_reply_longer_than_data(c):
    """An NBD_REP_INFO header promising 12 bytes, 5 of them sent, then FIN."""
    go(c)
    c.send(struct.pack(">QIII", REPLY, OPT_GO, REP_INFO, 12) + info_export()[:5])
    c.shutdown()


def s_info_export_long(c):
    """NBD_INFO_EXPORT with 14 bytes instead of 12."""
    go(c, (REP_INFO, info_export() + b"\0\0"))


def s_info_block_size_short(c):
    """NBD_INFO_BLOCK_SIZE with 10 bytes instead of 14."""
    go(c, (REP_INFO, info_block_size()[:10]))


def s_ack_with_payload(c):
    """NBD_REP_ACK claiming a 4-byte payload (header only)."""
    go(c, (REP_INFO, info_export()))
    c.send(struct.pack(">QIII", REPLY, OPT_GO, REP_ACK, 4))


def s_unknown_reply_type(c):
    """A reply type no spec defines (0x42, not an error)."""
    go(c)
    c.send(struct.pack(">QIII", REPLY, OPT_GO, 0x42, 0))


def s_unknown_error_type(c):
    """An error type no spec defines: still an error, reported by number."""
    go(c, (ERR | 0x42, b"something new went wrong"))


def s_size_not_multiple_of_512(c):
    """An export of 64 MiB + 100 bytes: the kernel counts 512-byte sectors."""
    go(c, (REP_INFO, info_export(size=SIZE + 100)), (REP_ACK,))


def s_size_not_multiple_of_block_size(c):
    """A 4096-byte minimum block size and a size that is a multiple of 512 only."""
    go(c, (REP_INFO, info_block_size(4096, 4096, 32 << 20)),
       (REP_INFO, info_export(size=SIZE + 512)), (REP_ACK,))


def s_export_name_huge_size(c):
    """The NBD_OPT_EXPORT_NAME fallback path, with a size above 2^63."""
    go(c, (ERR_UNSUP,))
    option(c)
    c.send(export_reply(size=1 << 63, zeroes=False))


def s_block_size_max_too_small(c):
    """A maximum payload of 64 KiB: valid NBD, below a kernel request (32 MiB)."""
    go(c, (REP_INFO, info_block_size(512, 4096, 65536)),
       (REP_INFO, info_export()), (REP_ACK,))


def s_block_size_preferred_below_minimum(c):
    """A preferred block size (512) below the minimum (4096)."""
    go(c, (REP_INFO, info_block_size(4096, 512, 32 << 20)))


def s_error_message_4097(c):
    """An error reply whose message is 4097 bytes, one over NBD's string cap
    (header only: the client must refuse it before reading it)."""
    go(c)
    c.send(struct.pack(">QIII", REPLY, OPT_GO, ERR_POLICY, 4097))


def s_info_name_4097(c):
    """NBD_INFO_NAME with a 4097-byte name (header only)."""
    go(c)
    c.send(struct.pack(">QIII", REPLY, OPT_GO, REP_INFO, 2 + 4097))


def s_endless_rep_server(c):
    """NBD_REP_SERVER replies (NBD_OPT_LIST's), one after another, forever."""
    go(c)
    n = 0
    while c.more():
        name = b"export-%d" % n
        reply(c, OPT_GO, REP_SERVER, struct.pack(">I", len(name)) + name)
        n += 1
        time.sleep(0.001)


def s_endless_info(c):
    """Valid NBD_REP_INFO replies (NBD_INFO_NAME) 100 a second, never the ACK:
    every read makes progress, only the handshake bound ends it."""
    go(c)
    while c.more():
        reply(c, OPT_GO, REP_INFO, struct.pack(">H", INFO_NAME) + b"root")
        time.sleep(0.01)


def s_trickle_byte_per_second(c):
    """The "go" exchange at one byte per second: the greeting alone takes 18 s."""
    c.trickle = getattr(c, "trickle", 0) or 1.0
    s_go(c)
    c.hang()


def s_stall_after_replies(c):
    """Block sizes and the export, then silence instead of NBD_REP_ACK."""
    go(c, (REP_INFO, info_block_size()), (REP_INFO, info_export()))
    c.quiet()


def s_close_mid_greeting(c):
    """10 of the 18 greeting bytes, then FIN."""
    c.send((NBDMAGIC + struct.pack(">QH", IHAVEOPT, 3))[:10])
    c.shutdown()


def s_server_shutting_down(c):
    """NBD_REP_ERR_SHUTDOWN: the server is going away, worth a retry."""
    go(c, (ERR | 7, b"restarting"))


SCENARIOS = {
    "go": s_go,
    "newstyle": s_newstyle,
    "oldstyle": s_oldstyle,
    "export-name-fallback": s_export_name_fallback,
    "export-name-fallback-zeroes": s_export_name_fallback_zeroes,
    "go-with-extras": s_go_with_extras,
    "close-after-greeting": s_close_after_greeting,
    "reset-after-greeting": s_reset_after_greeting,
    "silent": s_silent,
    "drip": s_drip,
    "unknown-export": s_unknown_export,
    "tls-required": s_tls_required,
    "error-message-escapes": s_error_message_escapes,
    "oversize-info": s_oversize_info,
    "info-export-short": s_info_export_short,
    "ack-before-export": s_ack_before_export,
    "bad-reply-magic": s_bad_reply_magic,
    "wrong-option-echo": s_wrong_option_echo,
    "rep-server-during-go": s_rep_server_during_go,
    "no-has-flags": s_no_has_flags,
    "zero-size": s_zero_size,
    "huge-size": s_huge_size,
    "block-size-above-page": s_block_size_above_page,
    "block-size-invalid": s_block_size_invalid,
    "not-nbd": s_not_nbd,
    "oldstyle-no-has-flags": s_oldstyle_no_has_flags,
    "bad-ihaveopt-magic": s_bad_ihaveopt_magic,
    "reply-length-negative": s_reply_length_negative,
    "error-length-negative": s_error_length_negative,
    "reply-longer-than-data": s_reply_longer_than_data,
    "info-export-long": s_info_export_long,
    "info-block-size-short": s_info_block_size_short,
    "ack-with-payload": s_ack_with_payload,
    "unknown-reply-type": s_unknown_reply_type,
    "unknown-error-type": s_unknown_error_type,
    "size-not-multiple-of-512": s_size_not_multiple_of_512,
    "size-not-multiple-of-block-size": s_size_not_multiple_of_block_size,
    "export-name-huge-size": s_export_name_huge_size,
    "block-size-max-too-small": s_block_size_max_too_small,
    "block-size-preferred-below-minimum": s_block_size_preferred_below_minimum,
    "error-message-4097": s_error_message_4097,
    "info-name-4097": s_info_name_4097,
    "endless-rep-server": s_endless_rep_server,
    "endless-info": s_endless_info,
    "trickle-byte-per-second": s_trickle_byte_per_second,
    "stall-after-replies": s_stall_after_replies,
    "close-mid-greeting": s_close_mid_greeting,
    "server-shutting-down": s_server_shutting_down,
}


def after(c):
    """Record how the client left: NBD_OPT_ABORT, NBD_CMD_DISC, or just closing."""
    c.sock.settimeout(5)
    try:
        head = c.recv(4)
    except (Hangup, OSError):
        c.log("client closed")
        return
    if struct.unpack(">I", head)[0] == REQUEST:
        rest = c.recv(24)
        # nbdroot reads the first block (its image fingerprint) before it
        # hands the socket over: answer with zeros, then see what comes next
        while rest[2:4] == b"\0\0":
            handle, offset, length = struct.unpack(">QQI", rest[4:24])
            c.log("client request type 0 (NBD_CMD_READ %d bytes at %d)" % (length, offset))
            c.send(struct.pack(">IIQ", SIMPLE_REPLY, 0, handle) + bytes(length))
            try:
                head = c.recv(4)
            except (Hangup, OSError):
                c.log("client closed")
                return
            rest = c.recv(24)
        c.log("client request type %d" % struct.unpack(">H", rest[2:4])[0]
              + (" (NBD_CMD_DISC)" if rest[2:4] == b"\0\2" else ""))
    elif head == struct.pack(">Q", IHAVEOPT)[:4]:
        c.recv(4)
        c.sock.settimeout(5)
        opt, data = struct.unpack(">II", c.recv(8))
        c.log("client option %s after the scenario" % OPT_NAMES.get(opt, str(opt)))
    else:
        c.log("client sent unexpected bytes %s" % head.hex())
    try:
        while c.sock.recv(4096):
            pass
    except OSError:
        pass
    c.log("client closed")


def serve(args):
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((args.host, args.port))
    srv.listen(1)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(tmp, args.port_file)
    logf = open(args.log, "a") if args.log else sys.stderr

    def log(msg):
        logf.write("peer: %s\n" % msg)
        logf.flush()

    srv.settimeout(60)
    sock, _ = srv.accept()
    c = Live(sock, log, args.trickle)
    log("scenario %s" % args.scenario)
    try:
        SCENARIOS[args.scenario](c)
        after(c)
    except Hangup:
        log("client closed")
    try:
        c.close()
    except OSError:
        pass


def dump(directory):
    os.makedirs(directory, exist_ok=True)
    for name, fn in SCENARIOS.items():
        c = Dump()
        c.log = lambda msg: None
        try:
            fn(c)
        except Hangup:
            pass
        with open(os.path.join(directory, "peer-" + name), "wb") as f:
            f.write(c.out[:8192])  # enough to reach every check


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", choices=sorted(SCENARIOS))
    ap.add_argument("--port-file")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="listen here (default: any free port)")
    ap.add_argument("--log")
    ap.add_argument("--trickle", type=float, default=0.0,
                    help="send one byte every TRICKLE seconds")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--dump-corpus", metavar="DIR")
    args = ap.parse_args()
    if args.list:
        print("\n".join(sorted(SCENARIOS)))
    elif args.dump_corpus:
        dump(args.dump_corpus)
    elif args.scenario and args.port_file:
        serve(args)
    else:
        ap.error("need --scenario and --port-file, --list or --dump-corpus")


if __name__ == "__main__":
    main()
