#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Sends and receives raw Ethernet frames with AF_PACKET sockets.

  rawframe.py send IFACE DST_MAC [--count N] [--size BYTES] [--sentinel MAC]
      sends N frames of BYTES bytes (header included, default 100) to
      DST_MAC with the local experimental EtherType 0x88b5, then, with
      --sentinel, one more frame to MAC marked as the last one (of the
      minimum size, whatever --size says). With
      --nested N, every N bytes into the frame another frame header to
      DST_MAC (same EtherType, index 0xfffffffe) begins: a receiver that
      handed up a piece of the frame alone would report it as a frame.
      With --nofcs, the socket asks for frames without a frame check
      sequence (SO_NOFCS); a device that cannot send them refuses: the
      error is printed ("send: ...") and the exit status is 1.
  rawframe.py recv IFACE [--timeout S] [--count N] [--until-sentinel] [--ready FILE]
      waits for frames of EtherType 0x88b5 and prints, one line each,
      "<pkttype> <length> <destination MAC> <padding bytes all zero: yes/no>",
      pkttype as the kernel classified it (host, broadcast, multicast,
      otherhost). Exits 1 if fewer than N arrived in time. With
      --until-sentinel, reports the frames that came before the sentinel
      and exits 0 once it arrives: frames cross the wire in order, so
      whatever was sent before it and is not reported was filtered out.
  rawframe.py probe RX_NETNS RX_IFACE TX_NETNS TX_IFACE DST_MAC [send and
      recv options]
      recv on RX_IFACE in network namespace RX_NETNS, and once it listens
      send from TX_IFACE in TX_NETNS, in one process (one start instead of
      two, and no wait for a --ready file).

Run send and recv inside the netns that holds IFACE (ip netns exec ...).
"""

import argparse
import os
import socket
import struct
import sys
import time

ETHERTYPE = 0x88B5
SENTINEL = 0xFFFFFFFF
NESTED = 0xFFFFFFFE
PKTTYPES = {0: "host", 1: "broadcast", 2: "multicast", 3: "otherhost", 4: "outgoing"}


def mac_bytes(text):
    return bytes(int(b, 16) for b in text.split(":"))


def send(args):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((args.iface, 0))
    if args.nofcs:
        SO_NOFCS = 43
        s.setsockopt(socket.SOL_SOCKET, SO_NOFCS, 1)
    src = s.getsockname()[4]
    payload_len = max(args.size - 14, 0)
    frames = [(args.dst, i) for i in range(args.count)]
    if args.sentinel:
        frames.append((args.sentinel, SENTINEL))
    for dst, index in frames:
        # The sentinel is a minimum-size frame, whatever --size says: it
        # must get through a receiver that drops the frames under test.
        length = 46 if index == SENTINEL else payload_len
        payload = struct.pack("!I", index) + bytes(max(length - 4, 0))
        frame = bytearray(mac_bytes(dst) + src + struct.pack("!H", ETHERTYPE) + payload[:length])
        if args.nested and index != SENTINEL:
            inner = mac_bytes(dst) + src + struct.pack("!HI", ETHERTYPE, NESTED)
            for at in range(args.nested, len(frame) - len(inner) + 1, args.nested):
                frame[at : at + len(inner)] = inner
        try:
            s.send(bytes(frame))
        except OSError as err:
            print("send:", os.strerror(err.errno), flush=True)
            sys.exit(1)


def listener(iface):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETHERTYPE))
    # Room for bursts: a frame's buffer can take a page or more, and the
    # default receive buffer would drop part of a burst of a few hundred.
    SO_RCVBUFFORCE = 33
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 16 << 20)
    s.bind((iface, 0))
    return s


def recv(args):
    s = listener(args.iface)
    if args.ready:
        open(args.ready, "w").close()
    receive(s, args)


def enter_netns(name):
    # A socket stays in the namespace it was made in.
    fd = os.open("/run/netns/" + name, os.O_RDONLY)
    os.setns(fd, os.CLONE_NEWNET)
    os.close(fd)


def probe(args):
    enter_netns(args.rx_netns)
    s = listener(args.rx_iface)
    enter_netns(args.tx_netns)
    args.iface = args.tx_iface
    send(args)
    receive(s, args)


def receive(s, args):
    deadline = time.monotonic() + args.timeout
    got = 0
    while args.until_sentinel or got < args.count:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            data, addr = s.recvfrom(65536)
        except socket.timeout:
            break
        if addr[2] == 4:
            continue  # our own transmissions
        if len(data) >= 18 and struct.unpack("!I", data[14:18])[0] == SENTINEL:
            sys.exit(0)
        dst = ":".join("%02x" % b for b in data[:6])
        # Frames sent by `send` with --size below 60 carry a 4-byte index;
        # everything after it up to the 60-byte minimum is padding.
        pad = data[18:60] if len(data) >= 60 else b""
        zero = "yes" if not any(pad) else "no"
        print(PKTTYPES.get(addr[2], str(addr[2])), len(data), dst, zero, flush=True)
        got += 1
    sys.exit(0 if got >= args.count and not args.until_sentinel else 1)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    ps = sub.add_parser("send")
    ps.add_argument("iface")
    ps.add_argument("dst")
    pr = sub.add_parser("recv")
    pr.add_argument("iface")
    pr.add_argument("--ready", help="file to create once listening")
    pb = sub.add_parser("probe")
    for name in ("rx_netns", "rx_iface", "tx_netns", "tx_iface", "dst"):
        pb.add_argument(name)
    for q in (ps, pb):
        q.add_argument("--count", type=int, default=1)
        q.add_argument("--size", type=int, default=100)
        q.add_argument("--sentinel", help="address of a last, marked frame")
        q.add_argument("--nested", type=int, default=0, help="bytes between nested frame headers")
        q.add_argument("--nofcs", action="store_true", help="send with SO_NOFCS")
    for q in (pr, pb):
        q.add_argument("--timeout", type=float, default=2.0)
        q.add_argument("--until-sentinel", action="store_true")
    pr.add_argument("--count", type=int, default=1)
    args = p.parse_args()
    {"send": send, "recv": recv, "probe": probe}[args.cmd](args)


if __name__ == "__main__":
    main()
