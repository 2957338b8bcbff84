"""IPv6 fragment header behind other extension headers, and extension headers
inside the fragmentable part (default sysctls).

nf_ct_frag6_gather finds the fragment header with find_prev_fhdr(): it walks
hop-by-hop (0), routing (43), destination options (60) and AH (51) headers
(ipv6_ext_hdr) up to the fragment header (44). The "unfragmentable part" of
the reassembled datagram is the one of the fragment at offset 0; the other
fragments' headers in front of their fragment header are not compared with
it. The queue key is (src, dst, id) only (plus iif for link-local/multicast
destinations; the IPv6 next header is not part of it). After reassembly the
fragment header is removed and the next-header byte in front of it is
rewritten; conntrack then skips the remaining extension headers.
Every datagram is its own UDP flow A6:sport -> B6:5400, 40 bytes of UDP,
fragmentable part cut at 16 (2 fragments, both carrying the headers listed
unless said otherwise). A6 = 2001:db8::1, B6 = 2001:db8:1::2.

 X1 f1, f2    HBH, frag                                   f2 NEW (entry 1)
 X2 f3, f4    DestOpts, frag                              f4 NEW (entry 2)
 X3 f5, f6    routing type 0 (segments left 1), frag      f6 NEW (entry 3; tuple dst = B6)
 X4 f7, f8    HBH, DestOpts, SRH (segments left 0), frag  f8 NEW (entry 4)
 X5 f9, f10   AH, frag                                    f10 NEW (entry 5)
 X6 f11, f12  frag, then DestOpts + UDP in the fragmentable part (the first
              fragment holds DestOpts and the UDP header)  f12 NEW (entry 6)
 X7 f13, f14  first fragment behind HBH, second with no extension header
                                                          f14 NEW (entry 7)
 X8 f15, f16  first fragment with no extension header, second behind HBH + DestOpts
                                                          f16 NEW (entry 8)
 X9 f17, f18  first fragment next header 17 (UDP), second fragment's header says
              next header 6 (only the first fragment's counts)   f18 NEW (entry 9, udp)
 f19          B6 -> A6 reply to X1, unfragmented          ESTABLISHED/REPLY (entry 1)
"""
from common import (A6, B6, Capture, ipv6, udp, ext_opts, ext_routing, ext_ah)
from common_frag import frag6, fraghdr6, pattern

cap = Capture()
MID = "2001:db8:3::7"


def chain(hdrs):
    """hdrs: list of (builder(next_header) -> bytes, own number); the last
    one is followed by the fragment header (44). Returns (first_nh, bytes)."""
    out, nh = b"", 44
    for build, own in reversed(hdrs):
        out = build(nh) + out
        nh = own
    return nh, out


HBH = (lambda nh: ext_opts(nh), 0)
DST = (lambda nh: ext_opts(nh), 60)
RH0 = (lambda nh: ext_routing(nh, 0, 1, [MID]), 43)
SRH0 = (lambda nh: ext_routing(nh, 4, 0, [B6]), 43)
AH = (lambda nh: ext_ah(nh), 51)


def two(sport, ident, pre1, pre2=None, nh1=17, nh2=None, inner=b""):
    pre2 = pre1 if pre2 is None else pre2
    body = inner + udp(A6, B6, sport, 5400, pattern(32, sport))
    for (off, end, more, pre, nh) in ((0, 16, True, pre1, nh1),
                                      (16, len(body), False, pre2, nh1 if nh2 is None else nh2)):
        first, ext = chain(pre) if pre else (None, b"")
        cap.add(frag6(A6, B6, nh, body[off:end], off, more, ident, pre=ext, first_nh=first))
    cap.wait(0.01)


two(41201, 0x6a01, [HBH])
two(41202, 0x6a02, [DST])
two(41203, 0x6a03, [RH0])
two(41204, 0x6a04, [HBH, DST, SRH0])
two(41205, 0x6a05, [AH])
two(41206, 0x6a06, [], nh1=60, inner=ext_opts(17))
two(41207, 0x6a07, [HBH], [])
two(41208, 0x6a08, [], [HBH, DST])
two(41209, 0x6a09, [], nh1=17, nh2=6)
cap.add(ipv6(B6, A6, 17, udp(B6, A6, 5400, 41201, b"reply")), frm="b")

cap.write("frag-v6-ext-headers.pcap")
