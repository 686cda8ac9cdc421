#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Sends UDP datagrams with software transmit timestamps requested
(SO_TIMESTAMPING) and prints how many came back on the error queue with a
non-zero software timestamp, as "stamped N of M". The driver provides them
by calling skb_tx_timestamp() for each frame it sends.

Usage: txstamp.py DST_ADDR [COUNT]
"""
import select
import socket
import struct
import sys

SO_TIMESTAMPING = 37
SOF_TIMESTAMPING_TX_SOFTWARE = 1 << 1
SOF_TIMESTAMPING_SOFTWARE = 1 << 4
SOF_TIMESTAMPING_OPT_TSONLY = 1 << 11


def main():
    dst = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPING,
                    SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE |
                    SOF_TIMESTAMPING_OPT_TSONLY)
    stamped = 0
    for i in range(count):
        sock.sendto(b"stamp %d" % i, (dst, 9))
        poller = select.poll()
        poller.register(sock, select.POLLERR)
        if not poller.poll(2000):
            continue
        _, ancdata, _, _ = sock.recvmsg(64, 1024, socket.MSG_ERRQUEUE)
        for level, kind, data in ancdata:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPING:
                # Three timespecs: software, (deprecated), hardware.
                sec, nsec = struct.unpack_from("qq", data)
                if sec or nsec:
                    stamped += 1
    print("stamped %d of %d" % (stamped, count))


main()
