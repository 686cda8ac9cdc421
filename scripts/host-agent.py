#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Carries out requests from the test guest on the QEMU monitor.

The guest writes a QEMU monitor (HMP) command into a file named
`request.<id>` in the run directory shared at /host; this agent runs it on
the monitor socket and writes the monitor's reply to `reply.<id>`. Only
commands that change the emulated hardware the tests need are allowed.

Usage: host-agent.py RUN_DIR MONITOR_SOCKET
"""

import os
import socket
import sys
import time

ALLOWED = ("set_link ",)


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


def main():
    run_dir, sock_path = sys.argv[1], sys.argv[2]
    while True:
        for name in sorted(os.listdir(run_dir)):
            if not name.startswith("request.") or name.endswith(".tmp"):
                continue
            path = os.path.join(run_dir, name)
            with open(path) as f:
                command = f.read().strip()
            os.unlink(path)
            if command.startswith(ALLOWED):
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
