#!/usr/bin/env python3
"""dhcp-peer.py: a scripted DHCPv4 server for the cases real servers do not produce.

Usage:
  dhcp-peer.py --scenario NAME --iface IF --server-id ADDR --offer ADDR
               --ready-file FILE [--log FILE] [--root-path TEXT | --root-path-file FILE]
               [--offer-delay S] [--ack-delay S]
      answer on IF (UDP port 67, replies broadcast to port 68) as server ADDR,
      offering ADDR; FILE is written once the socket is bound. Runs until
      killed; every request and every reply sent is logged, one line each.
  dhcp-peer.py --list          the scenario names, one per line
  dhcp-peer.py --dump-corpus DIR
      every distinct datagram the scenarios send (to a DISCOVER and a REQUEST)
      as a fuzz seed, DIR/peer-<scenario>-<offer|ack>-<n>

A scenario answers each DISCOVER and REQUEST with a list of datagrams:
hostile decoys first, each followed by the well-formed reply (so a client
that is fooled by a decoy shows it by what it REQUESTs or which lease it
writes). Decoys offer DECOY_ADDR and DECOY_ROOT_PATH, never what the good
reply says.
"""
import argparse
import os
import socket
import struct
import sys
import time

DISCOVER, OFFER, REQUEST, ACK, NAK = 1, 2, 3, 5, 6
TYPE_NAMES = {1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 5: "ACK", 6: "NAK"}
COOKIE = b"\x63\x82\x53\x63"
DECOY_ADDR = "10.79.0.66"
DECOY_ROOT_PATH = "10.79.0.1:10809/decoy"
SO_BINDTODEVICE = 25


def ip(text):
    return socket.inet_aton(text)


def opt(code, value):
    """One option; values over 255 bytes split as RFC 3396 long options."""
    out = b""
    while True:
        out += bytes([code, min(len(value), 255)]) + value[:255]
        value = value[255:]
        if not value:
            return out


class Request:
    def __init__(self, data):
        if len(data) < 240 or data[0] != 1 or data[236:240] != COOKIE:
            raise ValueError("not a BOOTREQUEST")
        self.xid = data[4:8]
        self.flags = data[10:12]
        self.chaddr = data[28:44]
        self.options = {}
        i = 240
        while i < len(data) and data[i] != 255:
            if data[i] == 0:
                i += 1
                continue
            code, n = data[i], data[i + 1]
            self.options[code] = self.options.get(code, b"") + data[i + 2:i + 2 + n]
            i += 2 + n
        self.type = self.options.get(53, b"\0")[0]

    def describe(self):
        s = "%s xid=%s chaddr=%s" % (TYPE_NAMES.get(self.type, self.type), self.xid.hex(),
                                     self.chaddr[:6].hex(":"))
        for code, name in ((54, "server-id"), (50, "requested")):
            if code in self.options:
                s += " %s=%s" % (name, socket.inet_ntoa(self.options[code]))
        if 80 in self.options:
            s += " rapid-commit"
        return s


class Peer:
    def __init__(self, args):
        self.args = args
        self.server_id = ip(args.server_id)
        if args.root_path_file:
            with open(args.root_path_file, "rb") as f:
                self.root_path = f.read()
        else:
            self.root_path = args.root_path.encode()

    def header(self, req, yiaddr, xid=None, chaddr=None):
        """The fixed BOOTREPLY part and the cookie: 240 bytes."""
        return (b"\x02\x01\x06\x00" + (xid or req.xid) + b"\0\0" + req.flags +
                b"\0" * 4 + ip(yiaddr) + b"\0" * 8 + (chaddr or req.chaddr) +
                b"\0" * 64 + b"\0" * 128 + COOKIE)

    def options(self, rtype, root_path=None):
        """What a well-formed reply says, END not included."""
        rp = self.root_path if root_path is None else root_path
        return (opt(53, bytes([rtype])) + opt(54, self.server_id) +
                opt(51, struct.pack(">I", 600)) + opt(1, ip("255.255.255.0")) +
                (opt(17, rp) if rp else b""))

    def good(self, req, rtype):
        return self.header(req, self.args.offer) + self.options(rtype) + b"\xff"

    def decoy_options(self, rtype):
        return self.options(rtype, DECOY_ROOT_PATH.encode())

    def decoy(self, req, rtype, **kw):
        """A reply that would be taken but for what the keywords change."""
        return self.header(req, DECOY_ADDR, **kw) + self.decoy_options(rtype) + b"\xff"

    def answer(self, req):
        """[(datagram, what)] to send for req."""
        rtype = OFFER if req.type == DISCOVER else ACK
        if (self.args.scenario == "rapid-commit" and req.type == DISCOVER and
                80 in req.options):
            rtype = ACK  # RFC 4039: committed at once
        if req.type not in (DISCOVER, REQUEST):
            return []
        named = req.options.get(54)
        if (req.type == REQUEST and named is not None and named != self.server_id and
                self.args.scenario != "rival"):
            return []  # RFC 2131 4.3.2: the client chose another server
        good = GOOD.get(self.args.scenario, Peer.good)
        return [(d, "decoy") for d in SCENARIOS[self.args.scenario](self, req, rtype)] + \
            [(good(self, req, rtype), "good")]


# --- scenarios: each returns the decoys sent before the good reply ----------

def good(peer, req, rtype):
    """No decoys: a plain, well-formed server."""
    return []


def wrong_xid(peer, req, rtype):
    """Replies to another transaction: xid off by one bit, and all-zero."""
    x = bytes([req.xid[0], req.xid[1], req.xid[2], req.xid[3] ^ 1])
    return [peer.decoy(req, rtype, xid=x), peer.decoy(req, rtype, xid=b"\0\0\0\0")]


def wrong_chaddr(peer, req, rtype):
    """Replies to another client: chaddr off by one bit, and the broadcast MAC."""
    c = bytearray(req.chaddr)
    c[5] ^= 1
    return [peer.decoy(req, rtype, chaddr=bytes(c)),
            peer.decoy(req, rtype, chaddr=b"\xff" * 6 + b"\0" * 10)]


def truncated_options(peer, req, rtype):
    """Replies cut short: inside the fixed header; after an option's code byte;
    after an option's length byte; inside the value of the last option."""
    full = peer.decoy(req, rtype)
    head = peer.header(req, DECOY_ADDR) + opt(53, bytes([rtype])) + opt(54, peer.server_id)
    return [full[:200], full[:239], head + b"\x11", head + b"\x11\x15",
            head + opt(17, DECOY_ROOT_PATH.encode())[:-4]]


def option_past_packet(peer, req, rtype):
    """Option lengths running past the packet: root-path of 200 with 21 bytes
    there, lease time of 255 at the end, and a fixed-size option of the wrong
    length (lease time of 3 bytes) followed by END."""
    head = peer.header(req, DECOY_ADDR) + opt(53, bytes([rtype])) + opt(54, peer.server_id)
    return [head + b"\x11\xc8" + DECOY_ROOT_PATH.encode() + b"\xff",
            head + opt(17, DECOY_ROOT_PATH.encode()) + b"\x33\xff\0\0\x02\x58",
            head + b"\x33\x03\0\x02\x58" + opt(17, DECOY_ROOT_PATH.encode()) + b"\xff"]


def overload_garbage(peer, req, rtype):
    """Option 52 pointing at garbage: a plain boot file name and random-looking
    bytes read as options, an option running past the file field, an sname
    holding a string, overload values 4 and 255, an overload of 2 bytes. The
    good reply that follows uses overload properly: its root-path lives in the
    file field alone."""
    out = []
    garbage_file = [b"pxelinux.0".ljust(128, b"\0"),
                    bytes((i * 73 + 41) & 0xff for i in range(128)),
                    (b"\x11\x7f" + b"A" * 126)]
    for f in garbage_file:
        d = bytearray(peer.decoy(req, rtype))
        d[108:236] = f
        d[240:240] = opt(52, b"\x01")
        out.append(bytes(d))
    d = bytearray(peer.decoy(req, rtype))
    d[44:108] = b"boot-server.example".ljust(64, b"\0")
    d[240:240] = opt(52, b"\x02")
    out.append(bytes(d))
    for value in (b"\x04", b"\xff", b"\x01\x01"):
        d = bytearray(peer.decoy(req, rtype))
        d[240:240] = opt(52, value)
        out.append(bytes(d))
    return out


def wrong_type(peer, req, rtype):
    """The type the client is not waiting for: an ACK to the DISCOVER (skipping
    the REQUEST), a NAK to it, an OFFER to the REQUEST."""
    if rtype == OFFER:
        return [peer.decoy(req, ACK), peer.decoy(req, NAK)]
    return [peer.decoy(req, OFFER)]


def rapid_commit(peer, req, rtype):
    """RFC 4039 done right: a DISCOVER that asks for Rapid Commit gets the ACK
    at once, carrying option 80; one that does not ask gets an OFFER."""
    return []


def rapid_unasked(peer, req, rtype):
    """An ACK carrying Rapid Commit to a REQUEST, which never asks for it."""
    if rtype == OFFER:
        return []
    return [peer.decoy(req, ACK)[:-1] + opt(80, b"") + b"\xff"]


def rival(peer, req, rtype):
    """A server that also ACKs REQUESTs naming another server (option 54 not
    its own). The ACK it sends is its good reply."""
    return []


SCENARIOS = {
    "good": good,
    "wrong-xid": wrong_xid,
    "wrong-chaddr": wrong_chaddr,
    "truncated-options": truncated_options,
    "option-past-packet": option_past_packet,
    "overload-garbage": overload_garbage,
    "wrong-type": wrong_type,
    "rival": rival,
    "rapid-commit": rapid_commit,
    "rapid-unasked": rapid_unasked,
}


def good_overloaded(peer, req, rtype):
    """The good reply with its root-path in the file field alone (option 52 = 1),
    as dnsmasq sends it when the options field is full."""
    f = opt(17, peer.root_path) + b"\xff"
    if len(f) > 128:
        raise SystemExit("dhcp-peer: root-path too long for the file field")
    h = bytearray(peer.header(req, peer.args.offer))
    h[108:236] = f.ljust(128, b"\0")
    return bytes(h) + opt(52, b"\x01") + peer.options(rtype, b"") + b"\xff"


def good_rapid(peer, req, rtype):
    """The good reply, with option 80 on an ACK that answers a DISCOVER."""
    extra = opt(80, b"") if rtype == ACK and req.type == DISCOVER else b""
    return peer.header(req, peer.args.offer) + peer.options(rtype) + extra + b"\xff"


def reply_type(d):
    """The message type (option 53) of a datagram we send."""
    i = 240
    while i + 2 < len(d) and d[i] != 255:
        if d[i] == 53:
            return d[i + 2]
        i += 1 if d[i] == 0 else 2 + d[i + 1]
    return 0


GOOD = {"overload-garbage": good_overloaded, "rapid-commit": good_rapid}


def dump(directory):
    """Each scenario's datagrams, to a DISCOVER and a REQUEST, as fuzz seeds."""
    args = argparse.Namespace(server_id="10.79.0.1", offer="10.79.0.10", root_path_file=None,
                              root_path="10.79.0.1:10809/root")
    os.makedirs(directory, exist_ok=True)
    base = (b"\x01\x01\x06\x00\x12\x34\x56\x78\0\0\x80\0" + b"\0" * 16 +
            b"\x52\x54\x00\x12\x34\x56" + b"\0" * 202 + COOKIE)
    seen = set()
    for name in SCENARIOS:
        args.scenario = name
        peer = Peer(args)
        for what, opts in (("offer", b"\x35\x01\x01\x50\x00\xff"),
                           ("ack", b"\x35\x01\x03\x36\x04\x0a\x4f\x00\x01\xff")):
            for i, (d, _) in enumerate(peer.answer(Request(base + opts))):
                if d in seen:
                    continue  # the good reply, the same in most scenarios
                seen.add(d)
                with open(os.path.join(directory, "peer-%s-%s-%d" % (name, what, i)), "wb") as f:
                    f.write(d)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--iface")
    ap.add_argument("--server-id")
    ap.add_argument("--offer")
    ap.add_argument("--root-path", default="")
    ap.add_argument("--root-path-file")
    ap.add_argument("--ready-file")
    ap.add_argument("--log")
    ap.add_argument("--offer-delay", type=float, default=0)
    ap.add_argument("--ack-delay", type=float, default=0)
    ap.add_argument("--dump-corpus", metavar="DIR")
    args = ap.parse_args()
    if args.list:
        print("\n".join(SCENARIOS))
        return 0
    if args.dump_corpus:
        dump(args.dump_corpus)
        return 0
    if args.scenario not in SCENARIOS:
        print("dhcp-peer: unknown scenario %r" % args.scenario, file=sys.stderr)
        return 1
    log = open(args.log, "a", buffering=1) if args.log else sys.stdout
    peer = Peer(args)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, args.iface.encode())
    s.bind(("0.0.0.0", 67))
    if args.ready_file:
        with open(args.ready_file, "w") as f:
            f.write("ready\n")
    while True:
        data, src = s.recvfrom(2048)
        try:
            req = Request(data)
        except (ValueError, IndexError) as e:
            log.write("ignored %d bytes from %s: %s\n" % (len(data), src[0], e))
            continue
        log.write("got %s\n" % req.describe())
        delay = args.offer_delay if req.type == DISCOVER else args.ack_delay
        if delay:
            time.sleep(delay)
        for d, what in peer.answer(req):
            s.sendto(d, ("255.255.255.255", 68))
            log.write("sent %s %s (%d bytes)\n" % (
                what, TYPE_NAMES.get(reply_type(d), "?"), len(d)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
