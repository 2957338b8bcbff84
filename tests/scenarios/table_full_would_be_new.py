"""Packets that could never create an entry, on a full table: INVALID (as on
an empty table) or "table full" DROP? Recorded twice from the same capture:
`table-full-would-be-new` with --set nf_conntrack_max=4 (the four TCP entries
of f1-f12 fill it, all ASSURED, so nothing can be evicted), and
`table-would-be-new-free` with default sysctls (the control: same frames,
room in the table).

In 6.18 nf_conntrack_in() runs only the ICMP/ICMPv6 error checks before the
lookup; every other protocol's checks (tcp_error, udp_error, the TCP/SCTP
"can this packet start a connection?" tests...) run in the l4 packet handler,
i.e. after resolve_normal_ct() has allocated the new entry, and allocation is
where the table-full test is. So on a full table, a packet of a new tuple is
dropped as soon as a tuple can be read from it and inverted, even if it would
have been INVALID. Only packets that fail before the allocation stay INVALID
(or RELATED / UNTRACKED).

A = 192.0.2.1, B = 198.51.100.2; E1-E4 = TCP A:40101-40104 -> B:80.
DROP below = ctstate null, verdict DROP, no entry, no reason (table full).
                                            full table (max=4)  | free table
 f1-f12 t=0.0-0.3 E1-E4 handshakes          entries 1-4, ASSURED | same
 f13 t=1.00 TCP FIN/ACK A:40110 (new tuple)  DROP                | INVALID "invalid new"
 f14 t=1.05 TCP RST A:40111                  DROP                | INVALID "invalid new"
 f15 t=1.10 TCP SYN/ACK A:40112              DROP                | INVALID "invalid new"
 f16 t=1.15 TCP ACK A:40113 (mid-stream pickup)  DROP            | NEW entry 5, ESTABLISHED, 300 s
 f17 t=1.20 TCP SYN+FIN A:40114              DROP (no reason)    | INVALID "invalid tcp flag combination"
 f18 t=1.25 TCP header cut to 2 bytes        INVALID (no ports: no tuple, no allocation) | INVALID
 f19 t=1.30 UDP length field 200 (too big)   DROP                | INVALID "truncated/malformed packet"
 f20 t=1.35 UDP header cut to 2 bytes        INVALID (no tuple)  | INVALID
 f21 t=1.40 ICMP echo reply, no request      DROP (the tuple inverts: echo request) | INVALID
 f22 t=1.45 ICMP type 9 (router advert.)     INVALID (no inverse type: no allocation) | INVALID
 f23 t=1.50 ICMP type 42                     INVALID "invalid icmp type" (checked before the lookup)
 f24 t=1.55 ICMP port unreachable B -> A quoting E1's A->B packet
                                            RELATED/REPLY (no allocation) | RELATED
 f25 t=1.60 ICMP port unreachable quoting an unknown UDP flow  INVALID | INVALID
 f26 t=1.65 ICMP echo request with a 4-byte ICMP header        INVALID "short packet"
 f27 t=1.70 SCTP DATA as first packet        DROP                | INVALID
 f28 t=1.75 SCTP common header, no chunk     DROP                | INVALID
 f29 t=1.80 GREv1 protocol 0x0800 (not PPP)  INVALID (no tuple)  | INVALID
 f30 t=1.85 GREv0                            DROP                | NEW entry 6 (gre, 30 s)
 f31 t=1.90 IPv6 next header 59              INVALID (no L4)     | INVALID
 f32 t=1.95 ICMPv6 neighbour advertisement   UNTRACKED           | UNTRACKED
 f33 t=2.00 ICMPv6 echo reply, no request    DROP                | INVALID
 f34 t=2.05 ICMPv6 type 200                  INVALID (no inverse)| INVALID
 f35 t=2.10 protocol 253                     DROP                | NEW entry 7 (600 s)
 f36 t=2.15 E1 A->B data                     ESTABLISHED         | ESTABLISHED
 f37 t=2.20 E1 A->B SYN+FIN on the existing entry  INVALID "invalid tcp flag combination"
Both columns are what the kernel did (table-full-would-be-new,
table-would-be-new-free). 12 frames change from INVALID/NEW to DROP; f18,
f20, f22-f26, f29, f31, f32, f34, f36, f37 are the same in both.
"""
from common import (A4, B4, A6, B6, LL_A, LL_B, Capture, Tcp, syn_options, ipv4, ipv6, udp,
                    icmp4, icmp6, tcp, addr_bytes)
from common_l4 import c_data, sctp, gre, icmp4_err

cap = Capture()
conns = []
for k in range(4):
    c = Tcp(cap, sport=40101 + k, dport=80, isn_a=1_000_000 * (k + 1), isn_b=9_000_000 + k)
    c.handshake(opts_a=syn_options(), opts_b=syn_options(), at=0.1 * k)
    conns.append(c)
e1 = conns[0]


def t4(sport, flags, at, seq=500_000, ack=0, cut=None):
    seg = tcp(A4, B4, sport, 80, seq, ack, flags)
    if cut is not None:
        seg = seg[:cut]
    cap.add(ipv4(A4, B4, 6, seg), at=at, frm="a")


t4(40110, "FA", 1.00, ack=77)
t4(40111, "R", 1.05)
t4(40112, "SA", 1.10, ack=77)
t4(40113, "A", 1.15, ack=77)
t4(40114, "SF", 1.20)
t4(40115, "S", 1.25, cut=2)
cap.add(ipv4(A4, B4, 17, udp(A4, B4, 41019, 7019, b"x" * 12, length=200)), at=1.30, frm="a")
cap.add(ipv4(A4, B4, 17, udp(A4, B4, 41020, 7020, b"")[:2]), at=1.35, frm="a")
cap.add(ipv4(A4, B4, 1, icmp4(0, 0, 0x0721, 1, b"pong")), at=1.40, frm="a")
cap.add(ipv4(A4, B4, 1, icmp4(9, 0, rest=bytes(4), data=bytes(8))), at=1.45, frm="a")
cap.add(ipv4(A4, B4, 1, icmp4(42, 0, 0x0723, 1, b"x")), at=1.50, frm="a")
# the first 28 bytes of E1's A->B handshake ACK (f3), quoted back to A by B
quote_e1 = ipv4(A4, B4, 6, tcp(A4, B4, 40101, 80, e1.nxt["a"], e1.nxt["b"], "A"))[:28]
cap.add(ipv4(B4, A4, 1, icmp4_err(3, 3, quote_e1)), at=1.55, frm="b")
quote_unknown = ipv4(A4, B4, 17, udp(A4, B4, 41025, 7025, b"nobody"))[:28]
cap.add(ipv4(B4, A4, 1, icmp4_err(3, 3, quote_unknown)), at=1.60, frm="b")
cap.add(ipv4(A4, B4, 1, icmp4(8, 0, 0x0726, 1)[:4]), at=1.65, frm="a")
cap.add(ipv4(A4, B4, 132, sctp(5027, 5027, 0x01020304, c_data(1, b"data first"))), at=1.70, frm="a")
cap.add(ipv4(A4, B4, 132, sctp(5028, 5028, 0)), at=1.75, frm="a")
cap.add(ipv4(A4, B4, 47, gre(0x0800, b"\x45" + bytes(19), version=1, call_id=29)), at=1.80, frm="a")
cap.add(ipv4(A4, B4, 47, gre(0x0800, b"\x45" + bytes(19))), at=1.85, frm="a")
cap.add(ipv6(A6, B6, 59, b""), at=1.90, frm="a")
na = icmp6(LL_B, LL_A, 136, 0, rest=bytes.fromhex("60000000"), data=addr_bytes(LL_B))
cap.add(ipv6(LL_B, LL_A, 58, na, hlim=255), at=1.95, frm="b")
cap.add(ipv6(A6, B6, 58, icmp6(A6, B6, 129, 0, 0x0733, 1, b"pong6")), at=2.00, frm="a")
cap.add(ipv6(A6, B6, 58, icmp6(A6, B6, 200, 0, 0x0734, 1, b"x")), at=2.05, frm="a")
cap.add(ipv4(A4, B4, 253, b"generic-253"), at=2.10, frm="a")
e1.a("PA", b"still here", at=2.15)
e1.a("SF", at=2.20, advance=False)
cap.write("table-full-would-be-new.pcap")
