# SPDX-License-Identifier: GPL-2.0
"""Counts the QEMU trace events the benchmark's count runs switch on.

QEMU's default `log` trace backend writes one line per event, optionally
prefixed with "PID@SECONDS:", for example

  memory_region_ops_write cpu 1 mr 0x55d0c0a8 addr 0x3818 value 0x5 size 4 name 'e1000-mmio'
  virtio_queue_notify vdev 0x55d0c1f0 n 1 vq 0x55d0c3a0
  virtio_notify vdev 0x55d0c1f0 vq 0x55d0c3a0

`count_events` turns such lines into counts keyed by what they touched:

  "read e1000-mmio 0xfeb83818" / "write e1000-mmio 0xfeb83818": register
      accesses by memory region name and the physical address QEMU
      traces;
  "write=0xc3 e1000-mmio 0xfeb800c4": the writes of each value, for a
      register written with at most MAX_VALUES different values in the
      run (a setting such as an interrupt rate, not a ring index);
  "kick virtio-net 1": virtio_queue_notify, by device and queue;
  "notify virtio-net 1": virtio_notify (an interrupt the device raised or
      would raise), by device and queue.

A virtio device is known in these events only by the address of its
VirtIODevice. Its name comes from the region of the notification write
just before each virtio_queue_notify, the write that caused it
("virtio-pci-notify-virtio-net"), and a queue's number from the kicks
of that queue, remembered across calls that share `known`; what cannot
be named keeps its address.
"""

import re

# The events the count runs enable (scripts/host-agent.py switches them).
EVENTS = ("memory_region_ops_read", "memory_region_ops_write",
          "virtio_queue_notify", "virtio_notify")

LINE = re.compile(r"^(?:\d+@[\d.]+:)?(\w+) (.*)$")
FIELD = re.compile(r"(\w+) ('[^']*'|\S+)")
NOTIFY_REGION = "virtio-pci-notify-"
MAX_VALUES = 8


def _fields(text):
    return {k: v.strip("'") for k, v in FIELD.findall(text)}


def count_events(lines, known=None):
    """Returns {key: count} for the lines of a QEMU trace log. `known`
    (a dict, updated) carries the names of virtio devices and queues
    from one call to the next."""
    counts = {}
    virtio = []  # (kind, vdev, vq) in order, named once all is read
    known = {} if known is None else known
    vdev_name = known.setdefault("vdev_name", {})
    vq_index = known.setdefault("vq_index", {})
    pending_kick = None  # device whose notify register was just written
    values = {}  # written register -> {value: count}, None past MAX_VALUES
    for line in lines:
        m = LINE.match(line.rstrip("\n"))
        if not m or m.group(1) not in EVENTS:
            continue
        event, f = m.group(1), _fields(m.group(2))
        if event.startswith("memory_region_ops_"):
            kind = "read" if event.endswith("read") else "write"
            name = f.get("name", "?")
            key = f"{kind} {name} {f.get('addr', '?')}"
            counts[key] = counts.get(key, 0) + 1
            if kind == "write" and values.get(key, {}) is not None:
                seen = values.setdefault(key, {})
                value = f.get("value", "?")
                seen[value] = seen.get(value, 0) + 1
                if len(seen) > MAX_VALUES:
                    values[key] = None
            pending_kick = None
            if kind == "write" and name.startswith(NOTIFY_REGION):
                pending_kick = name[len(NOTIFY_REGION):]
        elif event == "virtio_queue_notify":
            vdev, vq = f.get("vdev"), f.get("vq")
            vq_index[vq] = f.get("n", "?")
            # The kick is traced right after the write to the notify
            # register that caused it, under QEMU's global lock.
            if pending_kick:
                vdev_name.setdefault(vdev, pending_kick)
            pending_kick = None
            virtio.append(("kick", vdev, vq))
        else:
            virtio.append(("notify", f.get("vdev"), f.get("vq")))
    for key, seen in values.items():
        for value, n in (seen or {}).items():
            counts[key.replace("write ", f"write={value} ", 1)] = n
    for kind, vdev, vq in virtio:
        key = f"{kind} {vdev_name.get(vdev, vdev)} {vq_index.get(vq, vq)}"
        counts[key] = counts.get(key, 0) + 1
    return counts
