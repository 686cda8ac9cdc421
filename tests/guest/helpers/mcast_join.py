#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Joins many IPv4 multicast groups on one interface and holds them.

  mcast_join.py IFACE COUNT READY_FILE

joins COUNT groups 239.1.0.0, 239.1.0.1, ... (Ethernet addresses
01:00:5e:01:00:00 on: distinct up to 65536 groups) on IFACE from a
few sockets (256 groups each), creates READY_FILE, and holds the groups
until it is killed; its exit leaves them all at once. A socket may join at
most net.ipv4.igmp_max_memberships groups (20 by default): the caller
raises it. Run it in the namespace that holds IFACE (ip netns exec ...).
"""

import socket
import struct
import sys
import time


def main():
    iface, count, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    index = socket.if_nametoindex(iface)
    sockets = []
    for i in range(count):
        # A socket's memberships come from its option memory
        # (net.core.optmem_max): 256 groups each stay well inside it.
        if i % 256 == 0:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sockets.append(s)
        group = socket.inet_aton("239.1.%d.%d" % (i >> 8, i & 0xFF))
        # struct ip_mreqn: group, local address (any), interface index.
        mreqn = group + socket.inet_aton("0.0.0.0") + struct.pack("@i", index)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreqn)
    open(ready, "w").close()
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
