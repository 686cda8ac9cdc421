#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Finds the Debian archive the host's apt already uses.

Reads the one-line entries of sources.list and sources.list.d/*.list and
the deb822 stanzas of sources.list.d/*.sources, and prints the first entry
that serves Debian's main archive (a Debian release or suite name, not the
security archive, with the main component) as two tab-separated fields:
its URI and its Signed-By keyring (a file path, or empty when the entry
names none and apt's trusted keys apply). An inline deb822 key is written
to the file given with --inline-key-file, whose path is printed instead.

Exits with 1 and says what is missing when no entry fits.

Usage: debian-archive.py [--etc DIR] [--inline-key-file FILE]
"""

import argparse
import glob
import os
import sys

# Suites of Debian's main archive: the release code names and their
# aliases. Suffixed suites (-updates, -backports, -proposed-updates) live
# in the same archive; -security does not.
DEBIAN_SUITES = {
    "buzz", "rex", "bo", "hamm", "slink", "potato", "woody", "sarge", "etch",
    "lenny", "squeeze", "wheezy", "jessie", "stretch", "buster", "bullseye",
    "bookworm", "trixie", "forky", "duke", "sid",
    "oldoldstable", "oldstable", "stable", "testing", "unstable", "experimental",
}
SAME_ARCHIVE_SUFFIXES = ("", "-updates", "-backports", "-proposed-updates")


def is_debian_suite(suite):
    return any(suite.endswith(sfx) and suite[: len(suite) - len(sfx)] in DEBIAN_SUITES
               for sfx in SAME_ARCHIVE_SUFFIXES)


def one_line_entries(path):
    """Yields (types, uris, suites, components, options) of a .list file."""
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            words = line.split()
            kind = words.pop(0)
            opts = {}
            if words and words[0].startswith("["):
                text = " ".join(words)
                inner, _, rest = text[1:].partition("]")
                words = rest.split()
                for opt in inner.split():
                    key, _, value = opt.partition("=")
                    opts[key.lower()] = value
            if len(words) < 2:
                continue
            yield [kind], [words[0]], [words[1]], words[2:], opts


def deb822_entries(path):
    """Yields (types, uris, suites, components, options) of a .sources file."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    for stanza in text.split("\n\n"):
        fields, key = {}, None
        for line in stanza.splitlines():
            if line.startswith("#"):
                continue
            if line[:1] in (" ", "\t") and key:
                # Continuation line; a lone "." stands for an empty line.
                more = line.strip()
                fields[key] += "\n" + ("" if more == "." else more)
                continue
            key, sep, value = line.partition(":")
            if not sep:
                key = None
                continue
            key = key.strip().lower()
            fields[key] = value.strip()
        if not fields or fields.get("enabled", "yes").lower() == "no":
            continue
        opts = {k: v for k, v in fields.items()
                if k not in ("types", "uris", "suites", "components")}
        yield (fields.get("types", "").split(), fields.get("uris", "").split(),
               fields.get("suites", "").split(), fields.get("components", "").split(), opts)


def entries(etc):
    main = os.path.join(etc, "sources.list")
    if os.path.isfile(main):
        yield from one_line_entries(main)
    parts = os.path.join(etc, "sources.list.d")
    for path in sorted(glob.glob(os.path.join(parts, "*.list"))):
        yield from one_line_entries(path)
    for path in sorted(glob.glob(os.path.join(parts, "*.sources"))):
        yield from deb822_entries(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--etc", default="/etc/apt", help="apt's configuration directory")
    ap.add_argument("--inline-key-file", help="where to write a key given inline")
    args = ap.parse_args()

    for types, uris, suites, comps, opts in entries(args.etc):
        if "deb" not in types or "main" not in comps:
            continue
        if not any(is_debian_suite(s) for s in suites):
            continue
        for uri in uris:
            key = opts.get("signed-by", "").strip()
            if "BEGIN PGP PUBLIC KEY BLOCK" in key:
                if not args.inline_key_file:
                    continue
                with open(args.inline_key_file, "w", encoding="utf-8") as f:
                    f.write(key.strip() + "\n")
                key = args.inline_key_file
            # Several keyrings may be given; the archive's own comes first
            # in every Debian default, and one is what we pass on.
            key = key.replace(",", " ").split()[0] if key else ""
            print(f"{uri.rstrip('/')}\t{key}")
            return 0
    print(f"no Debian archive in {args.etc}/sources.list or {args.etc}/sources.list.d/ "
          "(wanted an entry of type deb, component main, with a Debian suite such as "
          "bookworm or unstable): add one, for example from a mirror", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
