"""IPv6 (nf_defrag_ipv6) reassembly memory limit: nf_conntrack_frag6_high_thresh=8192,
nf_conntrack_frag6_low_thresh=1024, nf_conntrack_frag6_timeout=2.

Linux 6.18 has no evictor (no LRU, nothing is pruned down to low_thresh,
which only bounds high_thresh in sysctl). inet_frag_find()
refuses EVERY fragment while the namespace's fragment memory is above
high_thresh, also fragments of queues that already exist: the held
datagrams cannot complete, nothing is evicted, memory only comes back when
queues complete or expire. Here one queued small fragment costs 1032 bytes
(skb truesize; /proc/net/sockstat shows it for IPv4 only, where it is 1032;
here the verdicts below pin it between 1025 and 1170): 7 queues fit
(<= 8192), the 8th is accepted (the memory before the fragment counts) and
goes over.
A6 2001:db8::1 -> B6 2001:db8:1::2; D1..D11 are UDP flows :41801.. -> :5460,
40 bytes each, pieces a = [0,16) MF, b = [16,40) last.

 f1-f7    0.50-0.56 s  D1a..D7a        held (7 queues)
 f8       0.60 s       D1b             NEW (entry 1): D1 completes, 6 queues
 f9, f10  0.62, 0.64   D8a, D9a        held (7, then 8 queues: over 8192)
 f11      0.66         D10a            refused (over the limit): DROP
 f12      0.68         D2b             refused too, although D2's queue exists: D2 never
                                       completes (f2, f12 DROP)
 f13      0.70         D9b             refused (f10, f13 DROP)
          (D2..D9 expire at 2.52-2.64 s; nothing was evicted before)
 f14      3.00         D2b again       accepted, but D2a is gone: a new queue, never completed
 f15, f16 3.02, 3.04   D10a, D10b      NEW (entry 2) (the harness also lists the refused f11
                                       among the frames "completed by" f16)
 f17, f18 3.06, 3.08   D11a, D11b      NEW (entry 3)
"""
from common import A6, B6, Capture, udp
from common_frag import frag6, pattern

cap = Capture()


def piece(k, which, at):
    s = udp(A6, B6, 41800 + k, 5460, pattern(32, k))
    if which == "a":
        cap.add(frag6(A6, B6, 17, s[:16], 0, True, 0x6d00 + k), at=at)
    else:
        cap.add(frag6(A6, B6, 17, s[16:], 16, False, 0x6d00 + k), at=at)


for k in range(1, 8):
    piece(k, "a", 0.49 + 0.01 * k)
piece(1, "b", 0.60)
piece(8, "a", 0.62)
piece(9, "a", 0.64)
piece(10, "a", 0.66)
piece(2, "b", 0.68)
piece(9, "b", 0.70)
piece(2, "b", 3.00)
piece(10, "a", 3.02)
piece(10, "b", 3.04)
piece(11, "a", 3.06)
piece(11, "b", 3.08)

cap.write("frag-thresholds-v6.pcap")
