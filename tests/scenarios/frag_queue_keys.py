"""Which fragments share a reassembly queue (IPv4, IPv6; default sysctls).

IPv4 queues are keyed by (source, destination, id, protocol) (+ l3mdev vif);
IPv6 queues by (source, destination, id) (+ iif for link-local/multicast
destinations): the IPv6 next header is NOT in the key. Datagrams: 40 bytes,
pieces a = [0,16) M=1, b = [16,40) last; frames interleaved as listed.
A4 192.0.2.1, B4 198.51.100.2, R4 203.0.113.9, C4 203.0.113.50;
A6 2001:db8::1, B6 2001:db8:1::2, R6 2001:db8:2::9, C6 2001:db8:5::50.

 K1 IPv4 id 0x2001 for a UDP datagram (A4:42001 -> B4:5480) and an ICMP echo
    (id 0x0d01), A4 -> B4: f1 UDP a, f2 ICMP a, f3 UDP b, f4 ICMP b
       separate queues: f3 NEW (udp, entry 1), f4 NEW (icmp, entry 2)
 K2 IPv6 id 0x7001 for a UDP datagram (A6:42002) and an ICMPv6 echo, A6 -> B6:
    f5 UDP a, f6 ICMPv6 a, f7 UDP b, f8 ICMPv6 b
       one queue: f6 covers the same [0,16) as f5: a duplicate, dropped (different
       bytes and next header notwithstanding); f7 completes the UDP datagram, NEW
       (entry 3); f8 then starts a new queue: never completed (f6, f8 DROP)
 K3 IPv4 id 0x2003, A4 -> B4 and R4 -> B4 (UDP :42003): f9 A a, f10 R a, f11 R b, f12 A b
       separate: f11 NEW (entry 4, from R4), f12 NEW (entry 5)
 K4 IPv6 the same with A6/R6 -> B6, id 0x7003: f13-f16   f15 NEW (entry 6), f16 NEW (entry 7)
 K5 IPv4 id 0x2005, A4 -> B4 and A4 -> C4: f17 B a, f18 C a, f19 C b, f20 B b
       separate: f19 NEW (entry 8), f20 NEW (entry 5 again: the flow of f12, unreplied)
 K6 IPv6 the same with A6 -> B6 / C6, id 0x7005: f21-f24   f23 NEW (entry 9), f24 NEW
       (entry 7)
"""
from common import A4, B4, R4, A6, B6, R6, Capture, udp, icmp4, icmp6
from common_frag import frag4, frag6, pattern

C4, C6 = "203.0.113.50", "2001:db8:5::50"
cap = Capture()


def pieces(fam, src, dst, proto, seg, ident):
    mk = frag4 if fam == 4 else frag6
    return (mk(src, dst, proto, seg[:16], 0, True, ident),
            mk(src, dst, proto, seg[16:], 16, False, ident))


# K1
ua, ub = pieces(4, A4, B4, 17, udp(A4, B4, 42001, 5480, pattern(32, 1)), 0x2001)
ia, ib = pieces(4, A4, B4, 1, icmp4(8, 0, 0x0d01, 1, pattern(32, 2)), 0x2001)
for p in (ua, ia, ub, ib):
    cap.add(p)
# K2
ua, ub = pieces(6, A6, B6, 17, udp(A6, B6, 42002, 5480, pattern(32, 1)), 0x7001)
ia, ib = pieces(6, A6, B6, 58, icmp6(A6, B6, 128, 0, 0x0d02, 1, pattern(32, 2)), 0x7001)
cap.wait(0.01)
for p in (ua, ia, ub, ib):
    cap.add(p)
# K3 .. K6
for fam, ident, (s1, d1), (s2, d2) in (
        (4, 0x2003, (A4, B4), (R4, B4)), (6, 0x7003, (A6, B6), (R6, B6)),
        (4, 0x2005, (A4, B4), (A4, C4)), (6, 0x7005, (A6, B6), (A6, C6))):
    x = pieces(fam, s1, d1, 17, udp(s1, d1, 42003, 5480, pattern(32, 3)), ident)
    y = pieces(fam, s2, d2, 17, udp(s2, d2, 42003, 5480, pattern(32, 4)), ident)
    cap.wait(0.01)
    for p in (x[0], y[0], y[1], x[1]):
        cap.add(p)

cap.write("frag-queue-keys.pcap")
