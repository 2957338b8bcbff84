"""Fragment arrival order, IPv4 and IPv6 (default sysctls).

The kernel (inet_frag_queue_insert: an rb-tree of "runs" of contiguous
fragments) accepts fragments in any order; the datagram is complete when
the first (offset 0) and last (M=0) fragments are in and the byte count
("meat") equals the length, and conntrack sees it on the fragment that
completed it, whichever that is. The frames before it are held (ctstate
null, "completed by frame N"). Every datagram is a new UDP flow (A -> B,
distinct source ports); 120 bytes of UDP in 4 pieces of 32+32+32+24 bytes
(f5-f10: 3 pieces of 40).

 v6 (A 2001:db8::1 -> B 2001:db8:1::2)
 f1-f4   pieces 4,3,2,1 (reversed), id 0x6101   f4 NEW (entry 1)
 f5-f7   pieces 3,1,2 (last, first, middle)     f7 NEW (entry 2)
 f8-f10  pieces 2,3,1 (middle, last, first)     f10 NEW (entry 3)
 f11-f14 pieces 1,3,2,4 (gap filled before the last)   f14 NEW (entry 4)
 v4 (A 192.0.2.1 -> B 198.51.100.2)
 f15-f18 pieces 2,4,1,3, id 0x1101              f18 NEW (entry 5)
 f19-f22 pieces 4,3,2,1                         f22 NEW (entry 6)
 f23-f26 pieces 2,3,4,1 (first fragment last)   f26 NEW (entry 7)
 two datagrams of one flow interleaved (same addresses and ports, ids X and Y):
 f27-f30 v6: X1, Y1, Y2, X2   f29 (Y complete) NEW (entry 8), f30 (X complete) NEW again,
                              same entry 8 (no reply yet: every original-direction packet
                              of an unreplied UDP entry is NEW)
 f31-f34 v4: X1, Y1, Y2, X2   f33 NEW (entry 9), f34 NEW (entry 9)
"""
from common import A4, B4, A6, B6, Capture, udp
from common_frag import send4, send6, pattern, frag4, frag6, cut

cap = Capture()
S = (32, 32, 32)


def d6(sport, ident, order, sizes=S):
    send6(cap, A6, B6, 17, udp(A6, B6, sport, 5310, pattern(112, sport)), sizes, ident, order,
          gap=0.01)


def d4(sport, ident, order):
    send4(cap, A4, B4, 17, udp(A4, B4, sport, 5310, pattern(112, sport)), S, ident, order,
          gap=0.01)


d6(40301, 0x6101, [4, 3, 2, 1])
d6(40302, 0x6102, [3, 1, 2], (40, 40))   # 3 pieces of 40 bytes
d6(40303, 0x6103, [2, 3, 1], (40, 40))
d6(40304, 0x6104, [1, 3, 2, 4])
d4(40305, 0x1101, [2, 4, 1, 3])
d4(40306, 0x1102, [4, 3, 2, 1])
d4(40307, 0x1103, [2, 3, 4, 1])

# interleaved datagrams of one flow
for fam in (6, 4):
    src, dst = (A6, B6) if fam == 6 else (A4, B4)
    x = cut(udp(src, dst, 40308 + (fam == 4), 5310, pattern(56, 1)), 32)
    y = cut(udp(src, dst, 40308 + (fam == 4), 5310, pattern(56, 2)), 32)
    mk = (lambda p, i: frag6(src, dst, 17, p[1], p[0], p[2], i)) if fam == 6 else \
         (lambda p, i: frag4(src, dst, 17, p[1], p[0], p[2], i))
    ix, iy = (0x6105, 0x6106) if fam == 6 else (0x1104, 0x1105)
    cap.add(mk(x[0], ix), gap=0.01)
    cap.add(mk(y[0], iy))
    cap.add(mk(y[1], iy))
    cap.add(mk(x[1], ix))

cap.write("frag-order.pcap")
