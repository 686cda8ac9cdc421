#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Says which of kmemleak's unreferenced objects our modules allocated.

  kmemleak_owners.py KMEMLEAK_FILE MODMAP_FILE OUR_MODULES_REGEX

KMEMLEAK_FILE is what /sys/kernel/debug/kmemleak listed. An allocation
trace names a module's function ("func+0x1c/0x80 [rust_e1000]") only while
that module is loaded; once it is unloaded, the frame is a bare address.
MODMAP_FILE holds every module seen loaded during the suite, a line each,
"NAME BASE SIZE" (BASE in hex, from /proc/modules): a bare address inside
the range of one of our modules and of no other module is ours. An
address inside ranges of ours and of others (the module area is reused
between loads) cannot be told apart: such an object is "unsure".

Prints one line, "OURS UNSURE TOTAL", then each object that is ours or
unsure, its first line prefixed with "ours:" or "unsure:".
"""

import re
import sys

FRAME_MODULE = re.compile(r"\[([A-Za-z0-9_]+)\]\s*$")
BARE = re.compile(r"^\s+0x([0-9a-f]+)\s*$")


def load_ranges(path):
    ranges = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) != 3:
                continue
            name, base, size = parts[0], int(parts[1], 16), int(parts[2])
            if base:
                ranges.append((name, base, base + size))
    return ranges


def owners(addr, ranges):
    return {name for name, lo, hi in ranges if lo <= addr < hi}


def classify(record, ranges, ours):
    verdict = "other"
    for line in record:
        m = FRAME_MODULE.search(line)
        if m and ours.fullmatch(m.group(1)):
            return "ours"
        m = BARE.match(line)
        if not m:
            continue
        names = owners(int(m.group(1), 16), ranges)
        mine = {n for n in names if ours.fullmatch(n)}
        if mine and mine == names:
            return "ours"
        # No recorded range (a module too short-lived for the sampler)
        # or ranges of ours and of others: it may be ours.
        if mine or not names:
            verdict = "unsure"
    return verdict


def main():
    leaks, modmap, ours = sys.argv[1], sys.argv[2], re.compile(sys.argv[3])
    ranges = load_ranges(modmap)
    records, record = [], []
    with open(leaks) as f:
        for line in f:
            if line.startswith("unreferenced object") and record:
                records.append(record)
                record = []
            record.append(line.rstrip("\n"))
    if record:
        records.append(record)
    counts = {"ours": 0, "unsure": 0, "other": 0}
    shown = []
    for rec in records:
        verdict = classify(rec, ranges, ours)
        counts[verdict] += 1
        if verdict != "other":
            shown.append("%s: %s" % (verdict, rec[0]))
            shown.extend(rec[1:])
    print(counts["ours"], counts["unsure"], len(records))
    for line in shown:
        print(line)


if __name__ == "__main__":
    main()
