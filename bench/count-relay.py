#!/usr/bin/env python3
"""count-relay.py: a TCP relay that counts, per connection, the bytes each way and the turns of the conversation.

Usage: count-relay.py --listen PORT --upstream PORT --out FILE [--port-file FILE]

Serves connections one after another on 127.0.0.1:PORT, each relayed to
127.0.0.1:UPSTREAM. When a connection ends, one line goes to FILE:

  c2s=<bytes> s2c=<bytes> turns=<n> waits=<n> seq=<dir:bytes,...>

A turn is a run of bytes in one direction before the other side speaks
(reads in the same direction merge, whatever TCP's segmenting). waits counts
the client's round trips: the server runs that answer a client run (the
server's unprompted greeting is one more, on top of TCP's connect).
"""
import argparse
import select
import socket


def relay(client, upstream_port):
    server = socket.create_connection(("127.0.0.1", upstream_port))
    runs = []  # [direction, bytes]
    ends = {client: ("c2s", server), server: ("s2c", client)}
    open_ = {client, server}
    while open_:
        ready, _, _ = select.select(list(open_), [], [])
        for s in ready:
            direction, peer = ends[s]
            data = s.recv(65536)
            if not data:
                open_.discard(s)
                try:
                    peer.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                continue
            peer.sendall(data)
            if runs and runs[-1][0] == direction:
                runs[-1][1] += len(data)
            else:
                runs.append([direction, len(data)])
    client.close()
    server.close()
    c2s = sum(n for d, n in runs if d == "c2s")
    s2c = sum(n for d, n in runs if d == "s2c")
    waits = sum(1 for i, (d, _) in enumerate(runs) if d == "s2c" and (i == 0 or runs[i - 1][0] == "c2s"))
    seq = ",".join(f"{d}:{n}" for d, n in runs)
    return f"c2s={c2s} s2c={s2c} turns={len(runs)} waits={waits} seq={seq}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", type=int, required=True)
    ap.add_argument("--upstream", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--port-file")
    a = ap.parse_args()
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", a.listen))
    ls.listen(16)
    if a.port_file:
        with open(a.port_file, "w") as f:
            f.write(f"{ls.getsockname()[1]}\n")
    while True:
        client, _ = ls.accept()
        line = relay(client, a.upstream)
        with open(a.out, "a") as f:
            f.write(line + "\n")


if __name__ == "__main__":
    main()
