#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Prints one 32-bit register of a PCI device's memory BAR 0, in decimal,
read through sysfs (resource0), whichever driver is bound: tests use it
to compare what two drivers program into the same device. Only read
registers that have no side effect on reading.

Usage: pcireg.py BDF OFFSET
"""
import mmap
import os
import struct
import sys


def main():
    bdf, offset = sys.argv[1], int(sys.argv[2], 0)
    if offset % 4:
        sys.exit("offset must be 32-bit aligned")
    fd = os.open(f"/sys/bus/pci/devices/{bdf}/resource0", os.O_RDONLY | os.O_SYNC)
    try:
        page = offset & ~(mmap.PAGESIZE - 1)
        bar = mmap.mmap(fd, mmap.PAGESIZE, mmap.MAP_SHARED, mmap.PROT_READ, offset=page)
        try:
            # One aligned 4-byte load: memoryview casts keep it one access.
            value = memoryview(bar).cast("I")[(offset - page) // 4]
        finally:
            bar.close()
    finally:
        os.close(fd)
    print(value)


if __name__ == "__main__":
    main()
