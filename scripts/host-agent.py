#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Carries out requests from the test guest on the QEMU monitor.

The guest writes a QEMU monitor (HMP) command into a file named
`request.<id>` in the run directory shared at /host; this agent runs it on
the monitor socket and writes the monitor's reply to `reply.<id>`. Only
commands that change the emulated hardware the tests need are allowed:
`set_link` (a NIC's link) and `announce_self` (the announcement QEMU makes
after a migration). A request "qmp QUERY" runs an allowed read-only QMP
query (`query-rx-filter`: a NIC's receive filter as the device sees it)
on the QMP socket, and the reply is the JSON of its return value.

Usage: host-agent.py RUN_DIR MONITOR_SOCKET [QMP_SOCKET]
"""

import json
import os
import socket
import sys
import time

ALLOWED = ("set_link ", "announce_self")
ALLOWED_QMP = ("query-rx-filter",)


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


def qmp(sock_path, command):
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
        for cmd in ("qmp_capabilities", command):
            stream.write(json.dumps({"execute": cmd}) + "\n")
            stream.flush()
            msg = reply()
        return json.dumps(msg.get("return", msg))


def main():
    run_dir, sock_path = sys.argv[1], sys.argv[2]
    qmp_path = sys.argv[3] if len(sys.argv) > 3 else None
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
            elif query is None and command.startswith(ALLOWED):
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
