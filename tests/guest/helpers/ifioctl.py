#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The classic interface ioctls that ifconfig and mii-tool use.

Usage: ifioctl.py IFACE OP...

OPs, run in order, each printing one line "OP|RESULT":
  flags           SIOCGIFFLAGS: the flags a user sets (UP, BROADCAST,
                  MULTICAST, PROMISC, ALLMULTI), by name
  up, down        SIOCSIFFLAGS with IFF_UP set or cleared
  promisc, -promisc
                  SIOCSIFFLAGS with IFF_PROMISC set or cleared (what
                  `ifconfig promisc` does: the flag, not a sniffer's count)
  mtu             SIOCGIFMTU
  mtu=N           SIOCSIFMTU
  hwaddr          SIOCGIFHWADDR
  hwaddr=MAC      SIOCSIFHWADDR
  mii             SIOCGMIIPHY, then SIOCGMIIREG of registers 0 and 1
  miireg=R        SIOCGMIIREG of PHY register R (on the PHY SIOCGMIIPHY names)
  miiset=R:V      SIOCSMIIREG: V into PHY register R (what mii-tool -F/-A/-r do)
A failed ioctl prints its errno's name. Exits 0.
"""

import errno
import fcntl
import socket
import struct
import sys

SIOCGIFFLAGS, SIOCSIFFLAGS = 0x8913, 0x8914
SIOCGIFMTU, SIOCSIFMTU = 0x8921, 0x8922
SIOCSIFHWADDR, SIOCGIFHWADDR = 0x8924, 0x8927
SIOCGMIIPHY, SIOCGMIIREG, SIOCSMIIREG = 0x8947, 0x8948, 0x8949
ARPHRD_ETHER = 1
IFREQ_SIZE = 40
FLAGS = {"UP": 0x1, "BROADCAST": 0x2, "PROMISC": 0x100, "ALLMULTI": 0x200, "MULTICAST": 0x1000}


def ifreq(name, payload=b""):
    return (name.encode().ljust(16, b"\0") + payload).ljust(IFREQ_SIZE, b"\0")


def ioctl(sock, request, name, payload=b""):
    return fcntl.ioctl(sock, request, ifreq(name, payload))


def get_flags(sock, name):
    return struct.unpack_from("H", ioctl(sock, SIOCGIFFLAGS, name), 16)[0]


def set_flag(sock, name, flag, on):
    flags = get_flags(sock, name)
    flags = flags | flag if on else flags & ~flag
    ioctl(sock, SIOCSIFFLAGS, name, struct.pack("H", flags))
    return "ok"


def run(sock, name, op):
    if op == "flags":
        flags = get_flags(sock, name)
        return " ".join(n for n, bit in FLAGS.items() if flags & bit) or "-"
    if op in ("up", "down"):
        return set_flag(sock, name, FLAGS["UP"], op == "up")
    if op in ("promisc", "-promisc"):
        return set_flag(sock, name, FLAGS["PROMISC"], op == "promisc")
    if op == "mtu":
        return str(struct.unpack_from("i", ioctl(sock, SIOCGIFMTU, name), 16)[0])
    if op.startswith("mtu="):
        ioctl(sock, SIOCSIFMTU, name, struct.pack("i", int(op[4:])))
        return "ok"
    if op == "hwaddr":
        data = ioctl(sock, SIOCGIFHWADDR, name)
        family = struct.unpack_from("H", data, 16)[0]
        return f"family {family} " + ":".join(f"{b:02x}" for b in data[18:24])
    if op.startswith("hwaddr="):
        mac = bytes(int(x, 16) for x in op[7:].split(":"))
        ioctl(sock, SIOCSIFHWADDR, name, struct.pack("H", ARPHRD_ETHER) + mac)
        return "ok"
    if op == "mii":
        # struct mii_ioctl_data sits where ifr_data would point.
        phy = struct.unpack_from("H", ioctl(sock, SIOCGMIIPHY, name), 16)[0]
        regs = []
        for reg in (0, 1):
            data = ioctl(sock, SIOCGMIIREG, name, struct.pack("HHHH", phy, reg, 0, 0))
            regs.append(f"reg{reg} {struct.unpack_from('H', data, 22)[0]:#06x}")
        return f"phy {phy} " + " ".join(regs)
    if op.startswith("miireg="):
        phy = struct.unpack_from("H", ioctl(sock, SIOCGMIIPHY, name), 16)[0]
        data = ioctl(sock, SIOCGMIIREG, name, struct.pack("HHHH", phy, int(op[7:], 0), 0, 0))
        return f"{struct.unpack_from('H', data, 22)[0]:#06x}"
    if op.startswith("miiset="):
        reg, value = (int(x, 0) for x in op[7:].split(":"))
        phy = struct.unpack_from("H", ioctl(sock, SIOCGMIIPHY, name), 16)[0]
        ioctl(sock, SIOCSMIIREG, name, struct.pack("HHHH", phy, reg, value, 0))
        return "ok"
    raise SystemExit(f"ifioctl.py: unknown operation {op}")


def main():
    name = sys.argv[1]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for op in sys.argv[2:]:
        try:
            result = run(sock, name, op)
        except OSError as e:
            result = errno.errorcode.get(e.errno, str(e.errno))
        print(f"{op}|{result}", flush=True)


if __name__ == "__main__":
    main()
