#!/usr/bin/env python3
"""make_pcap.py - writes a classic pcap file (LINKTYPE_RAW: each frame is an
IPv4 or IPv6 packet) from packet specs, for the Wireshark plugin's tests and
benchmark.  Checksums (IPv4 header, TCP, UDP, DCCP, SCTP's CRC-32c, ICMP,
ICMPv6) are computed, so no dissector flags a bad packet.

Usage: make_pcap.py OUT SPEC...      one packet per SPEC, in order
       make_pcap.py OUT --mix N      N packets of 4096 flows on all four
                                    transports (benchmark; see mix())
       make_pcap.py OUT --stats      the capture of known composition the
                                    IANA statistics test counts (STATS)

SPEC is  PROTO:SRC:DST[:LEN]  with PROTO one of tcp, udp, sctp, dccp (IPv4),
tcp6, udp6, sctp6, dccp6 (IPv6), icmp-udp / icmp-tcp (an ICMP Destination
Unreachable, port unreachable, quoting an IPv4 UDP/TCP packet with ports
SRC -> DST) and icmp6-udp / icmp6-tcp (ICMPv6 Destination Unreachable
quoting an IPv6 packet) and vxlan-echo (a UDP datagram SRC -> DST, DST
4789 for VXLAN, carrying Ethernet, IPv4 and an ICMP echo request: ICMP
after the transport layer, not a quoted packet) and icmp-echo (an ICMP
echo request, a packet without ports; SRC and DST are ignored).  LEN, for tcp, tcp6,
udp and udp6 only: that many payload bytes (zeros), for TCP in a data
segment (ACK) instead of a SYN.

Frame lengths (the capture's bytes): tcp SYN 40, tcp with LEN 40 + LEN
(tcp6: 60 + LEN), udp 28 + LEN (udp6: 48 + LEN), sctp 52, dccp 40."""
import struct
import sys

LINKTYPE_RAW = 101
V4_A, V4_B = bytes([192, 0, 2, 1]), bytes([198, 51, 100, 2])
V6_A = bytes.fromhex("20010db8000000000000000000000001")
V6_B = bytes.fromhex("20010db8000000000000000000000002")
PROTO_NUMBERS = {"tcp": 6, "udp": 17, "dccp": 33, "sctp": 132}


def ones_complement(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return (~total) & 0xFFFF


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def pseudo_header(v6, src, dst, proto, length):
    if v6:
        return src + dst + struct.pack("!IxxxB", length, proto)
    return src + dst + struct.pack("!xBH", proto, length)


def transport(proto, sport, dport, v6, src, dst, seq=None, length=None):
    """The transport segment; SEQ given: a TCP data segment (ACK, 16
    bytes, or LENGTH) with that sequence number instead of a SYN; LENGTH
    given: a UDP payload of that many bytes, a TCP data segment of that
    many (sequence number 1 unless SEQ)."""
    payload = bytes(length or 0)
    if proto == "tcp" and length is not None and seq is None:
        seq = 1
    if proto == "tcp" and seq is not None:
        data = bytes(16 if length is None else length)
        seg = struct.pack("!HHIIBBHHH", sport, dport, seq, 1, 5 << 4, 0x10, 64240, 0, 0) + data
        csum = ones_complement(pseudo_header(v6, src, dst, 6, len(seg)) + seg)
        return seg[:16] + struct.pack("!H", csum) + seg[18:]
    if proto == "udp":
        seg = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
        csum = ones_complement(pseudo_header(v6, src, dst, 17, len(seg)) + seg) or 0xFFFF
        return seg[:6] + struct.pack("!H", csum) + seg[8:]
    if proto == "tcp":
        # SYN, data offset 5 words, window 64240.
        seg = struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, 0x02, 64240, 0, 0)
        csum = ones_complement(pseudo_header(v6, src, dst, 6, len(seg)) + seg)
        return seg[:16] + struct.pack("!H", csum) + seg[18:]
    if proto == "dccp":
        # DCCP-Request, X=1 (48-bit sequence), data offset 5 words:
        # 16-byte generic header with extended sequence number + 4-byte
        # service code; checksum coverage 0 = whole packet.
        header = struct.pack("!HHBBH", sport, dport, 5, 0, 0)
        header += struct.pack("!BBH", (0 << 1) | 1 | (0 << 1), 0, 0)  # type Request(0), X=1, reserved, seq hi
        header = header[:8] + bytes([0x01, 0x00]) + b"\0\0" + struct.pack("!I", 1)
        seg = header + struct.pack("!I", 0)  # service code 0
        csum = ones_complement(pseudo_header(v6, src, dst, 33, len(seg)) + seg)
        return seg[:6] + struct.pack("!H", csum) + seg[8:]
    if proto == "sctp":
        # Common header + one INIT chunk.
        init = struct.pack("!BBHIIHHI", 1, 0, 20, 0x11223344, 65535, 10, 10, 1)
        seg = struct.pack("!HHII", sport, dport, 0, 0) + init
        crc = crc32c(seg)
        return seg[:8] + struct.pack("<I", crc) + seg[12:]
    raise ValueError("unknown transport " + proto)


def ipv4(proto_number, payload, src=V4_A, dst=V4_B):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0x4000, 64,
                         proto_number, 0, src, dst)
    csum = ones_complement(header)
    return header[:10] + struct.pack("!H", csum) + header[12:] + payload


def ipv6(next_header, payload, src=V6_A, dst=V6_B):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), next_header, 64, src, dst) + payload


def packet(spec, seq=None):
    """The packet of SPEC; SEQ: the sequence number of a TCP data segment."""
    proto, sport, dport, *rest = spec.split(":")
    sport, dport = int(sport), int(dport)
    length = int(rest[0]) if rest else None
    if length is not None and proto not in ("tcp", "tcp6", "udp", "udp6"):
        raise ValueError("LEN is for tcp and udp only: " + spec)
    if proto in ("vxlan-echo", "icmp-echo"):
        echo = struct.pack("!BBHHH", 8, 0, 0, 1, 1) + b"ping"
        echo = echo[:2] + struct.pack("!H", ones_complement(echo)) + echo[4:]
        if proto == "icmp-echo":
            return ipv4(1, echo)
        frame = bytes.fromhex("020000000002" "020000000001" "0800") + ipv4(1, echo)
        payload = struct.pack("!BBHI", 0x08, 0, 0, 42 << 8) + frame
        seg = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
        csum = ones_complement(pseudo_header(False, V4_A, V4_B, 17, len(seg)) + seg) or 0xFFFF
        return ipv4(17, seg[:6] + struct.pack("!H", csum) + seg[8:])
    if proto.startswith("icmp6-"):
        inner_proto = proto[len("icmp6-"):]
        inner = ipv6(PROTO_NUMBERS[inner_proto],
                     transport(inner_proto, sport, dport, True, V6_A, V6_B))
        # Destination Unreachable (1), port unreachable (4), from B to A.
        body = struct.pack("!BBHI", 1, 4, 0, 0) + inner
        csum = ones_complement(pseudo_header(True, V6_B, V6_A, 58, len(body)) + body)
        body = body[:2] + struct.pack("!H", csum) + body[4:]
        return ipv6(58, body, V6_B, V6_A)
    if proto.startswith("icmp-"):
        inner_proto = proto[len("icmp-"):]
        inner = ipv4(PROTO_NUMBERS[inner_proto],
                     transport(inner_proto, sport, dport, False, V4_A, V4_B))
        body = struct.pack("!BBHI", 3, 3, 0, 0) + inner
        csum = ones_complement(body)
        body = body[:2] + struct.pack("!H", csum) + body[4:]
        return ipv4(1, body, V4_B, V4_A)
    v6 = proto.endswith("6")
    base = proto[:-1] if v6 else proto
    if v6:
        return ipv6(PROTO_NUMBERS[base], transport(base, sport, dport, True, V6_A, V6_B, seq, length))
    return ipv4(PROTO_NUMBERS[base], transport(base, sport, dport, False, V4_A, V4_B, seq, length))


# The IANA statistics test's capture (test-wireshark-stats.sh, against
# tests/fixtures/stats-registry.xml): (SPEC, packets), in this order.  The
# comments say what each packet's service port is (see
# wireshark-plugin/service_port.h) and its frame length.  No two items of
# the same branch of the tree count alike, with or without a "tcp" filter,
# so their order (by count) is fixed.
STATS = [
    ("tcp:50000:443:100", 4),   # https 443/tcp, requests: 140 bytes
    ("tcp:443:50000:1000", 3),  # https, responses (server port is the source): 1040
    ("tcp6:50001:443:60", 1),   # https over IPv6: 120
    ("tcp:50002:80:200", 5),    # http 80/tcp: 240
    ("tcp:443:80:0", 2),        # both ports assigned: the destination, http: 40
    ("udp:50003:53:30", 3),     # domain 53/udp, queries: 58
    ("udp:53:50003:100", 3),    # domain 53/udp, answers: 128
    ("tcp:50004:53:0", 2),      # domain 53/tcp: 40
    ("sctp:2905:2905", 4),      # m3ua 2905/sctp: 52
    ("dccp:50005:5004", 3),     # avt-profile-1 5004/dccp: 40
    ("tcp:50006:0:0", 2),       # Reserved 0/tcp: 40
    ("tcp:50007:79:10", 3),     # finger 79/tcp, unauthorized use reported: 50
    ("tcp:79:50007:50", 2),     # finger, its answers: 90
    ("tcp:50008:6003:0", 1),    # x11 6000-6063/tcp, unauthorized use reported on 6003: 40
    ("tcp:50009:8001:20", 3),   # 8001/tcp: an Unassigned record, User: 60
    ("udp:50010:1234:0", 2),    # 1234/udp: no record at all, User: 28
    ("udp:50011:7:4", 1),       # 7/udp: no record at all, System: 32
    ("udp:50012:1027:0", 1),    # 1027/udp: De-registered (unnamed), User: 28
    ("tcp:50013:60000:0", 2),   # 60000/tcp: no record, Dynamic/Private: 40
]


def stats():
    # A TCP flow's segments follow each other (no "retransmission").
    for spec, n in STATS:
        length = int(spec.split(":")[3]) if spec.count(":") == 3 else 0
        for i in range(n):
            yield packet(spec, 1 + i * length if spec.startswith("tcp") and length else None)


# The benchmark mix: 4096 flows (transport, ports) drawn once from a fixed
# seed: well-known, registered, reserved and dynamic ports, a named range,
# on all four transports; TCP flows carry data segments with advancing
# sequence numbers, as a real capture does.
def mix(count):
    import random
    rng = random.Random(6335)
    known = [22, 25, 53, 79, 80, 123, 443, 993, 2905, 3868, 5004, 5353, 5783, 6005, 13823, 0, 1023]
    kinds = ["tcp", "tcp", "tcp", "udp", "udp", "udp", "sctp", "dccp"]
    flows = []
    for _ in range(4096):
        proto = rng.choice(kinds)
        sport = rng.randrange(1024, 65536)
        dport = rng.choice(known) if rng.random() < 0.7 else rng.randrange(0, 65536)
        flows.append([proto, sport, dport, 1])
    for i in range(count):
        flow = flows[(i * 2654435761) % len(flows)]
        proto, sport, dport, seq = flow
        if proto == "tcp":
            flow[3] = (seq + 16) & 0xFFFFFFFF
            yield ipv4(6, transport("tcp", sport, dport, False, V4_A, V4_B, seq))
        else:
            yield ipv4(PROTO_NUMBERS[proto], transport(proto, sport, dport, False, V4_A, V4_B))


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    out = argv[1]
    if argv[2] == "--mix":
        specs = mix(int(argv[3]))
    elif argv[2] == "--stats":
        specs = stats()
    else:
        specs = (packet(s) for s in argv[2:])
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, LINKTYPE_RAW))
        for i, frame in enumerate(specs):
            f.write(struct.pack("<IIII", 1700000000 + i // 1000000, i % 1000000, len(frame), len(frame)))
            f.write(frame)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
