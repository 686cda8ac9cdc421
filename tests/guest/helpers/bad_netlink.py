#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Malformed netlink requests about one interface, over raw sockets.

Usage: bad_netlink.py IFACE

What `ip` and `ethtool` never send: rtnetlink link changes and ethtool
netlink settings whose attributes have the wrong size or type, are out of
range, or lack the request header. Prints one line per case,
"CASE|ERRNO NAME: extended ack message" (or "0" when the kernel accepted
it), for the bad-input table; exits 1 if a case could not be sent.
"""

import errno
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK, NETLINK_EXT_ACK = 270, 11
NLM_F_REQUEST, NLM_F_ACK = 0x1, 0x4
NLMSG_ERROR = 2
NLMSGERR_ATTR_MSG = 1
RTM_SETLINK = 19
IFLA_ADDRESS, IFLA_MTU = 1, 4
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLA_F_NESTED = 0x8000
# include/uapi/linux/ethtool_netlink_generated.h (Linux 7.2).
ETHTOOL_MSG_RINGS_SET, ETHTOOL_MSG_CHANNELS_SET, ETHTOOL_MSG_COALESCE_SET = 16, 18, 20
ETHTOOL_A_HEADER_DEV_INDEX = 1
ETHTOOL_A_RINGS_HEADER, ETHTOOL_A_RINGS_RX = 1, 6
ETHTOOL_A_CHANNELS_HEADER, ETHTOOL_A_CHANNELS_COMBINED_COUNT = 1, 9
ETHTOOL_A_COALESCE_HEADER, ETHTOOL_A_COALESCE_RX_USECS = 1, 2


def attr(kind, payload):
    """One attribute, padded to four bytes."""
    size = 4 + len(payload)
    return struct.pack("HH", size, kind) + payload + b"\0" * (-size % 4)


def u32(kind, value):
    return attr(kind, struct.pack("I", value))


class Netlink:
    """A netlink socket that sends one request at a time and returns the
    kernel's answer to it."""

    def __init__(self, proto):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 0

    def request(self, kind, body):
        """(errno, extended ack message, reply payload) of one request."""
        self.seq += 1
        head = struct.pack("IHHII", 16 + len(body), kind, NLM_F_REQUEST | NLM_F_ACK, self.seq, 0)
        self.sock.send(head + body)
        payload = b""
        while True:
            data = self.sock.recv(65536)
            at = 0
            while at + 16 <= len(data):
                size, typ, flags, seq, _ = struct.unpack_from("IHHII", data, at)
                msg = data[at + 16:at + size]
                at += (size + 3) & ~3
                if seq != self.seq:
                    continue
                if typ != NLMSG_ERROR:
                    payload = msg
                    continue
                code = -struct.unpack_from("i", msg)[0]
                # The request comes back whole, or its header only when
                # the kernel capped it (NLM_F_CAPPED).
                inner = 16 if flags & 0x100 else struct.unpack_from("I", msg, 4)[0]
                return code, ack_message(msg[4 + inner:]), payload

    def close(self):
        self.sock.close()


def ack_message(tlvs):
    """The text of an extended ack, if the kernel gave one."""
    at = 0
    while at + 4 <= len(tlvs):
        size, kind = struct.unpack_from("HH", tlvs, at)
        if size < 4:
            break
        if kind == NLMSGERR_ATTR_MSG:
            return tlvs[at + 4:at + size].rstrip(b"\0").decode(errors="replace")
        at += (size + 3) & ~3
    return ""


def genl_family(nl, name):
    """The id of generic netlink family NAME."""
    body = struct.pack("BBH", CTRL_CMD_GETFAMILY, 1, 0) + attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0")
    code, message, payload = nl.request(GENL_ID_CTRL, body)
    if code:
        raise OSError(code, f"family {name}: {message}")
    at = 4
    while at + 4 <= len(payload):
        size, kind = struct.unpack_from("HH", payload, at)
        if kind == CTRL_ATTR_FAMILY_ID:
            return struct.unpack_from("H", payload, at + 4)[0]
        at += (size + 3) & ~3
    raise OSError(errno.ENOENT, f"no id for family {name}")


def answer(code, message):
    if not code:
        return "0"
    text = f"{errno.errorcode.get(code, code)} {code}"
    return f"{text}: {message}" if message else text


def main():
    ifname = sys.argv[1]
    ifindex = socket.if_nametoindex(ifname)
    link = struct.pack("BxHiII", socket.AF_UNSPEC, 0, ifindex, 0, 0)
    route = Netlink(socket.NETLINK_ROUTE)
    cases = [
        ("rtnetlink: IFLA_MTU of 2 bytes", RTM_SETLINK, link + attr(IFLA_MTU, b"\xdc\x05")),
        ("rtnetlink: IFLA_MTU 0", RTM_SETLINK, link + u32(IFLA_MTU, 0)),
        ("rtnetlink: IFLA_MTU 4294967295", RTM_SETLINK, link + u32(IFLA_MTU, 0xFFFFFFFF)),
        ("rtnetlink: IFLA_ADDRESS of 3 bytes", RTM_SETLINK, link + attr(IFLA_ADDRESS, b"\x02\x00\x00")),
        ("rtnetlink: IFLA_ADDRESS of 16 bytes", RTM_SETLINK, link + attr(IFLA_ADDRESS, b"\x02" * 16)),
    ]
    for name, kind, body in cases:
        print(f"{name}|{answer(*route.request(kind, body)[:2])}")
    route.close()

    gen = Netlink(NETLINK_GENERIC)
    family = genl_family(gen, "ethtool")
    header = attr(1 | NLA_F_NESTED, u32(ETHTOOL_A_HEADER_DEV_INDEX, ifindex))
    missing = attr(1 | NLA_F_NESTED, u32(ETHTOOL_A_HEADER_DEV_INDEX, 0x7FFFFFFF))

    def genl(cmd, attrs):
        return struct.pack("BBH", cmd, 1, 0) + attrs

    cases = [
        ("ethtool: rings, RX as 1 byte", genl(ETHTOOL_MSG_RINGS_SET, header + attr(ETHTOOL_A_RINGS_RX, b"\x10"))),
        ("ethtool: rings, RX 4294967295", genl(ETHTOOL_MSG_RINGS_SET, header + u32(ETHTOOL_A_RINGS_RX, 0xFFFFFFFF))),
        ("ethtool: rings, no header", genl(ETHTOOL_MSG_RINGS_SET, u32(ETHTOOL_A_RINGS_RX, 256))),
        ("ethtool: rings, no such device", genl(ETHTOOL_MSG_RINGS_SET, missing + u32(ETHTOOL_A_RINGS_RX, 256))),
        ("ethtool: channels, combined 4294967295",
         genl(ETHTOOL_MSG_CHANNELS_SET, header + u32(ETHTOOL_A_CHANNELS_COMBINED_COUNT, 0xFFFFFFFF))),
        ("ethtool: coalescing, rx-usecs as a string",
         genl(ETHTOOL_MSG_COALESCE_SET, header + attr(ETHTOOL_A_COALESCE_RX_USECS, b"fast\0"))),
    ]
    for name, body in cases:
        print(f"{name}|{answer(*gen.request(family, body)[:2])}")
    gen.close()


if __name__ == "__main__":
    main()
