"""IPv4 reassembly memory limit: ipfrag_high_thresh=8192, ipfrag_low_thresh=1024,
ipfrag_time=2.

Linux 6.18 has no evictor (no LRU, nothing is pruned down to low_thresh,
which only bounds high_thresh in sysctl). inet_frag_find()
refuses EVERY fragment while the namespace's fragment memory is above
high_thresh, also fragments of queues that already exist: the held
datagrams cannot complete, nothing is evicted, memory only comes back when
queues complete or expire. Here one queued small fragment costs 1032 bytes
(skb truesize, read from /proc/net/sockstat "FRAG: inuse N memory M" in a
trial run): 7 queues = 7224 <= 8192, the 8th is accepted (it is the state
before the fragment that counts) and makes 8256 > 8192.
A4 192.0.2.1 -> B4 198.51.100.2; D1..D11 are UDP flows :41701.. -> :5450,
40 bytes each, pieces a = [0,16) MF, b = [16,40) last.

 f1-f7    0.50-0.56 s  D1a..D7a        held (memory 7 x 1032 = 7224)
 f8       0.60 s       D1b             NEW (entry 1): D1 completes, memory 6192
 f9, f10  0.62, 0.64   D8a, D9a        held (7224, then 8256 > 8192)
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
from common import A4, B4, Capture, udp
from common_frag import frag4, pattern

cap = Capture()


def piece(k, which, at):
    s = udp(A4, B4, 41700 + k, 5450, pattern(32, k))
    if which == "a":
        cap.add(frag4(A4, B4, 17, s[:16], 0, True, 0x1d00 + k), at=at)
    else:
        cap.add(frag4(A4, B4, 17, s[16:], 16, False, 0x1d00 + k), at=at)


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

cap.write("frag-thresholds-v4.pcap")
