# SPDX-License-Identifier: GPL-2.0
"""The count table: what the count runs (guest-counts.sh) cost per packet,
for each workload and driver, from the guest's COUNT lines:

  COUNT <driver> <round> <workload> <what> <count>

Counts are divided by the DUT's packets (received plus sent) of the same
run, and for tcp_rr by its transactions. A row shows each driver's value
in every round (runs of the same fixed work; their spread says how exact
the count is) and the ratio of the medians. There is one table per NIC
under test: for the e1000 its register accesses by register and the
peer's virtio kicks; for virtio-net its kicks and notifications by
queue, its accesses by virtio-pci region and the peer e1000's accesses.
"""

import statistics

from e1000_registers import is_statistics, register_name

DUT_REGION = "e1000-mmio"
BAR0_SIZE = 0x20000
PEER = "virtio-net"
VIRTIO_NET = "virtio-net"
# The queues of a virtio-net device with one queue pair.
VIRTIO_QUEUES = {"0": "RX refill", "1": "TX", "2": "control"}


def parse(path):
    """{workload: {driver: {round: {what: count}}}} from a guest log."""
    runs = {}
    with open(path, errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 6 or parts[0] != "COUNT":
                continue
            _, drv, rnd, workload, what, n = parts
            try:
                value = int(n)
            except ValueError:
                continue
            runs.setdefault(workload, {}).setdefault(drv, {}).setdefault(rnd, {})[what] = value
    return runs


def dut_offset(what, bar0):
    """(kind, offset in the DUT's BAR 0) of a "qemu:read:..." or
    "qemu:write:..." count of the DUT's registers (QEMU traces the
    physical address), or None."""
    parts = what.split(":")
    if len(parts) != 4 or parts[0] != "qemu" or parts[2] != DUT_REGION or bar0 is None:
        return None
    offset = int(parts[3], 16) - bar0
    return (parts[1], offset) if 0 <= offset < BAR0_SIZE else None


def written_value(kind):
    """The value of a "write=VALUE" count (writes of one value), or None."""
    return int(kind.split("=", 1)[1], 16) if kind.startswith("write=") else None


def row_label(what, bar0):
    """(sort key, label) of a counted thing, or None to leave it out."""
    if what == "irqs":
        return (1, "interrupts (DUT)")
    if what.startswith("guest:"):
        return (6, what[len("guest:"):])
    if not what.startswith("qemu:"):
        return None
    dut = dut_offset(what, bar0)
    if dut:
        kind, offset = dut
        if is_statistics(offset):
            return None  # summed in "statistics counter reads"
        value = written_value(kind)
        if value is not None:
            # Only a setting's values say something: ITR's is the rate.
            if register_name(offset) != "ITR":
                return None
            return (2, f"MMIO write ITR = {value} ({1e9 / 256 / value:.0f}/s)" if value
                    else "MMIO write ITR = 0")
        return (2, f"MMIO {kind} {register_name(offset)}")
    kind, region, where = what[len("qemu:"):].split(":", 2)
    if kind in ("kick", "notify") and region == PEER:
        # A queue not kicked yet in this boot is known by address only.
        queue = "?" if where.startswith("0x") else where
        return (5, f"peer virtio-net {kind}, queue {queue}")
    return None


def virtio_row_label(what):
    """(sort key, label) of a counted thing with the virtio-net NIC under
    test (the peer the first e1000), or None to leave it out."""
    if what == "irqs":
        return (1, "interrupts (DUT, all vectors)")
    if what.startswith("guest:"):
        return (6, what[len("guest:"):])
    if not what.startswith("qemu:"):
        return None
    kind, region, where = what[len("qemu:"):].split(":", 2)
    if kind in ("kick", "notify") and region == VIRTIO_NET:
        queue = "?" if where.startswith("0x") else where
        noun = "kicks" if kind == "kick" else "notifications"
        return (2, f"DUT {noun}, queue {queue} {VIRTIO_QUEUES.get(queue, '?')}")
    if kind in ("read", "write") and region.endswith("-" + VIRTIO_NET):
        return (4, f"MMIO {kind}s {region[:-len(VIRTIO_NET) - 1]} (DUT)")
    if kind in ("read", "write") and region == DUT_REGION:
        return (5, f"peer e1000 MMIO {kind}s")
    return None


TOTALS = {"read": (3, "MMIO reads (DUT, all but statistics)"),
          "write": (3, "MMIO writes (DUT, all but statistics)"),
          "statistics": (4, "statistics counter reads (watchdog)")}


def per_unit(counts, workload, dut):
    """{label: (sort key, count per unit)} of one run, with the totals."""
    unit = counts.get("work", 0) if workload == "tcp_rr" else counts.get("packets", 0)
    if not unit:
        return {}
    if dut == "virtio-net":
        out = {"DUT kicks, all queues": (3, 0.0), "DUT notifications, all queues": (3, 0.0)}
        for what, n in counts.items():
            label = virtio_row_label(what)
            if not label:
                continue
            key, text = label
            # Accesses by region and the peer's are summed over addresses.
            out[text] = (key, out.get(text, (key, 0.0))[1] + n / unit)
            if text.startswith("DUT kicks"):
                out["DUT kicks, all queues"] = (3, out["DUT kicks, all queues"][1] + n / unit)
            elif text.startswith("DUT notifications"):
                total = out["DUT notifications, all queues"][1]
                out["DUT notifications, all queues"] = (3, total + n / unit)
        return out
    out = {label: (key, 0.0) for key, label in TOTALS.values()}
    bar0 = counts.get("bar0")
    for what, n in counts.items():
        reg = dut_offset(what, bar0)
        if reg and written_value(reg[0]) is None:
            key, label = TOTALS["statistics" if is_statistics(reg[1]) else reg[0]]
            out[label] = (key, out[label][1] + n / unit)
        label = row_label(what, bar0)
        if label:
            out[label[1]] = (label[0], n / unit)
    return out


def build(runs, dut, reference, ours):
    """Rows of the count table of one NIC under test (DUT, "e1000" or
    "virtio-net", with the C driver REFERENCE and OURS), in the order of
    the workloads' runs."""
    rows = []
    for workload, per_drv in runs.items():
        each, order, packets = {}, {}, {}
        if reference not in per_drv and ours not in per_drv:
            continue
        for drv in (reference, ours):
            for rnd in sorted(per_drv.get(drv, {})):
                counts = per_drv[drv][rnd]
                packets.setdefault(drv, []).append(counts.get("packets", 0))
                each.setdefault(drv, []).append(per_unit(counts, workload, dut))
                order.update({label: key for label, (key, _) in each[drv][-1].items()})
        unit = "transaction" if workload == "tcp_rr" else "packet"
        for label in sorted(order, key=lambda k: (order[k], k)):
            # A run that counted nothing of a kind has no line for it.
            c, r = ([run.get(label, (0, 0.0))[1] for run in each.get(drv, [])]
                    for drv in (reference, ours))
            cm = statistics.median(c) if c else None
            rm = statistics.median(r) if r else None
            rows.append({
                "dut": dut, "workload": workload, "what": label, "unit": unit,
                "c": c, "rust": r,
                "rust_over_c": rm / cm if cm and rm is not None else None,
                "packets": {"c": packets.get(reference, []), "rust": packets.get(ours, [])},
            })
    return rows


def _fmt(values):
    return "/".join(f"{v:.4f}" for v in values) if values else "-"


def print_table(rows, out):
    table = None
    for row in rows:
        if (row["dut"], row["workload"]) != table:
            table = (row["dut"], workload := row["workload"])
            p = row["packets"]
            out.write(f"\n# {row['dut']}: counts per {row['unit']}, {workload} (DUT packets per run: "
                      f"C {'/'.join(map(str, p['c']))}, Rust {'/'.join(map(str, p['rust']))})\n")
            out.write(f"{'what':<46} {'C (each run)':>20} {'Rust (each run)':>20} {'Rust/C':>7}\n")
        if not any(row["c"]) and not any(row["rust"]):
            continue
        ratio = f"{row['rust_over_c']:.2f}" if row["rust_over_c"] is not None else "-"
        out.write(f"{row['what']:<46.46} {_fmt(row['c']):>20} {_fmt(row['rust']):>20} {ratio:>7}\n")
