"""Expiry while the table is full: does an expired entry free its slot at once?
Recorded with --set nf_conntrack_max=4 --set nf_conntrack_udp_timeout=3
--set nf_conntrack_udp_timeout_stream=4 (default buckets).

An expired entry stays in the hash table, and counts towards
nf_conntrack_max, until something reaps it: a lookup that walks its hash
bucket (a packet of the same tuple in either direction), early_drop()'s scan
of the 8 buckets after a new tuple's bucket (it reaps expired entries it
passes, but they do not count as "dropped", so the packet is still refused),
the gc worker (a pass over the whole table every ~60 s here, at a moment
unrelated to the capture), or a read of /proc/net/nf_conntrack (table.txt).

A = 192.0.2.1, B = 198.51.100.2; Un = UDP A:4120n -> B:720n.
 f1-f8   t=0.00-0.07 U1 A->B, U1 B->A, U2 A->B, ... U4 B->A
                                        NEW entries 1-4 (timeout 3), SEEN_REPLY
 f9-f12  t=2.30-2.36 U1-U4 A->B         ASSURED (2 s after creation), timeout 4:
                                        expire at t=6.30, 6.32, 6.34, 6.36
 f13 t=4.00 U5 A->B (new tuple)          refused: ctstate null, DROP (4 live
                                        ASSURED entries)
 f14 t=7.00 U6 A->B (new tuple)          refused although all four entries expired
                                        0.64-0.70 s ago: they still count
 f15 t=7.10 ICMP echo A->B               refused
 f16 t=7.20 U1 A->B (entry 1's tuple)    the lookup reaps entry 1 (DESTROY 1), the
                                        count drops to 3: NEW entry 5
 f17 t=7.30 U2 B->A (entry 2's REPLY tuple)  the lookup of the reply tuple reaps
                                        entry 2 as well (DESTROY 2): NEW entry 6,
                                        whose original direction is B->A
 f18 t=7.40 U6 A->B again                refused (count 4: dead 3 and 4, 5, 6)
 f19 t=7.50 U3 A->B                      DESTROY 3, NEW entry 7
 f20 t=7.60 U7 A->B (new tuple)          refused
 f21 t=7.70 U5 B->A (new tuple)          refused
Table (read right after f21): entry 4 is dead, the read of
/proc/net/nf_conntrack reaps it and does not list it; its DESTROY 4 event
therefore comes after the last frame and packets.jsonl shows it among f21's
events. Entries 5, 6, 7 (timeout 3) UNREPLIED with 2 s left.
Caveat: if the gc worker's pass falls between t=6.36 and t=7.7 (about 2 %
of the runs) it reaps the dead entries itself and f14, f15, f18, f20 or f21
get in; the DESTROY events then come with whatever frame follows the pass.
"""
from scapy.all import IP, UDP, ICMP, Raw
from common import A4, B4, Capture

cap = Capture()


def a2b(n, at):
    cap.add(IP(src=A4, dst=B4) / UDP(sport=41200 + n, dport=7200 + n) / Raw(b"a%d" % n), at=at, frm="a")


def b2a(n, at):
    cap.add(IP(src=B4, dst=A4) / UDP(sport=7200 + n, dport=41200 + n) / Raw(b"b%d" % n), at=at, frm="b")


for n in range(1, 5):
    a2b(n, 0.02 * (n - 1))
    b2a(n, 0.01 + 0.02 * (n - 1))
for n in range(1, 5):
    a2b(n, 2.30 + 0.02 * (n - 1))
a2b(5, 4.00)
a2b(6, 7.00)
cap.add(IP(src=A4, dst=B4) / ICMP(type=8, id=0x1215, seq=1) / Raw(b"ping"), at=7.10, frm="a")
a2b(1, 7.20)
b2a(2, 7.30)
a2b(6, 7.40)
a2b(3, 7.50)
a2b(7, 7.60)
b2a(5, 7.70)
cap.write("table-expiry-full.pcap")
