#!/usr/bin/env python3
"""services_keys.py - the name/protocol keys of a services(5) file, read
the way glibc's `files` source reads it, and a check that another file
answers each of them as the first did.

Usage:
  services_keys.py keys FILE        one line per key, in file order:
                                    "NAME/PROTO PORT CANONICAL"
  services_keys.py compare OLD NEW  every key of OLD must resolve in NEW to
                                    the same port and canonical name; prints
                                    "kept K/N keys"; exit 1 (listing the
                                    first 20 losses) when one does not

The parser is written here, independently of gen-services: a line is
"name port/protocol [aliases...]" up to a '#'; a line without a numeric
port (0-65535) and a protocol is skipped, as glibc skips it.  A key is a
name (canonical or alias) with a protocol; the first line carrying it
answers it (glibc scans in file order).
"""

import sys


def entries(path):
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode("utf-8", "surrogateescape").split("#", 1)[0].split()
            if len(line) < 2 or "/" not in line[1]:
                continue
            port, _, protocol = line[1].partition("/")
            if not port.isdigit() or int(port) > 65535 or not protocol:
                continue
            yield line[0], int(port), protocol, line[2:]


def keys(path):
    """(name, protocol) -> (port, canonical name), first line wins."""
    found = {}
    for name, port, protocol, aliases in entries(path):
        for n in [name] + aliases:
            found.setdefault((n, protocol), (port, name))
    return found


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "keys":
        for (name, protocol), (port, canonical) in keys(sys.argv[2]).items():
            print("%s/%s %d %s" % (name, protocol, port, canonical))
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == "compare":
        old, new = keys(sys.argv[2]), keys(sys.argv[3])
        lost = []
        for key, want in old.items():
            got = new.get(key)
            if got != want:
                lost.append("%s/%s: %s answers %s, %s answers %s"
                            % (key[0], key[1], sys.argv[2], "%d %s" % want, sys.argv[3],
                               "%d %s" % got if got else "nothing"))
        print("kept %d/%d keys" % (len(old) - len(lost), len(old)))
        for line in lost[:20]:
            print("  lost: " + line)
        return 1 if lost or not old else 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
