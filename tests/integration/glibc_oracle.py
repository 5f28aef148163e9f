#!/usr/bin/env python3
"""glibc_oracle.py - checks what glibc's `files` services source answers
for a services(5) file that gen-services wrote, against expectations computed
independently from the registry XML.

Usage: glibc_oracle.py REGISTRY_XML SERVICES_FILE

Run it inside a mount namespace where SERVICES_FILE is bind-mounted over
/etc/services (and nsswitch.conf says "services: files"); test-glibc-agrees.sh
does that.  The oracle never looks at gen-services' output to compute what
to expect: it parses the XML itself with xml.etree.ElementTree.

Model (the services(5) contract of gen-services):
  - only records with a name, a port (or range) and a protocol take part;
    a name holding whitespace, '#' or a control character cannot stand in a
    services line and is left out;
  - one line per port (or range) and protocol, in registry order of that
    port/protocol's first record; the first name is canonical, later
    distinct names are aliases; a range writes its first port;
  - glibc answers NAME/PROTO with the first line (file order) having NAME as
    canonical name or alias for PROTO, and PORT/PROTO with the first line
    for that port and protocol.

Queries go through the real getent (many keys per invocation), names that a
getent key cannot express (holding '/', or all digits) through Python's
socket.getservbyname and libc's getservbyname via ctypes, and a sample of
ports through socket.getservbyport.  Exit 0 when everything agrees, 1 on a
mismatch (the first 20 are listed), 2 on trouble.
"""

import ctypes
import ctypes.util
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.iana.org/assignments}"
PROTOCOLS = ("tcp", "udp", "sctp", "dccp")
BATCH = 1500          # keys per getent invocation
SHOW = 20             # mismatches listed


def text_of(record, tag):
    element = record.find(NS + tag)
    if element is None:
        return ""
    return "".join(element.itertext()).strip()


def name_fits_services_line(name):
    return bool(name) and not any(c.isspace() or c == "#" or ord(c) < 32 or ord(c) == 127 for c in name)


def load_groups(path):
    """Port/protocol groups in order of first appearance, and the named
    records (name, protocol, first port) in registry order."""
    root = ET.parse(path).getroot()
    if root.tag != NS + "registry":
        raise SystemExit("glibc_oracle: %s: root is %s, not an IANA registry" % (path, root.tag))
    groups = {}    # (protocol, first, last) -> [names...]
    order = []     # keys of groups in first-appearance order
    records = []   # (name, protocol, first) per taking-part record
    for record in root.iter(NS + "record"):
        name = text_of(record, "name")
        protocol = text_of(record, "protocol").lower()
        number = text_of(record, "number")
        if not name or not protocol or not number:
            continue
        if protocol not in PROTOCOLS:
            raise SystemExit("glibc_oracle: unexpected protocol %r for %r" % (protocol, name))
        first, _, last = number.partition("-")
        first = int(first)
        last = int(last) if last else first
        if not name_fits_services_line(name):
            continue
        key = (protocol, first, last)
        if key not in groups:
            groups[key] = []
            order.append(key)
        if name not in groups[key]:
            groups[key].append(name)
        records.append((name, protocol, first))
    return [(key, groups[key]) for key in order], records


def line_of(key, names):
    protocol, first, _ = key
    return " ".join([names[0], "%d/%s" % (first, protocol)] + names[1:])


def normalize(line):
    return " ".join(line.split())


def getent(keys):
    """Answers of `getent services KEYS...` as {key: line or None}.  getent
    prints one line per key it finds and nothing for the others, so a batch
    whose line count is short is split until every answer is placed."""
    answers = {}

    def run(batch):
        proc = subprocess.run(["getent", "--", "services"] + batch, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True)
        lines = proc.stdout.splitlines()
        if proc.returncode not in (0, 2):
            raise SystemExit("glibc_oracle: getent services failed (exit %d): %s"
                             % (proc.returncode, proc.stderr.strip()))
        if len(lines) == len(batch) and proc.returncode == 0:
            for key, line in zip(batch, lines):
                answers[key] = normalize(line)
        elif len(batch) == 1:
            if lines:
                raise SystemExit("glibc_oracle: getent services %s printed %r but exited %d"
                                 % (batch[0], lines, proc.returncode))
            answers[batch[0]] = None
        elif not lines:
            for key in batch:
                answers[key] = None
        else:
            half = len(batch) // 2
            run(batch[:half])
            run(batch[half:])

    for i in range(0, len(keys), BATCH):
        run(keys[i:i + BATCH])
    return answers


class Servent(ctypes.Structure):
    _fields_ = [("s_name", ctypes.c_char_p), ("s_aliases", ctypes.POINTER(ctypes.c_char_p)),
                ("s_port", ctypes.c_int), ("s_proto", ctypes.c_char_p)]


def libc_getservbyname():
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None)
    function = libc.getservbyname
    function.restype = ctypes.POINTER(Servent)
    function.argtypes = [ctypes.c_char_p, ctypes.c_char_p]

    def lookup(name, protocol):
        entry = function(name.encode(), protocol.encode())
        if not entry:
            return None
        e = entry.contents
        names = [e.s_name.decode()]
        i = 0
        while e.s_aliases[i]:
            names.append(e.s_aliases[i].decode())
            i += 1
        port = socket.ntohs(e.s_port & 0xFFFF)
        return " ".join([names[0], "%d/%s" % (port, e.s_proto.decode())] + names[1:])
    return lookup


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: glibc_oracle.py REGISTRY_XML SERVICES_FILE\n")
        return 2
    xml_path, services_path = sys.argv[1:]
    with open(services_path, "rb") as f, open("/etc/services", "rb") as g:
        if f.read() != g.read():
            print("glibc_oracle: /etc/services is not %s: the bind mount is not in effect" % services_path)
            return 2

    groups, records = load_groups(xml_path)
    expected_lines = [line_of(key, names) for key, names in groups]
    by_name = {}   # (name, protocol) -> line of the first group carrying it
    by_port = {}   # (port, protocol) -> line of the first group on that port
    for (key, names), line in zip(groups, expected_lines):
        protocol, first, _ = key
        by_port.setdefault((first, protocol), line)
        for name in names:
            by_name.setdefault((name, protocol), line)

    mismatches = []

    def mismatch(what, got, want):
        mismatches.append("%s: glibc says %r, registry says %r" % (what, got, want))

    # 1. Enumeration (getservent): every line, in order.
    proc = subprocess.run(["getent", "services"], stdout=subprocess.PIPE, universal_newlines=True)
    enumerated = [normalize(line) for line in proc.stdout.splitlines()]
    if enumerated != expected_lines:
        for i in range(max(len(enumerated), len(expected_lines))):
            got = enumerated[i] if i < len(enumerated) else None
            want = expected_lines[i] if i < len(expected_lines) else None
            if got != want:
                mismatch("getent services (entry %d of the enumeration)" % (i + 1), got, want)
                break
        if len(enumerated) != len(expected_lines):
            mismatch("getent services: number of entries", len(enumerated), len(expected_lines))

    # 2. Every named record's NAME/PROTO and PORT/PROTO, in registry order.
    name_keys, port_keys, special = [], [], []
    seen = set()
    for name, protocol, first in records:
        if (name, protocol) not in seen:
            seen.add((name, protocol))
            if "/" in name or name.isdigit():
                special.append((name, protocol))
            else:
                name_keys.append("%s/%s" % (name, protocol))
        key = "%d/%s" % (first, protocol)
        if key not in seen:
            seen.add(key)
            port_keys.append(key)
    answers = getent(name_keys + port_keys)
    for key in name_keys:
        name, _, protocol = key.rpartition("/")
        if answers[key] != by_name[(name, protocol)]:
            mismatch("getent services " + key, answers[key], by_name[(name, protocol)])
    for key in port_keys:
        port, _, protocol = key.partition("/")
        if answers[key] != by_port[(int(port), protocol)]:
            mismatch("getent services " + key, answers[key], by_port[(int(port), protocol)])

    # 3. Names a getent key cannot carry: socket.getservbyname (port) and
    #    libc getservbyname through ctypes (the whole entry).
    lookup = libc_getservbyname()
    for name, protocol in special:
        want = by_name[(name, protocol)]
        want_port = int(want.split()[1].split("/")[0])
        try:
            got_port = socket.getservbyname(name, protocol)
        except OSError:
            got_port = None
        if got_port != want_port:
            mismatch("socket.getservbyname(%r, %r)" % (name, protocol), got_port, want_port)
        got = lookup(name, protocol)
        if got is None or normalize(got) != want:
            mismatch("getservbyname(%r, %r)" % (name, protocol), got, want)

    # 4. socket.getservbyport on a sample of ports (every 20th, plus a few).
    sample = port_keys[::20] + [k for k in ("80/tcp", "18/tcp", "6000/tcp", "443/sctp", "5783/udp")
                                if k in port_keys]
    for key in sample:
        port, _, protocol = key.partition("/")
        want = by_port[(int(port), protocol)].split()[0]
        try:
            got = socket.getservbyport(int(port), protocol)
        except OSError:
            got = None
        if got != want:
            mismatch("socket.getservbyport(%s, %r)" % (port, protocol), got, want)

    print("oracle: %d named records with port and protocol; %d port/protocol lines expected, "
          "%d enumerated by getservent"
          % (len(records), len(expected_lines), len(enumerated)))
    print("oracle: getent checked %d name/protocol keys and %d port/protocol keys; "
          "%d names with '/' or all digits via getservbyname (%s); %d ports via socket.getservbyport"
          % (len(name_keys), len(port_keys), len(special),
             ", ".join(sorted(set(n for n, _ in special))) or "none", len(sample)))
    if mismatches:
        print("oracle: %d mismatch(es); the first %d:" % (len(mismatches), min(SHOW, len(mismatches))))
        for m in mismatches[:SHOW]:
            print("  " + m)
        return 1
    print("oracle: glibc agrees with the registry on every query")
    return 0


if __name__ == "__main__":
    sys.exit(main())
