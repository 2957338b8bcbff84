"""Conntrack zones and marks (set by a user ruleset): what table.txt, the
events and the lookups do with them. Recorded with
--rules tests/scenarios/table_marks_zones.rules (run record.sh from the
repository root): raw PREROUTING `-j CT --zone 7` for UDP port 7801 (both
directions), `--zone-orig 8` for A->B:7802, `--zone 9` for port 7803 only
when the TTL is 63, `--zone-reply 10` for A->B:7804; mangle PREROUTING
CONNMARK: mark 0x2a on A->B:7805, OR 0x100 on B:7806->A, 0xffffffff on NEW
packets to 7807. Default sysctls.

A = 192.0.2.1, B = 198.51.100.2; UDP A:4180n <-> B:780n.
 f1  A->B :7801 (zone 7)          NEW entry 1
 f2  B->A :7801 (zone 7)          ESTABLISHED/REPLY
 f3  A->B :7803 TTL 64 (zone 0)   NEW entry 2
 f4  A->B :7803 TTL 63 (zone 9)   the same 5-tuple in zone 9: another entry (3)
 f5  B->A :7803 TTL 64            reply of entry 2 (zone 0)
 f6  B->A :7803 TTL 63            reply of entry 3 (zone 9)
 f7  A->B :7802 (zone-orig 8)     NEW entry 4
 f8  B->A :7802 (no template: zone 0)  ESTABLISHED/REPLY: the reply direction of
                                  a zone-orig entry lives in zone 0
 f9  A->B :7802 again             ESTABLISHED
 f10 A->B :7804 (zone-reply 10)   NEW entry 5: original tuple hashed in zone 0,
                                  reply tuple in zone 10
 f11 B->A :7804 (zone 0)          not entry 5's reply (that needs zone 10): NEW/
                                  ORIGINAL, a new B->A entry in zone 0, which
                                  clashes at confirm with entry 5 (whose
                                  original tuple is in zone 0 too) and is merged
                                  into it (UDP clash resolution): no NEW event,
                                  no new entry, entry 5 stays UNREPLIED
 f12 A->B :7805 (CONNMARK 0x2a)   NEW entry, mark=42 from the start
 f13 B->A :7805                   ESTABLISHED/REPLY, mark stays 42
 f14 A->B :7806                   NEW, mark 0
 f15 B->A :7806 (OR 0x100)        ESTABLISHED/REPLY, mark 256 (an UPDATE event)
 f16 A->B :7806                   ESTABLISHED, mark 256
 f17 A->B :7807 (NEW: 0xffffffff) NEW, mark=4294967295
 f18 A->B :7807 again             NEW (unreplied), the same mark again: no event
 f19 B->A ICMP port unreachable quoting f1 (the zone-7 flow), no template
                                  INVALID: looked up in zone 0
 f20 B->A ICMP port unreachable quoting f12   RELATED/REPLY (zone 0 entry)
What the kernel printed. table.txt: `... dport=7801 src=... dport=41801
mark=0 zone=7 use=2`; the zone-0 twin and the zone-9 twin of port 7803 (same
tuples, `zone=0` / `zone=9`); `... dport=7802 zone-orig=8 src=... mark=0 use=2`
and `... [UNREPLIED] src=... dport=41804 zone-reply=10 mark=0 use=2` (a
directional zone is printed after its tuple and there is no `zone=` at the
end); `mark=42`, `mark=256`, `mark=4294967295` (decimal). events.txt: `zone=7`
at the end of a line, `zone-orig=8` / `zone-reply=10` after the tuple,
`mark=N` only when not 0; f15 gives `[UPDATE] ... mark=256`; f18 no event.
Harness note: packets.jsonl gives f5 `entry 3`, but its event is `UPDATE 2`:
kernel-replay matches entries by tuple without the zone, so for the two
7803 twins trust the events (f5 is entry 2's reply, f6 entry 3's); f11's
`entry 5` is right only in that it was merged into entry 5.
"""
from scapy.all import IP, UDP, Raw
from common import A4, B4, Capture
from common_l4 import icmp4_err
from common import ipv4

cap = Capture()


def a2b(n, ttl=64):
    p = IP(src=A4, dst=B4, ttl=ttl) / UDP(sport=41800 + n, dport=7800 + n) / Raw(b"a%d" % n)
    cap.add(p, gap=0.01, frm="a")
    return p


def b2a(n, ttl=64):
    p = IP(src=B4, dst=A4, ttl=ttl) / UDP(sport=7800 + n, dport=41800 + n) / Raw(b"b%d" % n)
    cap.add(p, gap=0.01, frm="b")
    return p


f1 = a2b(1)
b2a(1)
a2b(3)
a2b(3, ttl=63)
b2a(3)
b2a(3, ttl=63)
a2b(2)
b2a(2)
a2b(2)
a2b(4)
b2a(4)
f12 = a2b(5)
b2a(5)
a2b(6)
b2a(6)
a2b(6)
a2b(7)
a2b(7)
cap.add(ipv4(B4, A4, 1, icmp4_err(3, 3, bytes(f1)[:28])), gap=0.01, frm="b")
cap.add(ipv4(B4, A4, 1, icmp4_err(3, 3, bytes(f12)[:28])), gap=0.01, frm="b")
cap.write("table-marks-zones.pcap")
