#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Prints one 32-bit register of a PCI device's memory BAR 0, in decimal,
read through sysfs (resource0), whichever driver is bound: tests use it
to compare what two drivers program into the same device. Only read
registers that have no side effect on reading.

With SECONDS, it reads the register every 10 ms for that long and prints
each value it saw, in the order first seen, one per line: for a register
a driver changes over time (LEDs blinking).

Usage: pcireg.py BDF OFFSET [SECONDS]
"""
import mmap
import os
import sys
import time


def main():
    bdf, offset = sys.argv[1], int(sys.argv[2], 0)
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 0
    if offset % 4:
        sys.exit("offset must be 32-bit aligned")
    fd = os.open(f"/sys/bus/pci/devices/{bdf}/resource0", os.O_RDONLY | os.O_SYNC)
    try:
        page = offset & ~(mmap.PAGESIZE - 1)
        bar = mmap.mmap(fd, mmap.PAGESIZE, mmap.MAP_SHARED, mmap.PROT_READ, offset=page)
        try:
            # One aligned 4-byte load: memoryview casts keep it one access.
            regs = memoryview(bar).cast("I")
            seen = [regs[(offset - page) // 4]]
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                time.sleep(0.01)
                value = regs[(offset - page) // 4]
                if value not in seen:
                    seen.append(value)
            regs.release()
        finally:
            bar.close()
    finally:
        os.close(fd)
    for value in seen:
        print(value)


if __name__ == "__main__":
    main()
