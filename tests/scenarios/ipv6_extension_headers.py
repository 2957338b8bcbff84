"""IPv6 extension headers in front of UDP and ICMPv6 (default sysctls).

conntrack finds the L4 protocol with ipv6_skip_exthdr(): hop-by-hop (0),
routing (43, any type, any segments left), fragment (44, only offset 0),
destination options (60) and AH (51) are skipped, anywhere in the chain;
other next-header values end the chain and are the protocol (generic for
unknown ones: ESP 50, Mobility 135, 253). The tuple uses the addresses of the
IPv6 header (a routing header's addresses are not looked at). An atomic
fragment (fragment header with offset 0, M=0) passes nf_defrag_ipv6, which
"reassembles" it at once and removes the fragment header before conntrack.
The bridge checks a leading hop-by-hop header's TLVs (br_nf_check_hbh_len)
and drops the packet before the IP hooks if they are malformed.
A = 2001:db8::1, B = 2001:db8:1::2.

 UDP A:49001 -> B:7801 (entry 1):
 f1  HBH(PadN) + UDP                         NEW, entry 1 (udp)
 f2  B->A plain UDP                          ESTABLISHED/REPLY, SEEN_REPLY
 f3  DestOpts + UDP                          ESTABLISHED
 f4  routing type 0, segments left 1 + UDP   ESTABLISHED (tuple dst = IPv6 dst)
 f5  routing type 4 (SRH), segments left 1   ESTABLISHED
 f6  AH + UDP                                ESTABLISHED
 f7  HBH + DestOpts + SRH(SL 0) + AH + DestOpts + UDP      ESTABLISHED
 f8  atomic fragment header + UDP            ESTABLISHED (frag header removed by defrag)
 f9  B->A atomic fragment + UDP              ESTABLISHED/REPLY
 ICMPv6 echo id 0x0d01 (entry 2):
 f10 HBH + echo request                      NEW, entry 2 (icmpv6)
 f11 B->A DestOpts + echo reply              ESTABLISHED/REPLY
 f12 routing type 0 + echo request seq 2     ESTABLISHED
 f13 AH + echo request seq 3                 ESTABLISHED
 f14 atomic fragment + echo request seq 4    ESTABLISHED
 odd chains:
 f15 DestOpts, then HBH (HBH not first) + UDP    ESTABLISHED (the bridge checks only a
                                                 leading HBH; conntrack skips it anywhere)
 f16 HBH whose option length runs past the header + UDP
                                             null: dropped by the bridge before the IP hooks
 f17 HBH + UDP with only 4 bytes of UDP      INVALID "short packet"
 f18 DestOpts + next header 253              NEW, entry 3 (generic 253)
 f19 Mobility header (135) with no payload   NEW, entry 4 (generic 135: not an
                                             extension header for ipv6_skip_exthdr)
 f20 HBH + ESP                               NEW, entry 5 (generic 50)
 f21 HBH + SRH + atomic fragment + DestOpts + UDP          ESTABLISHED, entry 1
 f22 AH + DestOpts + ICMPv6 echo request seq 5             ESTABLISHED, entry 2
"""
from common import (A6, B6, Capture, ipv6, udp, icmp6, ext_opts, ext_routing, ext_frag,
                    ext_ah, esp)

cap = Capture()
MID = "2001:db8:3::7"


def chain(headers, nh_last, payload):
    """headers: builders, first to last; each takes the next-header value of
    what follows it and returns (bytes, its own next-header number).
    Returns (next header for the IPv6 header, bytes)."""
    built, nh = [], nh_last
    for h in reversed(headers):
        b, own = h(nh)
        built.insert(0, b)
        nh = own
    return nh, b"".join(built) + payload


HBH = lambda nh: (ext_opts(nh), 0)                                # noqa: E731
DST = lambda nh: (ext_opts(nh), 60)                               # noqa: E731
RH0 = lambda nh: (ext_routing(nh, 0, 1, [MID]), 43)               # noqa: E731
SRH1 = lambda nh: (ext_routing(nh, 4, 1, [B6, MID]), 43)          # noqa: E731
SRH0 = lambda nh: (ext_routing(nh, 4, 0, [B6]), 43)               # noqa: E731
AH = lambda nh: (ext_ah(nh), 51)                                  # noqa: E731
FRAG = lambda nh: (ext_frag(nh, 0, False), 44)                    # noqa: E731


def u(headers, frm="a", cut=None):
    src, dst, sp, dp = (A6, B6, 49001, 7801) if frm == "a" else (B6, A6, 7801, 49001)
    seg = udp(src, dst, sp, dp, b"ext-headers")
    if cut is not None:
        seg = seg[:cut]
    nh, body = chain(headers, 17, seg)
    cap.add(ipv6(src, dst, nh, body), frm=frm)


def e(headers, typ, seq, frm="a"):
    src, dst = (A6, B6) if frm == "a" else (B6, A6)
    nh, body = chain(headers, 58, icmp6(src, dst, typ, 0, 0x0d01, seq, b"ping-ext"))
    cap.add(ipv6(src, dst, nh, body), frm=frm)


u([HBH])                                   # f1
u([], frm="b")                             # f2
u([DST])                                   # f3
u([RH0])                                   # f4
u([SRH1])                                  # f5
u([AH])                                    # f6
u([HBH, DST, SRH0, AH, DST])               # f7
u([FRAG])                                  # f8
u([FRAG], frm="b")                         # f9
e([HBH], 128, 1)                           # f10
e([DST], 129, 1, frm="b")                  # f11
e([RH0], 128, 2)                           # f12
e([AH], 128, 3)                            # f13
e([FRAG], 128, 4)                          # f14
u([DST, HBH])                              # f15
bad_hbh = bytes([17, 0]) + bytes([0x1e, 9]) + bytes(4)   # option length 9 > 4 bytes left
cap.add(ipv6(A6, B6, 0, bad_hbh + udp(A6, B6, 49001, 7801, b"bad-hbh")))   # f16
u([HBH], cut=4)                            # f17
nh, body = chain([DST], 253, b"exp-behind-dstopts")
cap.add(ipv6(A6, B6, nh, body))            # f18
# Mobility header: payload proto 59, length 0 (8 bytes), MH type 0 (BRR), csum 0, reserved
cap.add(ipv6(A6, B6, 135, bytes([59, 0, 0, 0]) + bytes(4)))   # f19
nh, body = chain([HBH], 50, esp(0x5000))
cap.add(ipv6(A6, B6, nh, body))            # f20
u([HBH, SRH0, FRAG, DST])                  # f21
e([AH, DST], 128, 5)                       # f22
cap.write("ipv6-extension-headers.pcap")
