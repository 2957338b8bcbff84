"""UDP-Lite (IP protocol 136) with default sysctls (checksum=0).

udplite_error(): header of 8 bytes ("short packet"); checksum coverage
(the UDP length field) 0 = whole packet, else 8 <= coverage <= length
("invalid checksum coverage"); the checksum must not be 0 ("checksum
missing", even with nf_conntrack_checksum=0). The tracker
(nf_conntrack_udplite_packet) has no 2-second rule: the first packet after
the reply sets ASSURED and the udp_timeout_stream timeout (120 s) at once.
Checksums are RFC 3828 ones (not verified here). A = 192.0.2.1, B = 198.51.100.2.

 f1  A:44001->B:7301 coverage 0 (whole)        NEW, entry 1 (udplite, timeout 30)
 f2  B->A coverage 8 (header only)             ESTABLISHED/REPLY, SEEN_REPLY
 f3  A->B coverage = length (28)               ESTABLISHED, ASSURED, timeout 120
                                               (2 ms after creation)
 f4  A->B coverage 12 of 28 (partial)          ESTABLISHED
 f5  A->B coverage 1                           INVALID "invalid checksum coverage"
 f6  A->B coverage 7                           INVALID "invalid checksum coverage"
 f7  A->B coverage 29 > length 28              INVALID "invalid checksum coverage"
 f8  A->B checksum 0                           INVALID "checksum missing"
 f9  A->B only 4 bytes of header               INVALID "short packet"
 f10 A:44002->B:7302 coverage 3                INVALID (no entry made)
 f11 A:44002->B:7302 valid                     NEW, entry 2
 f12 A:44002->B:7302 checksum 0                INVALID "checksum missing"
 IPv6 (2001:db8::1 -> 2001:db8:1::2):
 f13 A:44003->B:7303 coverage 0                NEW, entry 3
 f14 B->A coverage 8                           ESTABLISHED/REPLY, SEEN_REPLY
 f15 A->B coverage 0                           ESTABLISHED, ASSURED
 f16 A->B coverage 5                           INVALID "invalid checksum coverage"
 f17 A->B checksum 0                           INVALID "checksum missing"
 f18 A->B coverage 100 > length                INVALID "invalid checksum coverage"
 f19 UDP (17) A:44003->B:7303, same ports       NEW, entry 4: a different protocol,
                                               a different entry
"""
from common import A4, B4, A6, B6, Capture, ipv4, ipv6, udp

cap = Capture()
PL = b"udplite-payload-20by"   # 20 bytes -> 28-byte datagram


def v4(sport, dport, cov, payload=PL, frm="a", cut=None, **kw):
    src, dst = (A4, B4) if frm == "a" else (B4, A4)
    seg = udp(src, dst, sport, dport, payload, length=cov, proto=136, **kw)
    if cut is not None:
        seg = seg[:cut]
    cap.add(ipv4(src, dst, 136, seg), frm=frm)


def v6(sport, dport, cov, payload=PL, frm="a", proto=136, **kw):
    src, dst = (A6, B6) if frm == "a" else (B6, A6)
    seg = udp(src, dst, sport, dport, payload, length=cov, proto=proto, **kw)
    cap.add(ipv6(src, dst, proto, seg), frm=frm)


v4(44001, 7301, 0)                     # f1
v4(7301, 44001, 8, frm="b")            # f2
v4(44001, 7301, 28)                    # f3
v4(44001, 7301, 12)                    # f4
v4(44001, 7301, 1)                     # f5
v4(44001, 7301, 7)                     # f6
v4(44001, 7301, 29)                    # f7
v4(44001, 7301, 0, csum="zero")        # f8
v4(44001, 7301, 0, cut=4)              # f9
v4(44002, 7302, 3)                     # f10
v4(44002, 7302, 0)                     # f11
v4(44002, 7302, 0, csum="zero")        # f12
v6(44003, 7303, 0)                     # f13
v6(7303, 44003, 8, frm="b")            # f14
v6(44003, 7303, 0)                     # f15
v6(44003, 7303, 5)                     # f16
v6(44003, 7303, 0, csum="zero")        # f17
v6(44003, 7303, 100)                   # f18
v6(44003, 7303, None, proto=17)        # f19
cap.write("udplite.pcap")
