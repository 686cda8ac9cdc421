#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarises the benchmark's RESULT lines: per NIC under test (each a
pair of drivers, C and ours) and metric, the median and spread (min-max)
of each driver, our median over C's, and the median and range of the
per-round ratios (each Rust run over the C run of the same round, just
before it), which slow drifts of the host affect less.

With --counts, it also prints the count tables of the count runs
(count_report.py) and writes them into the JSON as "counts". Every row
of the JSON names its NIC ("dut").

Usage: report.py GUEST_LOG [--counts COUNT_LOG] [--json FILE] [--markdown FILE]
                 [--meta KEY=VALUE]...
"""

import argparse
import json
import statistics
import sys

import count_report

# The NICs under test: (name, C driver, our driver).
PAIRS = (("e1000", "e1000", "rust_e1000"),
         ("virtio-net", "virtio_net", "rust_virtio_net"))
PAIR_NAMES = {dut: f"{reference} (C) against {ours}" for dut, reference, ours in PAIRS}

# Metric: (description, whether higher is better).
METRICS = {
    "tcp_rx_mbps": ("TCP throughput, DUT receiving (Mbit/s)", True),
    "tcp_tx_mbps": ("TCP throughput, DUT sending (Mbit/s)", True),
    "udp64_rx_pps": ("64-byte UDP frames/s received (pktgen)", True),
    "udp64_tx_pps": ("64-byte UDP frames/s sent (pktgen)", True),
    "xdp_drop_rx_pps": ("64-byte frames/s dropped by XDP (native where the driver has it)", True),
    "tcp_rr_per_s": ("TCP request/response transactions/s", True),
    "tcp_rr_p50_us": ("TCP round trip p50 (us)", False),
    "tcp_rr_p99_us": ("TCP round trip p99 (us)", False),
    "tcp_rx_cpu_us_per_pkt": ("kernel CPU per packet, TCP rx (us)", False),
    "tcp_tx_cpu_us_per_pkt": ("kernel CPU per packet, TCP tx (us)", False),
    "udp64_rx_cpu_us_per_pkt": ("kernel CPU per packet, UDP rx (us)", False),
    "xdp_drop_rx_cpu_us_per_pkt": ("kernel CPU per packet, XDP_DROP rx (us)", False),
    "udp64_tx_cpu_us_per_pkt": ("kernel CPU per packet, UDP tx (us)", False),
    "tcp_rx_irqs_per_pkt": ("interrupts per packet, TCP rx", False),
    "tcp_tx_irqs_per_pkt": ("interrupts per packet, TCP tx", False),
    "udp64_rx_irqs_per_pkt": ("interrupts per packet, UDP rx", False),
    "xdp_drop_rx_irqs_per_pkt": ("interrupts per packet, XDP_DROP rx", False),
    "udp64_tx_irqs_per_pkt": ("interrupts per packet, UDP tx", False),
}


def metric_rows(dut, reference, ours, samples, by_round):
    """The rate table's rows of one NIC under test."""
    rows = []
    for metric, (desc, higher) in METRICS.items():
        per = samples.get(metric, {})
        c, r = per.get(reference, []), per.get(ours, [])
        if not c or not r:
            continue
        cm, rm = statistics.median(c), statistics.median(r)
        ratio = rm / cm if cm else None
        paired = [d[ours] / d[reference] for d in by_round.get(metric, {}).values()
                  if d.get(reference) and ours in d]
        rows.append({
            "dut": dut,
            "metric": metric,
            "description": desc,
            "higher_is_better": higher,
            "c": {"median": cm, "min": min(c), "max": max(c), "samples": c},
            "rust": {"median": rm, "min": min(r), "max": max(r), "samples": r},
            "rust_over_c": ratio,
            "paired_rust_over_c": {
                "median": statistics.median(paired) if paired else None,
                "min": min(paired, default=None),
                "max": max(paired, default=None),
                "samples": paired,
            },
        })
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--counts", help="the count runs' guest log (guest-counts.sh)")
    ap.add_argument("--json")
    ap.add_argument("--markdown", help="also write the table in Markdown (for the README)")
    ap.add_argument("--meta", action="append", default=[])
    args = ap.parse_args()

    samples = {}
    by_round = {}
    with open(args.log, errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 5 and parts[0] == "RESULT":
                _, drv, _round, metric, value = parts
                try:
                    v = float(value)
                except ValueError:
                    continue
                samples.setdefault(metric, {}).setdefault(drv, []).append(v)
                by_round.setdefault(metric, {}).setdefault(_round, {})[drv] = v

    rows = []
    for dut, reference, ours in PAIRS:
        rows += metric_rows(dut, reference, ours, samples, by_round)

    meta = dict(kv.split("=", 1) for kv in args.meta)
    for k, v in meta.items():
        print(f"# {k}: {v}")
    dut = None
    for row in rows:
        if row["dut"] != dut:
            dut = row["dut"]
            print(f"\n# {dut}: {PAIR_NAMES[dut]}")
            print(f"{'metric':<42} {'C median':>12} {'Rust median':>12} {'Rust/C':>7} {'per round':>16}"
                  "  spread C | Rust")
        c, r = row["c"], row["rust"]
        ratio = f"{row['rust_over_c']:.2f}" if row["rust_over_c"] is not None else "-"
        better = "higher" if row["higher_is_better"] else "lower"
        p = row["paired_rust_over_c"]
        paired = f"{p['median']:.2f} ({p['min']:.2f}-{p['max']:.2f})" if p["median"] else "-"
        print(f"{row['description'] + ' (' + better + ')':<42.42} {c['median']:>12.4g} {r['median']:>12.4g} {ratio:>7}"
              f" {paired:>16}  {c['min']:.4g}-{c['max']:.4g} | {r['min']:.4g}-{r['max']:.4g}")
    if args.markdown:
        with open(args.markdown, "w") as f:
            dut = None
            for row in rows:
                if row["dut"] != dut:
                    dut = row["dut"]
                    f.write(f"\n{dut}: {PAIR_NAMES[dut]}\n\n")
                    f.write("| metric | C median | Rust median | Rust/C | per round | C spread | Rust spread |\n")
                    f.write("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
                c, r, p = row["c"], row["rust"], row["paired_rust_over_c"]
                better = "higher" if row["higher_is_better"] else "lower"
                ratio = f"{row['rust_over_c']:.2f}" if row["rust_over_c"] is not None else "-"
                paired = f"{p['median']:.2f} ({p['min']:.2f}-{p['max']:.2f})" if p["median"] else "-"
                f.write(f"| {row['description']} ({better} is better) | {c['median']:.4g} | {r['median']:.4g} "
                        f"| {ratio} | {paired} | {c['min']:.4g}-{c['max']:.4g} | {r['min']:.4g}-{r['max']:.4g} |\n")
    counts = []
    if args.counts:
        runs = count_report.parse(args.counts)
        for dut, reference, ours in PAIRS:
            counts += count_report.build(runs, dut, reference, ours)
    count_report.print_table(counts, sys.stdout)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"meta": meta, "metrics": rows, "counts": counts}, f, indent=2)
        print(f"# written to {args.json}")
    return 0 if rows or counts else 1


if __name__ == "__main__":
    raise SystemExit(main())
