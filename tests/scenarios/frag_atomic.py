"""IPv6 atomic fragments (offset 0, M=0) against pending queues; the IPv4
counterpart (default sysctls).

RFC 6946 says an atomic fragment must be processed on its own, never mixed with
a reassembly queue. nf_ct_frag6_gather has no such special case: an atomic
fragment looks up (src, dst, id) like any fragment and, if a queue with that id
is pending, is inserted into it; it covers [0, len) and so overlaps what the
queue holds: IPFRAG_OVERLAP, the queue and the atomic fragment are dropped.
Alone, it is "reassembled" at once (queue created, completed, removed).
IPv4 has no atomic fragments: MF=0 and offset 0 is not a fragment
(ip_is_fragment), it bypasses defrag whatever its id.
A6 = 2001:db8::1 -> B6 = 2001:db8:1::2, A4 = 192.0.2.1 -> B4 = 198.51.100.2.

 f1      atomic fragment, UDP :41101 -> :5390, id 0x6901        NEW (entry 1)
 f2      atomic fragment, same id again, same flow                NEW again, entry 1 (no
                                                                  reply yet): the first queue
                                                                  is gone, no clash
 f3, f4  UDP :41102, id 0x6902, 2 fragments                       f4 NEW (entry 2)
 f5      atomic fragment with id 0x6902 (datagram done), flow :41103
                                                                  NEW (entry 3)
 f6      UDP :41104, [0,16) M=1, id 0x6904                        held
 f7      atomic fragment with id 0x6904, flow :41105               overlaps the pending
                                                                  queue: dropped with it
 f8      [16,40) M=0 of :41104, id 0x6904                         a new queue without [0,16):
                                                                  never completed (f6-f8 DROP)
 f9      [48,56) M=1, id 0x6906 (a piece beyond the end of f10)   held
 f10     atomic fragment with id 0x6906, 40 bytes (flow :41107)   its end 40 is below the 56
                                                                  already seen: refused (-EINVAL,
                                                                  queue kept): DROP
 IPv4:
 f11     UDP :41108, [0,16) MF, id 0x1906                         held
 f12     an unfragmented UDP packet (flow :41109) with id 0x1906, MF=0 offset 0
                                                                  not a fragment: NEW (entry 4)
 f13     [16,40) of :41108, id 0x1906                              NEW (entry 5): the pending
                                                                  queue was not disturbed
"""
from common import A4, B4, A6, B6, Capture, ipv4, udp
from common_frag import frag4, frag6, pattern

cap = Capture()


def seg6(sp):
    return udp(A6, B6, sp, 5390, pattern(32, sp))


cap.add(frag6(A6, B6, 17, seg6(41101), 0, False, 0x6901))
cap.add(frag6(A6, B6, 17, seg6(41101), 0, False, 0x6901), gap=0.01)
s = seg6(41102)
cap.add(frag6(A6, B6, 17, s[:16], 0, True, 0x6902), gap=0.01)
cap.add(frag6(A6, B6, 17, s[16:], 16, False, 0x6902))
cap.add(frag6(A6, B6, 17, seg6(41103), 0, False, 0x6902), gap=0.01)
s = seg6(41104)
cap.add(frag6(A6, B6, 17, s[:16], 0, True, 0x6904), gap=0.01)
cap.add(frag6(A6, B6, 17, seg6(41105), 0, False, 0x6904))
cap.add(frag6(A6, B6, 17, s[16:], 16, False, 0x6904))
cap.add(frag6(A6, B6, 17, pattern(8, 9), 48, True, 0x6906), gap=0.01)
cap.add(frag6(A6, B6, 17, seg6(41107), 0, False, 0x6906))

s = udp(A4, B4, 41108, 5390, pattern(32, 8))
cap.add(frag4(A4, B4, 17, s[:16], 0, True, 0x1906), gap=0.01)
cap.add(ipv4(A4, B4, 17, udp(A4, B4, 41109, 5390, pattern(32, 9)), ident=0x1906,
             flags_frag=0))
cap.add(frag4(A4, B4, 17, s[16:], 16, False, 0x1906))

cap.write("frag-atomic.pcap")
