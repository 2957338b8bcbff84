"""Accounting (--set nf_conntrack_acct=1): which packets and which bytes end up
in the `packets= bytes=` fields of table.txt (one pair after each tuple:
original direction, then reply direction)? UDP, ICMP, generic, IPv6,
INVALID and RELATED packets. Default sysctls otherwise.

The counters are bumped by nf_ct_refresh_acct() / nf_ct_kill_acct() inside
the protocol trackers with skb->len, which at the bridge's IP hooks is the
IP datagram: IPv4 total length (header and options included), IPv6 40 +
payload length (extension headers included); Ethernet padding is trimmed
before conntrack. Packets rejected by the tracker (INVALID) return before
that call, and RELATED ICMP errors never reach a tracker of the quoted entry,
so neither is counted anywhere.

A = 192.0.2.1, B = 198.51.100.2 (IPv6: 2001:db8::1, 2001:db8:1::2).
U1 = UDP A:41401 -> B:7601
 f1  A->B 100 bytes of data          IP length 128: NEW entry 1
 f2  B->A 50 bytes                   78 (reply direction)
 f3  A->B 10 bytes, IPv4 options NOP NOP NOP EOL (ihl 6)   42
 f4  A->B 2 bytes, frame padded with 16 zero bytes to 60   30
 f5  A->B UDP length field 200 > data (INVALID "truncated/malformed packet")
                                     not counted
 f6  B->A ICMP port unreachable quoting f1 (RELATED/REPLY)   not counted
 f7  A->B 1400 bytes                 1428
   => U1 original packets=4 bytes=1628, reply packets=1 bytes=78
I1 = ICMP echo A -> B id 0x1401
 f8  request 56 bytes data            84: NEW entry 2
 f9  reply                            84
 f10 request seq 2                    84
 f11 reply seq 2                      84
 f12 reply seq 2 again (duplicate)    84
   => original packets=2 bytes=168, reply packets=3 bytes=252
G1 = protocol 253 A <-> B
 f13 A->B 11 bytes                    31: NEW entry 3
 f14 B->A 5 bytes                     25
U2 = UDP over IPv6 A6:41402 -> B6:7602
 f15 A->B 20 bytes                    68 (40 + 8 + 20): NEW entry 4
 f16 A->B 20 bytes behind an 8-byte hop-by-hop header   76
 f17 B->A 0 bytes                     48
U3 = UDP A:41403 -> B:7603, only INVALID packets
 f18 A->B UDP length 4 (INVALID)      no entry at all (the entry allocated for
                                     the lookup is freed again)
 f19 A->B valid, 8 bytes              36: NEW entry 5, packets=1 bytes=36
The kernel's table.txt has exactly these totals (U1 `packets=4 bytes=1628
... packets=1 bytes=78`, I1 2/168 and 3/252, G1 1/31 and 1/25, U2 2/144 and
1/48, U3 1/36 and 0/0): INVALID f5 and f18 and RELATED f6 are not counted,
IPv4 options and IPv6 extension headers are, Ethernet padding is not.
"""
from common import A4, B4, A6, B6, Capture, ipv4, ipv6, udp, icmp4, ext_opts
from common_l4 import icmp4_err

cap = Capture()


def u1(data, frm="a", **kw):
    if frm == "a":
        seg = udp(A4, B4, 41401, 7601, data)
        return ipv4(A4, B4, 17, seg, **kw)
    seg = udp(B4, A4, 7601, 41401, data)
    return ipv4(B4, A4, 17, seg, **kw)


f1 = u1(b"a" * 100)
cap.add(f1, at=0.00, frm="a")
cap.add(u1(b"b" * 50, frm="b"), at=0.01, frm="b")
cap.add(u1(b"c" * 10, options=b"\x01\x01\x01\x00"), at=0.02, frm="a")
cap.add(u1(b"dd"), at=0.03, frm="a", pad=b"\0" * 16)
cap.add(ipv4(A4, B4, 17, udp(A4, B4, 41401, 7601, b"e" * 10, length=200)), at=0.04, frm="a")
cap.add(ipv4(B4, A4, 1, icmp4_err(3, 3, f1[:28])), at=0.05, frm="b")
cap.add(u1(b"f" * 1400), at=0.06, frm="a")

D = bytes(range(56))
cap.add(ipv4(A4, B4, 1, icmp4(8, 0, 0x1401, 1, D)), at=0.10, frm="a")
cap.add(ipv4(B4, A4, 1, icmp4(0, 0, 0x1401, 1, D)), at=0.11, frm="b")
cap.add(ipv4(A4, B4, 1, icmp4(8, 0, 0x1401, 2, D)), at=0.12, frm="a")
cap.add(ipv4(B4, A4, 1, icmp4(0, 0, 0x1401, 2, D)), at=0.13, frm="b")
cap.add(ipv4(B4, A4, 1, icmp4(0, 0, 0x1401, 2, D)), at=0.14, frm="b")

cap.add(ipv4(A4, B4, 253, b"g" * 11), at=0.20, frm="a")
cap.add(ipv4(B4, A4, 253, b"h" * 5), at=0.21, frm="b")

cap.add(ipv6(A6, B6, 17, udp(A6, B6, 41402, 7602, b"i" * 20)), at=0.30, frm="a")
cap.add(ipv6(A6, B6, 0, ext_opts(17) + udp(A6, B6, 41402, 7602, b"j" * 20)), at=0.31, frm="a")
cap.add(ipv6(B6, A6, 17, udp(B6, A6, 7602, 41402, b"")), at=0.32, frm="b")

cap.add(ipv4(A4, B4, 17, udp(A4, B4, 41403, 7603, b"k" * 8, length=4)), at=0.40, frm="a")
cap.add(ipv4(A4, B4, 17, udp(A4, B4, 41403, 7603, b"l" * 8)), at=0.41, frm="a")
cap.write("table-acct.pcap")
