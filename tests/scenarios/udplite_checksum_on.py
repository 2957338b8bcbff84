"""UDP-Lite checksum verification with nf_conntrack_checksum=1.

RFC 3828 computes the UDP-Lite checksum over a pseudo-header carrying
protocol 136 and the datagram length. Reading the kernel: udplite_error()
calls nf_checksum_partial(..., IPPROTO_UDP, ...) (protocol 17 in the
pseudo-header), and for IPv4 nf_ip_checksum_partial() passes its length and
protocol to csum_tcpudp_nofold() in swapped order, so on x86 the pseudo-header
sum is 17 + (length mod 256). This scenario asks which checksum the kernel
actually accepts. "RFC" = protocol 136 and the true length; "p17" =
protocol 17 and the true length; "p17/len&255" = protocol 17 and the length
modulo 256. A = 192.0.2.1, B = 198.51.100.2 (IPv6 2001:db8::1, 2001:db8:1::2).
Recorded answer (6.18, x86-64): exactly as the reading above predicts: the
RFC checksum is "bad checksum" in both families; IPv4 accepts p17 only for
datagrams shorter than 256 bytes and p17/len&255 for longer ones.

 f1  A:45001->B:7401 coverage 0, RFC checksum            INVALID "bad checksum"
 f2  same, p17 checksum                                   NEW, entry 1
 f3  B->A coverage 8, RFC checksum                        INVALID "bad checksum"
 f4  B->A coverage 8, p17                                 ESTABLISHED/REPLY
 f5  A->B 300-byte datagram, coverage 0, p17              INVALID "bad checksum" (length >= 256)
 f6  the same with p17/len&255                            ESTABLISHED, ASSURED
 f7  A->B coverage 12 (p17 over 12 bytes), the rest of
     the payload not covered                              ESTABLISHED
 f8  A->B wrong checksum                                  INVALID "bad checksum"
 f9  A->B checksum 0                                      INVALID "checksum missing"
 f10 A:45002->B:7402 wrong checksum                       INVALID, no entry left
 f11 A:45002->B:7402 p17                                  NEW, entry 2
 IPv6 (nf_ip6_checksum_partial passes length and protocol in order):
 f12 A:45003->B:7403 coverage 0, RFC checksum             INVALID "bad checksum"
 f13 same, p17                                            NEW, entry 3
 f14 B->A coverage 8, p17                                 ESTABLISHED/REPLY
 f15 A->B 300-byte datagram, p17 (true length)            ESTABLISHED
 f16 A->B checksum 0                                      INVALID "checksum missing"
 f17 A->B wrong checksum                                  INVALID "bad checksum"
 f18 A->B coverage 12, p17                                ESTABLISHED
"""
from common import A4, B4, A6, B6, Capture, ipv4, ipv6, udp

cap = Capture()
PL = b"udplite-checksummed!"        # 20 bytes -> 28-byte datagram
BIG = bytes(range(256)) + b"B" * 36  # 292 bytes -> 300-byte datagram


def lite(src, dst, sport, dport, cov, payload, kind, csum="auto"):
    seg_len = 8 + len(payload)
    kw = {}
    if kind == "p17":
        kw = {"pseudo_proto": 17}
    elif kind == "p17/len&255":
        kw = {"pseudo_proto": 17, "pseudo_len": seg_len & 0xFF}
    return udp(src, dst, sport, dport, payload, length=cov, proto=136, csum=csum, **kw)


def v4(sport, dport, cov, kind, payload=PL, frm="a", csum="auto"):
    src, dst = (A4, B4) if frm == "a" else (B4, A4)
    cap.add(ipv4(src, dst, 136, lite(src, dst, sport, dport, cov, payload, kind, csum)), frm=frm)


def v6(sport, dport, cov, kind, payload=PL, frm="a", csum="auto"):
    src, dst = (A6, B6) if frm == "a" else (B6, A6)
    cap.add(ipv6(src, dst, 136, lite(src, dst, sport, dport, cov, payload, kind, csum)), frm=frm)


v4(45001, 7401, 0, "RFC")                       # f1
v4(45001, 7401, 0, "p17")                       # f2
v4(7401, 45001, 8, "RFC", frm="b")              # f3
v4(7401, 45001, 8, "p17", frm="b")              # f4
v4(45001, 7401, 0, "p17", BIG)                  # f5
v4(45001, 7401, 0, "p17/len&255", BIG)          # f6
v4(45001, 7401, 12, "p17")                      # f7
v4(45001, 7401, 0, "p17", csum="bad")           # f8
v4(45001, 7401, 0, "p17", csum="zero")          # f9
v4(45002, 7402, 0, "p17", csum="bad")           # f10
v4(45002, 7402, 0, "p17")                       # f11
v6(45003, 7403, 0, "RFC")                       # f12
v6(45003, 7403, 0, "p17")                       # f13
v6(7403, 45003, 8, "p17", frm="b")              # f14
v6(45003, 7403, 0, "p17", BIG)                  # f15
v6(45003, 7403, 0, "p17", csum="zero")          # f16
v6(45003, 7403, 0, "p17", csum="bad")           # f17
v6(45003, 7403, 12, "p17")                      # f18
cap.write("udplite-checksum-on.pcap")
