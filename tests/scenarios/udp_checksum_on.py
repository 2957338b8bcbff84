"""UDP checksum verification with nf_conntrack_checksum=1.

udp_error() skips packets whose checksum field is 0 (in IPv4 *and* IPv6) and
otherwise verifies the checksum in PRE_ROUTING (nf_checksum: pseudo-header
length = IP payload length, summed over the whole IP payload, not over the
UDP length). A bad checksum makes the packet INVALID "bad checksum" and
leaves no new entry; on an existing entry it changes nothing.
A = 192.0.2.1, B = 198.51.100.2; IPv6 A = 2001:db8::1, B = 2001:db8:1::2.

 f1  A:43001->B:7201 correct checksum              NEW, entry 1
 f2  B->A correct                                   ESTABLISHED/REPLY, SEEN_REPLY
 f3  A->B wrong checksum                            INVALID "bad checksum"
 f4  A->B correct                                   ESTABLISHED (entry 1 intact)
 f5  A:43002->B:7202 wrong checksum                 INVALID "bad checksum"
 f6  A:43002->B:7202 correct                        NEW, entry 2 (f5 left nothing)
 f7  A:43003->B:7203 checksum 0                     NEW, entry 3 (not verified)
 f8  B->A whose true checksum is 0, sent as 0xffff  ESTABLISHED/REPLY (valid)
 f9  B->A the same packet with 0x0000 instead       ESTABLISHED/REPLY (= no checksum)
 f10 A:43004->B:7204 UDP length 16 < IP payload 24; checksum correct for the
     16 UDP bytes (what the UDP stack checks after trimming to the UDP length)
                                                    INVALID "bad checksum" (conntrack
                                                    sums the whole IP payload)
 f11 the same, checksum computed over all 24 bytes with pseudo length 24
                                                    NEW, entry 4
 f12 IPv6 A:43005->B:7205 correct                   NEW, entry 5
 f13 IPv6 A->B wrong checksum                       INVALID "bad checksum"
 f14 IPv6 A->B checksum 0 (illegal in IPv6)         NEW, entry 5 (no reply yet): accepted
                                                    unverified, not INVALID
 f15 IPv6 B->A correct                              ESTABLISHED/REPLY, SEEN_REPLY
 f16 IPv6 A:43006->B:7206 wrong checksum            INVALID "bad checksum"
 f17 IPv6 A:43006->B:7206 correct                   NEW, entry 6
"""
import struct

from common import A4, B4, A6, B6, Capture, ipv4, ipv6, udp, ones_sum, pseudo_header

cap = Capture()
PL = b"checksum-me!"


def v4(sport, dport, payload=PL, frm="a", **kw):
    src, dst = (A4, B4) if frm == "a" else (B4, A4)
    cap.add(ipv4(src, dst, 17, udp(src, dst, sport, dport, payload, **kw)), frm=frm)


def v6(sport, dport, payload=PL, frm="a", **kw):
    src, dst = (A6, B6) if frm == "a" else (B6, A6)
    cap.add(ipv6(src, dst, 17, udp(src, dst, sport, dport, payload, **kw)), frm=frm)


def payload_summing_to_zero_checksum(src, dst, sport, dport):
    """A payload whose UDP checksum computes to 0 (so it is sent as 0xffff):
    the last two payload bytes are chosen to make the sum 0xffff."""
    head = b"zero-sum" + b"\0\0"
    seg = struct.pack(">HHHH", sport, dport, 8 + len(head), 0) + head
    s = ones_sum(pseudo_header(src, dst, 17, len(seg)) + seg)
    fill = (0xFFFF - s) & 0xFFFF
    return head[:-2] + struct.pack(">H", fill)


v4(43001, 7201)                              # f1
v4(7201, 43001, frm="b")                     # f2
v4(43001, 7201, csum="bad")                  # f3
v4(43001, 7201)                              # f4
v4(43002, 7202, csum="bad")                  # f5
v4(43002, 7202)                              # f6
v4(43003, 7203, csum="zero")                 # f7
zp = payload_summing_to_zero_checksum(B4, A4, 7203, 43003)
seg = udp(B4, A4, 7203, 43003, zp)
assert seg[6:8] == b"\xff\xff", seg[6:8].hex()
v4(7203, 43003, zp, frm="b")                 # f8
v4(7203, 43003, zp, frm="b", csum="zero")    # f9
# f10/f11: 8 bytes of UDP payload inside the UDP length, 8 trailing bytes
# inside the IP payload but outside the UDP length.
inner, trailer = b"in-udp!!", b"trailer!"
seg16 = udp(A4, B4, 43004, 7204, inner)                       # checksum over 16 bytes
cap.add(ipv4(A4, B4, 17, seg16 + trailer))                    # f10
seg24 = udp(A4, B4, 43004, 7204, inner + trailer, length=16)  # checksum over all 24
cap.add(ipv4(A4, B4, 17, seg24))                              # f11
v6(43005, 7205)                              # f12
v6(43005, 7205, csum="bad")                  # f13
v6(43005, 7205, csum="zero")                 # f14
v6(7205, 43005, frm="b")                     # f15
v6(43006, 7206, csum="bad")                  # f16
v6(43006, 7206)                              # f17
cap.write("udp-checksum-on.pcap")
