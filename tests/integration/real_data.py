#!/usr/bin/env python3
"""real_data.py - independent oracle for test-real-data.sh: checks the
`gen-services --format json` view of the real IANA registry files against
what the Python standard library reads from the same files.

  real_data.py full XML JSONL
      The 2026-08-17 XML: JSON shape, the counts ../shared/registry/README.md
      states, spot checks, and every record field for field against
      xml.etree.ElementTree (record lines against xml.parsers.expat).
  real_data.py records XML JSONL
      Only the field-for-field comparison (used on the 2024-03-18 XML).
  real_data.py csv CSV JSONL
      Every CSV row against Python's csv module (RFC 4180).
  real_data.py compare XML_JSONL CSV_JSONL CUTOFF
      The CSV snapshot against the older XML, record for record: every
      difference must be explained by a registry change after CUTOFF.
  real_data.py seeds SEED_JSONL XML_JSONL CUTOFF
      The records of a plain-text excerpt (../shared/seeds) against the
      XML's: description and notes must be the same strings for every
      record not changed after CUTOFF (the excerpt's Last Updated).

Free text (description, notes, unauthorized) is compared exactly, as the
flowed text the model promises (flow() below): a whitespace run holding
one line break is one space, one holding more is a paragraph break
"\n\n", ends trimmed.

The oracle never derives its expectations from gen-services: it parses the
files itself.  Exit 0 when everything agrees, 1 otherwise (the first
differences are listed), 2 on trouble.
"""

import collections
import csv
import json
import re
import sys
import xml.etree.ElementTree as ET
import xml.parsers.expat

NS = "{http://www.iana.org/assignments}"
PROTOCOLS = ("tcp", "udp", "sctp", "dccp")
JSON_KEYS = ("line", "name", "port", "port_last", "protocol", "status", "description", "assignees",
             "contacts", "registered", "modified", "references", "service_code", "unauthorized", "notes")
PERSON_KEYS = ("id", "name", "org", "uri", "updated")
REFERENCE_KEYS = ("type", "data", "text", "section")
SHOW = 20

# ../shared/registry/README.md, "Facts worth knowing about the data".
README_FACTS = collections.OrderedDict([
    ("records", 14533),
    ("records with name, protocol and port", 11723),
    # The README says "1,070 named records have no port and no protocol";
    # 1,070 have no port, and 489 of those do name a protocol.
    ("named records without a port", 1070),
    ("named records without port and protocol", None),
    ("records without a name", 1724),
    ("protocol tcp", 6606),
    ("protocol udp", 6356),
    ("protocol sctp", 93),
    ("protocol dccp", 11),
    ("protocol none", 1467),
    # As written: six of the 766 are "N-N" (4748-4748), one port.
    ("records with a port range (as written)", 766),
    ("records spanning several ports", None),
    # x11 tcp/udp, ircu tcp; five more named ranges have no protocol.
    ("named records with a port range and a protocol", 3),
    ("records reporting unauthorized use", 112),
    ("port/protocol pairs with several names", 226),
    ("name/protocol pairs on several ports", 60),
    # Counted over records (39 and 97 distinct names).
    ("records whose name has upper case", 72),
    ("records whose name is outside letters-digits-hyphens", 185),
])
README_PEOPLE = 5615


class Report:
    def __init__(self):
        self.problems = collections.OrderedDict()  # section -> [messages]

    def add(self, section, message):
        self.problems.setdefault(section, []).append(message)

    def count(self):
        return sum(len(v) for v in self.problems.values())

    def show(self):
        for section, messages in self.problems.items():
            print("MISMATCH %s: %d; the first %d:" % (section, len(messages), min(SHOW, len(messages))))
            for m in messages[:SHOW]:
                print("  " + m)


def ws(text):
    """Whitespace runs made one space, ends trimmed; None stays None."""
    return None if text is None else " ".join(text.split())


def flow(text):
    """TEXT as flowed text: a run of whitespace holding one line break
    becomes one space, a run holding several "\n\n", other runs stay;
    ends trimmed; None (or nothing left) is None."""
    if text is None:
        return None

    def run(match):
        breaks = match.group(0).count("\n")
        return match.group(0) if breaks == 0 else " " if breaks == 1 else "\n\n"
    text = re.sub(r"[ \t\n\r\f\v]+", run, text).strip(" \t\n\r\f\v")
    return text or None


# ---- the XML oracle ---------------------------------------------------------

def local(tag):
    return tag[len(NS):] if tag.startswith(NS) else None


def render(element, parts=None):
    """Running text of ELEMENT as IANA renders it in its CSV: <br/> and
    <paragraph> break lines like any line break of the text (the CSV shows
    "<br/><br/>" as one: a word separator once flowed), an inline <xref>
    becomes "[RFC6614]" or "[data]"."""
    top = parts is None
    parts = [] if top else parts
    parts.append(element.text or "")
    for child in element:
        tag = local(child.tag)
        if tag in ("br", "paragraph"):
            so_far = "".join(parts)
            if so_far and so_far[-1] not in " \t\n\r":
                parts.append(" ")
            render(child, parts)
        elif tag == "xref":
            data = child.get("data")
            if data is not None:
                if child.get("type") == "rfc" and data.lower().startswith("rfc"):
                    data = "RFC" + data[3:]
                parts.append("[%s]" % data)
            render(child, parts)
        elif tag is not None:
            render(child, parts)
        parts.append(child.tail or "")
    return "".join(parts) if top else None


def text_or_none(text):
    text = text.strip() if text is not None else None
    return text or None


def record_lines(path):
    """The line each <record> reports, from expat: its start tag's line,
    on every line of the file (the SAX parser counts lines itself; a
    tree's 16-bit element lines no longer come into it)."""
    lines = []
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    state = {"depth": 0}

    def start(name, _attrs):
        state["depth"] += 1
        if name == "http://www.iana.org/assignments record" and state["depth"] == 2:
            lines.append((parser.CurrentLineNumber,))

    def end(_name):
        state["depth"] -= 1
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    with open(path, "rb") as f:
        parser.ParseFile(f)
    return lines


def status_of(name, description):
    if name is not None:
        return "assigned"
    first = (description or "").split()
    first = first[0] if first else ""
    # IANA writes "unassigned" in lower case on a few rows (114, 1895).
    if first.lower() == "reserved":
        return "reserved"
    if first.lower() == "unassigned":
        return "unassigned"
    return "unnamed"


def load_xml(path):
    """(records, people, number of <person> entries, updated) of the
    registry at PATH, records as dicts shaped like gen-services' JSON
    (person references as bare ids)."""
    root = ET.parse(path).getroot()
    if root.tag != NS + "registry":
        raise SystemExit("real_data: %s: not an IANA registry" % path)
    people = {}
    people_element = root.find(NS + "people")
    persons = people_element.findall(NS + "person") if people_element is not None else []
    for person in persons:
        pid = person.get("id")
        if pid in people:
            continue  # the first of duplicates wins
        people[pid] = {
            "id": pid,
            "name": text_or_none(person.findtext(NS + "name")),
            "org": text_or_none(person.findtext(NS + "org")),
            # A few persons list two <uri>s; the model keeps all, space-separated.
            "uri": [text_or_none(u.text) for u in person.findall(NS + "uri")] or [None],
            "updated": text_or_none(person.findtext(NS + "updated")),
        }
    lines = record_lines(path)
    records = []
    for index, element in enumerate(root.findall(NS + "record")):
        fields = collections.defaultdict(list)
        for child in element:
            fields[local(child.tag)].append(child)

        def single(tag):
            found = fields.get(tag)
            return text_or_none(render(found[0])) if found else None

        name = single("name")
        protocol = single("protocol")
        number = single("number")
        written_range = number is not None and "-" in number
        port = port_last = None
        if number is not None:
            first, _, last = number.partition("-")
            port = int(first)
            port_last = int(last) if last else port
        contacts = [x.get("data") for x in fields.get("xref", []) if x.get("type") == "person"]
        assignees = None
        for assignee in fields.get("assignee", []):
            assignees = (assignees or []) + [x.get("data") for x in assignee.findall(NS + "xref")
                                             if x.get("type") == "person"]
        if assignees is None:  # IANA's CSV shows the contact as assignee then
            assignees = list(contacts)
        references = [{"type": x.get("type"), "data": x.get("data"), "text": text_or_none(render(x)),
                       "section": x.get("section")}
                      for x in fields.get("xref", []) if x.get("type") != "person"]
        notes = [flow(render(n)) for n in fields.get("note", [])]
        notes = [n for n in notes if n]
        sc = single("sc")
        description = single("description")
        records.append({
            "line": lines[index],
            "name": name,
            "port": port,
            "port_last": port_last,
            "protocol": protocol.lower() if protocol else None,
            "status": status_of(name, description),
            "description": flow(description),
            "assignees": assignees,
            "contacts": contacts,
            "registered": element.get("date"),
            "modified": element.get("updated"),
            "references": references,
            "service_code": int(sc) if sc is not None else None,
            "unauthorized": flow(single("unauthorized")),
            "notes": "\n\n".join(notes) if notes else None,
            "written_range": written_range,
        })
    return records, people, len(persons), root.findtext(NS + "updated")


def load_jsonl(path, report):
    records = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            try:
                record = json.loads(line)
            except ValueError as e:
                report.add("JSON syntax", "%s:%d: %s" % (path, number, e))
                continue
            if not isinstance(record, dict) or tuple(record) != JSON_KEYS:
                report.add("JSON keys", "%s:%d: keys %s, want %s"
                           % (path, number, list(record) if isinstance(record, dict) else record,
                              list(JSON_KEYS)))
                continue
            for key in ("assignees", "contacts"):
                for person in record[key]:
                    if tuple(person) != PERSON_KEYS:
                        report.add("JSON keys", "%s:%d: %s entry keys %s" % (path, number, key, list(person)))
            for reference in record["references"]:
                if tuple(reference) != REFERENCE_KEYS:
                    report.add("JSON keys", "%s:%d: reference keys %s" % (path, number, list(reference)))
            records.append(record)
    return records


def describe(record):
    port = record["port"]
    if port is not None and record["port_last"] != port:
        port = "%s-%s" % (port, record["port_last"])
    return "line %s %s %s/%s" % (record["line"], record["name"], port, record["protocol"])


def compare_records(oracle, people, got, report, label):
    """Field-for-field comparison of the oracle's records and the JSON."""
    if len(oracle) != len(got):
        report.add(label + ": record count", "JSON has %d records, the XML %d" % (len(got), len(oracle)))
    for want, have in zip(oracle, got):
        for key in JSON_KEYS:
            w, h = want[key], have[key]
            if key in ("assignees", "contacts"):
                h_ids = [p["id"] for p in h]
                if h_ids != w:
                    report.add("%s: %s" % (label, key), "%s: JSON %s, XML %s" % (describe(have), h_ids, w))
                    continue
                for person in h:
                    known = people.get(person["id"])
                    want_person = known or {"id": person["id"], "name": None, "org": None, "uri": [None],
                                            "updated": None}
                    uris = [u for u in want_person["uri"] if u is not None]
                    uri_ok = person["uri"] == (" ".join(uris) if uris else None)
                    rest = {k: ws(v) for k, v in person.items() if k != "uri"}
                    if not uri_ok or rest != {k: ws(v) for k, v in want_person.items() if k != "uri"}:
                        report.add("%s: %s details" % (label, key),
                                   "%s: JSON %s, people table %s" % (describe(have), person, want_person))
                continue
            elif key == "line":
                if h in w:
                    continue
                w = " or ".join(str(x) for x in sorted(set(w)))
            elif key == "references":
                w = [dict(r, text=ws(r["text"])) for r in w]
                h = [dict(r, text=ws(r["text"])) for r in h]
            if w != h:
                report.add("%s: %s" % (label, key), "%s: JSON %r, XML %r" % (describe(have), h, w))


# ---- the full registry -----------------------------------------------------------

def counts(records):
    c = collections.OrderedDict()
    c["records"] = len(records)
    c["records with name, protocol and port"] = sum(
        1 for r in records if r["name"] and r["protocol"] and r["port"] is not None)
    c["named records without a port"] = sum(1 for r in records if r["name"] and r["port"] is None)
    c["named records without port and protocol"] = sum(
        1 for r in records if r["name"] and r["protocol"] is None and r["port"] is None)
    c["records without a name"] = sum(1 for r in records if not r["name"])
    protocols = collections.Counter(r["protocol"] or "none" for r in records)
    for p in PROTOCOLS + ("none",):
        c["protocol " + p] = protocols.get(p, 0)
    if all("written_range" in r for r in records):  # the XML oracle only
        c["records with a port range (as written)"] = sum(1 for r in records if r["written_range"])
    c["records spanning several ports"] = sum(1 for r in records if r["port"] is not None and r["port_last"] != r["port"])
    c["named records with a port range and a protocol"] = sum(
        1 for r in records if r["name"] and r["protocol"] and r["port"] is not None and r["port_last"] != r["port"])
    c["records reporting unauthorized use"] = sum(1 for r in records if r["unauthorized"])
    full = [r for r in records if r["name"] and r["protocol"] and r["port"] is not None]
    by_port = collections.defaultdict(set)
    by_name = collections.defaultdict(set)
    for r in full:
        by_port[(r["protocol"], r["port"], r["port_last"])].add(r["name"])
        by_name[(r["name"], r["protocol"])].add((r["port"], r["port_last"]))
    c["port/protocol pairs with several names"] = sum(1 for v in by_port.values() if len(v) > 1)
    c["name/protocol pairs on several ports"] = sum(1 for v in by_name.values() if len(v) > 1)
    names = [r["name"] for r in records if r["name"]]
    c["records whose name has upper case"] = sum(1 for n in names if n != n.lower())
    c["records whose name is outside letters-digits-hyphens"] = sum(
        1 for n in names if not re.fullmatch(r"[A-Za-z0-9-]+", n))
    for status in ("assigned", "reserved", "unassigned", "unnamed"):
        c["status " + status] = sum(1 for r in records if r["status"] == status)
    return c


def find(records, **want):
    return [r for r in records if all(r[k] == v for k, v in want.items())]


def spot_checks(got, report):
    def check(what, condition, detail):
        if condition:
            print("ok: spot check: " + what)
        else:
            report.add("spot checks", "%s: %s" % (what, detail))

    hits = find(got, name="3par-mgmt-ssl", protocol="udp")
    check("3par-mgmt-ssl 5783/udp", [(r["port"], r["port_last"]) for r in hits] == [(5783, 5783)],
          [describe(r) for r in hits])
    hits = find(got, name="x11", protocol="tcp")
    check("x11 6000-6063/tcp (port 6000, port_last 6063)",
          [(r["port"], r["port_last"], r["status"]) for r in hits] == [(6000, 6063, "assigned")],
          [describe(r) for r in hits])
    hits = find(got, name="https", protocol="sctp")
    check("https 443/sctp", [r["port"] for r in hits] == [443], [describe(r) for r in hits])
    hits = find(got, name="activeraid-ssl")
    check("port-less activeraid-ssl (port null, protocol null, status assigned)",
          [(r["port"], r["port_last"], r["protocol"], r["status"]) for r in hits] == [(None, None, None, "assigned")],
          hits)
    hits = find(got, name="finger", protocol="tcp", port=79)
    check("finger 79/tcp unauthorized text",
          [r["unauthorized"] for r in hits] == ["Unauthorized use by some mail users (see [RFC4146] for details)"],
          [r["unauthorized"] for r in hits])
    hits = find(got, port=0, protocol="tcp")
    check("Reserved 0/tcp: no name, status reserved",
          [(r["name"], r["description"], r["status"]) for r in hits] == [(None, "Reserved", "reserved")],
          [(r["name"], r["description"], r["status"]) for r in hits])
    hits = find(got, port=13219, port_last=13222)
    check("13219-13222: Unassigned range, status unassigned",
          len(hits) >= 1 and all(r["name"] is None and r["status"] == "unassigned" and r["description"] == "Unassigned"
                                 for r in hits), hits)
    hits = find(got, name="http", protocol="tcp", port=80)
    check("http 80/tcp: assignee IESG, contact IETF_Chair, modified 2021-10-01, RFC 9110",
          [([p["id"] for p in r["assignees"]], [p["id"] for p in r["contacts"]], r["modified"],
            [x["data"] for x in r["references"]]) for r in hits]
          == [(["IESG"], ["IETF_Chair"], "2021-10-01", ["rfc9110"])],
          [(r["assignees"], r["contacts"], r["modified"], r["references"]) for r in hits])
    hits = find(got, name="discard", protocol="dccp")
    check("discard 9/dccp: service code 1145656131", [r["service_code"] for r in hits] == [1145656131],
          [r["service_code"] for r in hits])


def full(xml_path, jsonl_path):
    report = Report()
    oracle, people, n_people, updated = load_xml(xml_path)
    got = load_jsonl(jsonl_path, report)
    want_counts, got_counts = counts(oracle), counts(got)
    print("%-53s %7s %7s %7s" % ("count", "README", "XML", "JSON"))
    readme_off = []
    for key, value in want_counts.items():
        readme = README_FACTS.get(key)
        print("%-53s %7s %7d %7s" % (key, "-" if readme is None else readme, value, got_counts.get(key, "-")))
        if key in got_counts and got_counts[key] != value:
            report.add("counts", "%s: gen-services' JSON has %d, the XML %d" % (key, got_counts[key], value))
        if readme is not None and readme != value:
            readme_off.append("%s: README says %d, the XML has %d" % (key, readme, value))
    print("%-53s %7d %7d %7s" % ("people table entries", README_PEOPLE, n_people, "-"))
    if n_people != README_PEOPLE:
        readme_off.append("people: README says %d, the XML has %d" % (README_PEOPLE, len(people)))
    if updated != "2026-08-17":
        readme_off.append("registry <updated>: README says 2026-08-17, the XML has %s" % updated)
    for line in readme_off:
        report.add("README facts (the data differs from ../shared/registry/README.md)", line)
    spot_checks(got, report)
    compare_records(oracle, people, got, report, "XML vs JSON")
    print("checked %d records field for field against ElementTree (lines against expat)" % len(oracle))
    return finish(report)


def records_only(xml_path, jsonl_path):
    report = Report()
    oracle, people, _, _ = load_xml(xml_path)
    got = load_jsonl(jsonl_path, report)
    compare_records(oracle, people, got, report, "XML vs JSON")
    print("checked %d records field for field against ElementTree (lines against expat)" % len(oracle))
    return finish(report)


# ---- the CSV ------------------------------------------------------------------------

def ids(cell):
    return re.findall(r"\[([^\]]+)\]", cell)


def csv_rows(path):
    """(start line, row) of every data row, by Python's csv module."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        previous = reader.line_num
        for row in reader:
            yield previous + 1, header, row
            previous = reader.line_num


def check_csv(csv_path, jsonl_path):
    report = Report()
    got = load_jsonl(jsonl_path, report)
    rows = list(csv_rows(csv_path))
    if len(rows) != len(got):
        report.add("CSV record count", "JSON has %d records, csv.reader %d rows" % (len(got), len(rows)))
    for (line, header, row), have in zip(rows, got):
        if len(row) != 12:
            report.add("CSV shape", "line %d: %d columns" % (line, len(row)))
            continue
        name, number, protocol, description, assignee, contact, registered, modified, _refs, sc, unauth, notes = row
        port = port_last = None
        if number.strip():
            first, _, last = number.strip().partition("-")
            port, port_last = int(first), int(last) if last else int(first)
        want = {
            "line": line,
            "name": name.strip() or None,
            "port": port,
            "port_last": port_last,
            "protocol": protocol.strip().lower() or None,
            "description": flow(description),
            "assignees": ids(assignee),
            "contacts": ids(contact),
            "registered": registered.strip() or None,
            "modified": modified.strip() or None,
            "service_code": int(sc) if sc.strip() else None,
            "unauthorized": flow(unauth),
            "notes": flow(notes),
        }
        for key, w in want.items():
            h = have[key]
            if key in ("assignees", "contacts"):
                h = [p["id"] for p in h]
            if h != w:
                report.add("CSV vs JSON: " + key, "%s: JSON %r, csv.reader %r" % (describe(have), h, w))
    print("checked %d CSV rows against Python's csv module" % len(rows))
    return finish(report)


# ---- CSV snapshot against the older XML ------------------------------------------

def comparable_references(references):
    """A reference as the set of strings it may be written as: the CSV
    shows [RFC9110] for <xref type="rfc" data="rfc9110"/> and the link text
    [TR-352] for <xref type="uri" data="https://...">TR-352</xref>."""
    out = []
    for r in references:
        out.append(set(ws(v).lower() for v in (r["data"], r["text"]) if v))
    return out


def references_agree(a, b):
    a, b = comparable_references(a), comparable_references(b)
    if len(a) != len(b):
        return False
    unmatched = list(b)
    for forms in a:
        for i, other in enumerate(unmatched):
            if forms & other:
                del unmatched[i]
                break
        else:
            return False
    return True


COMPARED = ("description", "assignees", "contacts", "registered", "modified", "service_code",
            "unauthorized", "notes", "references")


def paragraph_quirk(a, b):
    """A and B differ only in that one has a paragraph break where the other
    has a space: IANA's CSV renders a <br/> at the end of a line as a blank
    line in some records (iax's notes), as a space in others."""
    return (a is not None and b is not None and a != b and ws(a) == ws(b)
            and ("\n\n" in a) != ("\n\n" in b))


def differences(x, c, quirks=None):
    out = []
    for key in COMPARED:
        a, b = x[key], c[key]
        if key in ("description", "unauthorized", "notes") and paragraph_quirk(a, b):
            if quirks is not None:
                quirks.append("%s: %s" % (describe(x), key))
            continue
        if key in ("assignees", "contacts"):
            a, b = [p["id"] for p in a], [p["id"] for p in b]
        elif key == "references":
            if references_agree(a, b):
                continue
            a = [(r["data"], ws(r["text"])) for r in a]
            b = [(r["data"], ws(r["text"])) for r in b]
        if a != b:
            out.append((key, a, b))
    return out


def key_of(r):
    return (r["name"], r["protocol"], r["port"], r["port_last"])


def after(record, cutoff):
    return any((record[k] or "") > cutoff for k in ("registered", "modified"))


def compare(xml_jsonl, csv_jsonl, cutoff):
    report = Report()
    xml_records = load_jsonl(xml_jsonl, report)
    csv_records = load_jsonl(csv_jsonl, report)
    by_key_xml, by_key_csv = collections.defaultdict(list), collections.defaultdict(list)
    for i, r in enumerate(xml_records):
        by_key_xml[key_of(r)].append(i)
    for i, r in enumerate(csv_records):
        by_key_csv[key_of(r)].append(i)
    # Pair the k-th occurrence of a key in one file with the k-th in the other.
    pairs, xml_only, csv_only = [], [], []
    for key in set(by_key_xml) | set(by_key_csv):
        xs, cs = by_key_xml.get(key, []), by_key_csv.get(key, [])
        pairs.extend(zip(xs, cs))
        xml_only.extend(xs[len(cs):])
        csv_only.extend(cs[len(xs):])
    pairs.sort()
    # The pairs must keep registry order: the CSV positions must rise too.
    out_of_order = sum(1 for (_, a), (_, b) in zip(pairs, pairs[1:]) if b < a)
    if out_of_order:
        report.add("order", "%d matched records are in a different order in the CSV than in the XML"
                   % out_of_order)

    kinds = collections.Counter()
    fields_changed = collections.Counter()
    csv_by_port = collections.defaultdict(list)
    csv_by_name = collections.defaultdict(list)
    for r in csv_records:
        csv_by_port[(r["protocol"], r["port"])].append(r)
        csv_by_name[(r["name"], r["protocol"])].append(r)
    quirks = []
    for xi, ci in pairs:
        x, c = xml_records[xi], csv_records[ci]
        diff = differences(x, c, quirks)
        if not diff:
            kinds["identical"] += 1
            continue
        if after(c, cutoff):
            kinds["changed, CSV record dated after %s" % cutoff] += 1
            for key, _, _ in diff:
                fields_changed[key] += 1
            continue
        kinds["UNEXPLAINED difference"] += 1
        for key, a, b in diff:
            report.add("unexplained differences",
                       "%s (CSV line %s): %s: XML %r, CSV %r" % (describe(x), c["line"], key, a, b))
    for ci in sorted(csv_only):
        c = csv_records[ci]
        if after(c, cutoff):
            kinds["added, dated after %s" % cutoff] += 1
        elif c["name"] is None:
            kinds["added unnamed row (a Reserved/Unassigned span re-cut)"] += 1
        else:
            kinds["UNEXPLAINED only in the CSV"] += 1
            report.add("unexplained records only in the CSV", "%s: %s" % (describe(c), c["description"]))
    for xi in sorted(xml_only):
        x = xml_records[xi]
        replaced = [r for r in csv_by_port.get((x["protocol"], x["port"]), []) + csv_by_name.get((x["name"], x["protocol"]), [])
                    if after(r, cutoff)]
        if replaced:
            kinds["removed, its port or name re-registered after %s" % cutoff] += 1
        elif x["name"] is None:
            kinds["removed unnamed row (a Reserved/Unassigned span re-cut)"] += 1
        else:
            kinds["UNEXPLAINED only in the XML"] += 1
            report.add("unexplained records only in the XML", "%s: %s" % (describe(x), x["description"]))

    print("CSV %d records, XML %d records: %d matched by (name, protocol, port, port_last), "
          "%d only in the CSV, %d only in the XML"
          % (len(csv_records), len(xml_records), len(pairs), len(csv_only), len(xml_only)))
    for kind, n in sorted(kinds.items()):
        print("  %-60s %6d" % (kind, n))
    if fields_changed:
        print("  fields changed in dated records: %s"
              % ", ".join("%s %d" % kv for kv in sorted(fields_changed.items())))
    if quirks:
        print("  free text the same but for a paragraph break only in one (IANA's CSV renders"
              " a <br/> so): %d: %s" % (len(quirks), "; ".join(quirks[:4])))
    return finish(report)


def seeds(seed_jsonl, xml_jsonl, cutoff):
    """The text excerpt's records against the XML's, free text exactly."""
    report = Report()
    seed_records = load_jsonl(seed_jsonl, report)
    by_key = collections.defaultdict(list)
    for r in load_jsonl(xml_jsonl, report):
        by_key[key_of(r)].append(r)
    compared = changed = missing = indented = 0
    for r in seed_records:
        candidates = by_key.get(key_of(r), [])
        if not candidates:
            missing += 1
            continue
        x = candidates[0]
        if after(x, cutoff):
            changed += 1
            continue
        compared += 1
        fields = ["description"]
        # The text rendering has no column of its own for unauthorized use:
        # that text goes to notes there.
        if x["unauthorized"] is None:
            fields.append("notes")
        for key in fields:
            if x[key] is not None and "\n " in x[key]:
                indented += 1
            if r[key] != x[key]:
                report.add("text vs XML: " + key, "%s: text %r, XML %r" % (describe(r), r[key], x[key]))
    print("%s: %d records; %d compared with the XML's, %d changed there after %s, %d not in it"
          % (seed_jsonl, len(seed_records), compared, changed, cutoff, missing))
    if indented:
        report.add("flowed text", "%d XML fields still hold an indented line break" % indented)
    if compared == 0:
        report.add("text vs XML", "no record to compare")
    return finish(report)


def finish(report):
    if report.count():
        report.show()
        return 1
    print("all agree")
    return 0


def main():
    args = sys.argv[1:]
    if len(args) == 3 and args[0] == "full":
        return full(args[1], args[2])
    if len(args) == 3 and args[0] == "records":
        return records_only(args[1], args[2])
    if len(args) == 3 and args[0] == "csv":
        return check_csv(args[1], args[2])
    if len(args) == 4 and args[0] == "compare":
        return compare(args[1], args[2], args[3])
    if len(args) == 4 and args[0] == "seeds":
        return seeds(args[1], args[2], args[3])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
