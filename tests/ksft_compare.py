#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compares kernel selftest results of two drivers on the same device.

Reads the guest log of tests/kselftest.sh, whose KTAP lines carry a
"[DRIVER] " prefix, and prints one line per case with the reference
driver's result beside ours, the totals, and "N passed, N failed": a case
fails when the reference passes it and our driver does not (except for
the timing-dependent so_txtime cases, whose differences are only shown). Programs whose
cases are not reported one by one count as one case (their outer result).

Cases listed in tests/ksft_pending.txt for our driver (features an open
issue delivers) are shown as pending and not counted.

Usage: ksft_compare.py GUEST_LOG REFERENCE OURS
"""

import os
import re
import sys

# Programs whose results depend on timing under TCG: a difference there is
# shown but does not fail the run.
TIMING = ("drivers/net:so_txtime.py:",)

OUTER = re.compile(r"^(not )?ok \d+ selftests: (\S+): (\S+)(.*)$")
NESTED = re.compile(r"^# (not )?ok \d+ (\S+)(.*)$")


def verdict(failed, rest):
    """pass, fail, skip or xfail from a KTAP line's status and directive."""
    directive = rest.upper()
    if "# SKIP" in directive:
        return "skip"
    if "# XFAIL" in directive:
        return "xfail"
    return "fail" if failed else "pass"


def parse(lines):
    """{case: result} of one driver's KTAP lines."""
    results = {}
    nested = []
    for line in lines:
        m = NESTED.match(line)
        if m:
            nested.append((m.group(2), verdict(m.group(1), m.group(3))))
            continue
        m = OUTER.match(line)
        if not m:
            continue
        program = f"{m.group(2)}:{m.group(3)}"
        outer = verdict(m.group(1), m.group(4))
        if nested:
            for case, result in nested:
                results[f"{program}:{case}"] = result
            # A program that fails after its cases (a crash, a timeout).
            if outer == "fail" and all(r != "fail" for _, r in nested):
                results[f"{program}:(exit)"] = "fail"
        else:
            results[program] = outer
        nested = []
    return results


def pending(driver):
    """[(case prefix, "issue N: reason")] of tests/ksft_pending.txt for driver."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ksft_pending.txt")
    found = []
    with open(path) as f:
        for line in f:
            fields = line.split(maxsplit=3)
            if len(fields) == 4 and not line.startswith("#") and fields[0] == driver:
                found.append((fields[1], f"issue {fields[2]}: {fields[3].strip()}"))
    return found


def main():
    log, reference, ours = sys.argv[1:4]
    per_driver = {reference: [], ours: []}
    with open(log, errors="replace") as f:
        for line in f:
            m = re.match(r"^\[([a-z_0-9]+)\] (.*)$", line.rstrip("\n"))
            if m and m.group(1) in per_driver:
                per_driver[m.group(1)].append(m.group(2))
    ref = parse(per_driver[reference])
    mine = parse(per_driver[ours])
    if not ref or not mine:
        print(f"not ok - no selftest results for {reference if not ref else ours}")
        print("0 passed, 1 failed")
        return 1

    width = max(len(c) for c in set(ref) | set(mine))
    print(f"{'case':<{width}}  {reference:>8}  {ours:>10}")
    regressions = []
    held = 0
    waiting = pending(ours)
    cases = sorted(set(ref) | set(mine))
    # A line of ksft_pending.txt can name a prefix of several cases: it may
    # go only once every case it names passes for ours.
    still_failing = {p for p, _ in waiting for c in cases if c.startswith(p) and mine.get(c) != "pass"}
    for case in cases:
        r, o = ref.get(case, "-"), mine.get(case, "-")
        prefix, why = next(((p, reason) for p, reason in waiting if case.startswith(p)), (None, None))
        mark = ""
        if why and o == "pass":
            if prefix in still_failing:
                mark = f"  (passes; other cases of its pending line {prefix} do not)"
            else:
                mark = "  (pending case passes: drop its line from ksft_pending.txt)"
        elif why and r == "pass":
            mark = f"  pending ({why})"
            held += 1
        elif r == "pass" and o != "pass":
            if case.startswith(TIMING):
                mark = "  (timing-dependent, not counted)"
            else:
                mark = "  <-- regression"
                regressions.append(case)
        elif o == "pass" and r != "pass":
            mark = "  (fixed)"
        print(f"{case:<{width}}  {r:>8}  {o:>10}{mark}")

    def totals(results):
        return ", ".join(
            f"{sum(1 for v in results.values() if v == k)} {k}"
            for k in ("pass", "fail", "skip", "xfail")
        )

    print(f"# {reference}: {totals(ref)}")
    print(f"# {ours}: {totals(mine)}")
    compared = len(set(ref) | set(mine))
    if held:
        print(f"# {held} cases pending (C passes them; see tests/ksft_pending.txt), not counted")
    print(f"{compared - held - len(regressions)} passed, {len(regressions)} failed")
    return 1 if regressions else 0


if __name__ == "__main__":
    sys.exit(main())
