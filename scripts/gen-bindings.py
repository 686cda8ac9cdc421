#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generates our netdev bindings for one kernel build tree.

`kernel::bindings` in the 7.2 tree does not declare netdevice.h or
etherdevice.h, so we run bindgen ourselves over rust/bindings/netdev.h:

- with the target kernel's own bindgen options and clang flags, read from
  the command line its build left in rust/bindings/.bindings_generated.rs.cmd,
  so that every struct layout matches the kernel the modules load into;
- with the allowlist in rust/bindings/allowlist;
- blocklisting every type that `kernel::bindings` already defines in full,
  so the generated module uses those (through a glob import) instead of
  declaring incompatible duplicates. Types the kernel only declares opaque
  (such as `net_device`) are generated here in full.

Usage: gen-bindings.py KDIR OUTPUT.rs
"""

import os
import re
import shlex
import subprocess
import sys


def kernel_bindgen_command(kdir):
    """Returns (bindgen options, clang flags) of the kernel's own run."""
    path = os.path.join(kdir, "rust/bindings/.bindings_generated.rs.cmd")
    with open(path) as f:
        line = f.readline()
    cmd = line.split(":=", 1)[1].split(" ; ", 1)[0]
    cmd = cmd.replace("$(pound)", "#")
    argv = shlex.split(cmd)
    sep = argv.index("--")
    opts, clang = argv[2:sep], argv[sep + 1:]

    # Drop the kernel's own output file and its per-object flags.
    keep = []
    skip = False
    for o in opts:
        if skip:
            skip = False
            continue
        if o == "-o":
            skip = True
            continue
        keep.append(o)
    clang = [c for c in clang
             if not c.startswith(("-Wp,-MMD", "-DKBUILD_", "-D__KBUILD_MODNAME"))]
    return keep, clang


def kernel_complete_types(kdir):
    """Names of the types `kernel::bindings` defines (not opaque ones)."""
    path = os.path.join(kdir, "rust/bindings/bindings_generated.rs")
    with open(path) as f:
        text = f.read()
    names = set(re.findall(r"^pub type (\w+)", text, re.M))
    # Enum typedefs come out as aliases (`irqreturn_t` for `irqreturn`).
    names.update(re.findall(r"^pub use self::\w+ as (\w+);", text, re.M))
    for kind, name, body in re.findall(
            r"^pub (struct|union) (\w+) \{\n(.*?)^\}", text, re.M | re.S):
        if body.strip() != "_unused: [u8; 0],":
            names.add(name)
    # bindgen's own support types are private to each generated module.
    return sorted(n for n in names if not n.startswith("__Bindgen"))


def read_allowlist(path):
    args = []
    with open(path) as f:
        for raw in f:
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            kind, pattern = line.split(None, 1)
            args += ["--allowlist-" + kind, pattern]
    return args


def main():
    kdir, output = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    header = os.path.join(top, "rust/bindings/netdev.h")
    opts, clang = kernel_bindgen_command(kdir)

    argv = ["bindgen", header] + opts
    argv += read_allowlist(os.path.join(top, "rust/bindings/allowlist"))
    for name in kernel_complete_types(kdir):
        argv += ["--blocklist-type", name]
    argv += ["-o", output + ".tmp", "--"] + clang
    argv += ["-I" + os.path.join(top, "rust"),
             "-DKBUILD_MODNAME=\"rnic_bindings\"",
             "-DKBUILD_BASENAME=\"rnic_bindings\""]

    os.makedirs(os.path.dirname(output), exist_ok=True)
    if subprocess.run(argv, cwd=kdir).returncode != 0:
        sys.exit("gen-bindings: bindgen failed for " + header)
    os.replace(output + ".tmp", output)


if __name__ == "__main__":
    main()
