"""ICMP and ICMPv6 entries expire after nf_conntrack_icmp(v6)_timeout idle.

Recorded with nf_conntrack_icmp_timeout=2 and nf_conntrack_icmpv6_timeout=2
(30 s by default). Every packet refreshes the timeout, whatever its direction,
replied or not; no ASSURED for ICMP. A reply that comes after the entry
expired finds nothing and cannot create an entry: INVALID. Every packet is at
least 0.3 s away from an expiry. A = 192.0.2.1, B = 198.51.100.2.

 f1  t=0.0  A->B echo id 0x0901 seq 1         NEW, entry 1 (timeout 2)
 f2  t=0.3  B->A echo reply                   ESTABLISHED/REPLY, SEEN_REPLY
 f3  t=1.3  A->B echo seq 2                   ESTABLISHED (expiry now 3.3)
 f4  t=1.6  B->A echo reply                   ESTABLISHED/REPLY (expiry 3.6)
 f5  t=4.1  B->A echo reply, 2.5 s idle       INVALID (entry 1 expired)
 f6  t=4.4  A->B echo seq 3                   NEW, entry 2
 f7  t=4.7  A->B echo id 0x0902               NEW, entry 3 (never answered yet)
 f8  t=6.2  A->B echo id 0x0902 again, 1.5 s  NEW, same entry 3 (refreshed)
 f9  t=7.0  B->A echo reply id 0x0902         ESTABLISHED/REPLY, entry 3: f8 had
                                              refreshed it (f7 + 2 s = 6.7 < 7.0)
 f10 t=7.3  B->A echo reply id 0x0901         INVALID (entry 2 expired at 6.4)
 ICMPv6 (2001:db8::1 <-> 2001:db8:1::2):
 f11 t=7.5  A->B echo request id 0x0a01       NEW, entry 4
 f12 t=7.8  B->A echo reply                   ESTABLISHED/REPLY
 f13 t=10.3 B->A echo reply, 2.5 s idle       INVALID (expired)
 f14 t=10.6 A->B echo request                 NEW, entry 5
"""
from common import A4, B4, A6, B6, Capture, ipv4, ipv6, icmp4, icmp6

cap = Capture()
D = b"timeout-test"


def v4(at, typ, ident, seq, frm="a"):
    src, dst = (A4, B4) if frm == "a" else (B4, A4)
    cap.add(ipv4(src, dst, 1, icmp4(typ, 0, ident, seq, D)), at=at, frm=frm)


def v6(at, typ, ident, seq, frm="a"):
    src, dst = (A6, B6) if frm == "a" else (B6, A6)
    cap.add(ipv6(src, dst, 58, icmp6(src, dst, typ, 0, ident, seq, D)), at=at, frm=frm)


v4(0.0, 8, 0x0901, 1)
v4(0.3, 0, 0x0901, 1, "b")
v4(1.3, 8, 0x0901, 2)
v4(1.6, 0, 0x0901, 2, "b")
v4(4.1, 0, 0x0901, 2, "b")
v4(4.4, 8, 0x0901, 3)
v4(4.7, 8, 0x0902, 1)
v4(6.2, 8, 0x0902, 2)
v4(7.0, 0, 0x0902, 2, "b")
v4(7.3, 0, 0x0901, 3, "b")
v6(7.5, 128, 0x0a01, 1)
v6(7.8, 129, 0x0a01, 1, "b")
v6(10.3, 129, 0x0a01, 1, "b")
v6(10.6, 128, 0x0a01, 2)
cap.write("icmp-timeout.pcap")
