#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Carries out requests from the test guest on the QEMU monitor.

The guest writes a QEMU monitor (HMP) command into a file named
`request.<id>` in the run directory shared at /host; this agent runs it on
the monitor socket and writes the monitor's reply to `reply.<id>`. Only
commands that change the emulated hardware the tests need are allowed:
`set_link` (a NIC's link), `announce_self` (the announcement QEMU makes
after a migration), and `device_add`/`device_del` of the hotpluggable NICs
that qemu-run.sh leaves room for: only the ids, ports, netdevs and
addresses HOTPLUG_ADD and HOTPLUG_DEL match, and for a virtio-net-pci
only the extra properties (device variants) VIRTIO_NET_PROPS allows. A request "qmp QUERY" runs an
allowed read-only QMP query (`query-rx-filter`: a NIC's receive filter as
the device sees it; `query-pci`: the devices on QEMU's PCI buses) on the
QMP socket, and the reply is the JSON of its return value.

"trace on" and "trace off" bracket a count run: QEMU must run with a
trace log (qemu-run.sh --trace-log, which gives -D RUN_DIR/qemu-trace.log).
"trace on" enables the trace events in qemu_trace_counts.EVENTS (a fixed
list: MMIO accesses, virtio kicks and notifications); "trace off"
disables them and replies with the JSON of their counts since "trace on"
(see qemu_trace_counts.py).

Usage: host-agent.py RUN_DIR MONITOR_SOCKET [QMP_SOCKET]
"""

import json
import os
import re
import socket
import sys
import time

import qemu_trace_counts

ALLOWED = ("set_link ", "announce_self")
ALLOWED_QMP = ("query-rx-filter", "query-pci")
# The hotpluggable NICs (scripts/qemu-run.sh): id hpnicN on root port hpN,
# QEMU netdev hpnetN, address 52:54:00:12:34:1N; a virtio-net-pci may have
# some of VIRTIO_NET_PROPS after that (tests/guest/test_virtio_variants.sh).
HOTPLUG_ADD = re.compile(
    r"device_add (e1000|virtio-net-pci),id=hpnic([0-9]),bus=hp\2,"
    r"netdev=hpnet\2,mac=52:54:00:12:34:1\2,romfile=((?:,[a-z_]+=[0-9a-z]+)*)")
HOTPLUG_DEL = re.compile(r"device_del hpnic[0-9]")
# The device variants the guest may ask for: each property at most once,
# with a value its pattern matches in full. The feature switches can only
# be turned off (or, for the packed ring, on); host_mtu is QEMU's range
# (68 to 65535), rx_queue_size its powers of two.
VIRTIO_NET_PROPS = {
    "packed": r"on",
    "mrg_rxbuf": r"off",
    "host_mtu": r"6[89]|[7-9][0-9]|[1-9][0-9]{2,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}"
                r"|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]",
    "speed": r"10|100|1000|2500|5000|10000|25000|40000|50000|100000",
    "duplex": r"full|half",
    "ctrl_vq": r"off",
    "ctrl_rx": r"off",
    "ctrl_vlan": r"off",
    "guest_announce": r"off",
    "ctrl_mac_addr": r"off",
    "status": r"off",
    "rx_queue_size": r"256|512|1024",
}


def props_allowed(model, props):
    """Whether PROPS (",name=value" repeated, or empty) may follow a
    device_add of MODEL: only for virtio-net-pci, only VIRTIO_NET_PROPS,
    each once."""
    if not props:
        return True
    if model != "virtio-net-pci":
        return False
    seen = set()
    for prop in props[1:].split(","):
        name, value = prop.split("=", 1)
        pattern = VIRTIO_NET_PROPS.get(name)
        if pattern is None or name in seen or re.fullmatch(pattern, value) is None:
            return False
        seen.add(name)
    return True


def allowed(command):
    """Whether the guest may have the monitor run this HMP command."""
    add = HOTPLUG_ADD.fullmatch(command)
    if add is not None:
        return props_allowed(add.group(1), add.group(3))
    return command.startswith(ALLOWED) or HOTPLUG_DEL.fullmatch(command) is not None


def monitor(sock_path, command):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(sock_path)
        time.sleep(0.1)
        s.recv(65536)  # banner and prompt
        s.sendall(command.encode() + b"\n")
        time.sleep(0.2)
        try:
            return s.recv(65536).decode(errors="replace")
        except socket.timeout:
            return ""


def qmp(sock_path, command, arguments=None):
    """Runs one QMP command; returns the JSON of its return value, or of
    its error."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(sock_path)
        stream = s.makefile("rw")

        def reply():
            # Events may come first; the answer has "return" or "error".
            while True:
                line = stream.readline()
                if not line:
                    return {"error": "QMP closed the connection"}
                msg = json.loads(line)
                if "return" in msg or "error" in msg:
                    return msg

        stream.readline()  # greeting
        for cmd, args in (("qmp_capabilities", None), (command, arguments)):
            stream.write(json.dumps({"execute": cmd, **({"arguments": args} if args else {})}) + "\n")
            stream.flush()
            msg = reply()
        return json.dumps(msg.get("return", msg))


class Tracer:
    """Switches the counted trace events on and off and counts what QEMU
    logged in between."""

    def __init__(self, qmp_path, log_path):
        self.qmp_path, self.log_path, self.start = qmp_path, log_path, None
        self.known = {}  # virtio device and queue names, for the whole boot

    def _set(self, enable):
        for name in qemu_trace_counts.EVENTS:
            reply = json.loads(qmp(self.qmp_path, "trace-event-set-state",
                                   {"name": name, "enable": enable}))
            if reply != {}:
                raise ValueError(f"trace-event-set-state {name}: {reply}")

    def on(self):
        if not os.path.exists(self.log_path):
            return "refused: QEMU runs without a trace log (qemu-run.sh --trace-log)"
        self.start = os.path.getsize(self.log_path)
        self._set(True)
        return "on"

    def off(self):
        self._set(False)
        if self.start is None:
            return json.dumps({"error": "trace off without trace on"})
        time.sleep(0.2)  # a vCPU may be writing its last line
        with open(self.log_path, errors="replace") as f:
            f.seek(self.start)
            counts = qemu_trace_counts.count_events(f, self.known)
        self.start = None
        return json.dumps(counts, sort_keys=True)


def main():
    run_dir, sock_path = sys.argv[1], sys.argv[2]
    qmp_path = sys.argv[3] if len(sys.argv) > 3 else None
    tracer = Tracer(qmp_path, os.path.join(run_dir, "qemu-trace.log"))
    while True:
        for name in sorted(os.listdir(run_dir)):
            if not name.startswith("request.") or name.endswith(".tmp"):
                continue
            path = os.path.join(run_dir, name)
            with open(path) as f:
                command = f.read().strip()
            os.unlink(path)
            query = command[len("qmp "):] if command.startswith("qmp ") else None
            if query is not None and query in ALLOWED_QMP and qmp_path:
                try:
                    reply = qmp(qmp_path, query)
                except (OSError, ValueError) as e:
                    reply = json.dumps({"error": str(e)})
            elif command in ("trace on", "trace off") and qmp_path:
                try:
                    reply = tracer.on() if command == "trace on" else tracer.off()
                except (OSError, ValueError) as e:
                    reply = json.dumps({"error": str(e)})
            elif query is None and allowed(command):
                reply = monitor(sock_path, command)
            else:
                reply = "refused: " + command
            reply_path = os.path.join(run_dir, "reply." + name.split(".", 1)[1])
            with open(reply_path + ".tmp", "w") as f:
                f.write(reply)
            os.rename(reply_path + ".tmp", reply_path)
        time.sleep(0.1)


if __name__ == "__main__":
    main()
