"""UDP header and length checks (udp_error), default sysctls (checksum=0).

The kernel reads the ports (4 bytes) to build the tuple, then udp_error()
wants a full 8-byte header ("short packet") and 8 <= UDP length <= IP
payload ("truncated/malformed packet"); a UDP length smaller than the IP
payload is fine. An INVALID first packet must leave no entry: the next valid
packet of the same tuple is NEW. A = 192.0.2.1:42001 -> B = 198.51.100.2:7101
unless noted. Checksums are correct except where the frame says otherwise
(nf_conntrack_checksum=0 here, so they are not looked at anyway).

 f1  A->B UDP length 30, only 12 bytes of UDP    INVALID "truncated/malformed packet"
 f2  A->B valid                                  NEW, entry 1 (f1 left nothing)
 f3  A->B UDP length 4 (< 8)                     INVALID "truncated/malformed packet"
 f4  B->A valid reply                            ESTABLISHED/REPLY, SEEN_REPLY
 f5  A->B UDP length 30 > 20 on the entry        INVALID (entry untouched)
 f6  A->B IP covers 6 bytes of UDP (no csum)     INVALID "short packet"
 f7  A->B IP covers 4 bytes of UDP (ports only)  INVALID "short packet"
 f8  A->B IP covers 2 bytes of UDP               INVALID, no reason (no tuple)
 f9  A->B IP header only, protocol 17            INVALID, no reason (no tuple)
 f10 A->B UDP length 0                           INVALID "truncated/malformed packet"
 f11 A->B UDP length 10, 20 bytes of IP payload  ESTABLISHED (shorter length is ok)
 f12 A->B UDP length 8 with 12 payload bytes     ESTABLISHED
 f13 A->B checksum 0 (none)                      ESTABLISHED
 f14 A:42002->B:7102, 4 bytes of UDP             INVALID "short packet"
 f15 A:42002->B:7102 valid                       NEW, entry 2 (f14 left nothing)
 f16 A:42003->B:7103 UDP length 18, IP payload 12 + 6 bytes of Ethernet
     padding after the IP datagram: the bridge trims to the IP total length
     before conntrack, so the padding does not count -> INVALID "truncated"
 f17 A:42003->B:7103 valid, with 6 bytes of Ethernet padding     NEW, entry 3
 IPv6 (2001:db8::1:42004 -> 2001:db8:1::2:7104):
 f18 UDP length 40 > 20                          INVALID "truncated/malformed packet"
 f19 payload length covers 4 bytes of UDP        INVALID "short packet"
 f20 valid                                       NEW, entry 4
 f21 checksum 0 (illegal for IPv6 UDP)           NEW, entry 4 (still unreplied): accepted
 f22 reply B->A, UDP length 7                    INVALID "truncated/malformed packet"
 f23 reply B->A valid                            ESTABLISHED/REPLY, SEEN_REPLY
"""
from common import A4, B4, A6, B6, Capture, ipv4, ipv6, udp

cap = Capture()
PL = b"malformed-udp"   # 13 bytes


def v4(sport, dport, payload=PL, frm="a", cut=None, pad=b"", **kw):
    src, dst = (A4, B4) if frm == "a" else (B4, A4)
    seg = udp(src, dst, sport, dport, payload, **kw)
    if cut is not None:
        seg = seg[:cut]
    cap.add(ipv4(src, dst, 17, seg), frm=frm, pad=pad)


def v6(sport, dport, payload=PL, frm="a", cut=None, **kw):
    src, dst = (A6, B6) if frm == "a" else (B6, A6)
    seg = udp(src, dst, sport, dport, payload, **kw)
    if cut is not None:
        seg = seg[:cut]
    cap.add(ipv6(src, dst, 17, seg), frm=frm)


v4(42001, 7101, b"abcd", length=30)          # f1
v4(42001, 7101)                              # f2
v4(42001, 7101, length=4)                    # f3
v4(7101, 42001, frm="b")                     # f4
v4(42001, 7101, b"x" * 12, length=30)        # f5
v4(42001, 7101, cut=6)                       # f6
v4(42001, 7101, cut=4)                       # f7
v4(42001, 7101, cut=2)                       # f8
v4(42001, 7101, cut=0)                       # f9
v4(42001, 7101, length=0)                    # f10
v4(42001, 7101, b"y" * 12, length=10)        # f11
v4(42001, 7101, b"z" * 12, length=8)         # f12
v4(42001, 7101, csum="zero")                 # f13
v4(42002, 7102, cut=4)                       # f14
v4(42002, 7102)                              # f15
v4(42003, 7103, b"1234", length=18, pad=b"\0" * 6)   # f16
v4(42003, 7103, b"1234", pad=b"\0" * 6)              # f17
v6(42004, 7104, b"x" * 12, length=40)        # f18
v6(42004, 7104, cut=4)                       # f19
v6(42004, 7104)                              # f20
v6(42004, 7104, csum="zero")                 # f21
v6(7104, 42004, frm="b", length=7)           # f22
v6(7104, 42004, frm="b")                     # f23
cap.write("udp-malformed.pcap")
