"""IPv6 fragments past 65535 bytes (default sysctls).

nf_ct_frag6_queue() refuses a fragment whose end (offset + fragmentable
length) exceeds IPV6_MAXPLEN (65535) on arrival, with -EINVAL and WITHOUT
killing the queue. nf_ct_frag6_reasm() checks again, this time counting the
unfragmentable extension headers: unfragmentable part + payload > 65535 ->
the queue is dropped (silently: the frame is "stolen" like a held one).
A6 2001:db8::1 -> B6 2001:db8:1::2, UDP; the big datagrams are two 32 KB
fragments plus a small last one.

 W1 f1 [0,16) M=1, f2 [65528,65544) M=0 (end past 65535), f3 [16,40) M=0
                  f2 is refused on arrival and leaves the queue intact: f3 completes the
                  40-byte datagram, NEW (entry 1); the harness counts f2 among its frames
 W2 f4-f6 HBH (8 bytes) + fragments [0,32768) [32768,65528) [65528,65535)
                  every fragment is within 65535, but 8 + 65535 > 65535: reassembly
                  refused, never completed (DROP)
 W3 f7-f9 no extension header, the same three fragments: payload 65535, the largest:
                  f9 NEW (entry 2)
"""
from common import A6, B6, Capture, udp, ext_opts
from common_frag import frag6, pattern

cap = Capture()

s = udp(A6, B6, 41601, 5440, pattern(32))
cap.add(frag6(A6, B6, 17, s[:16], 0, True, 0x6c01))
cap.add(frag6(A6, B6, 17, pattern(16, 1), 65528, False, 0x6c01), gap=0.01)
cap.add(frag6(A6, B6, 17, s[16:], 16, False, 0x6c01), gap=0.01)

for k, pre in ((2, ext_opts(44)), (3, b"")):
    big = udp(A6, B6, 41600 + k, 5440, pattern(65535 - 8, k), length=0xFFFF)
    for off, end in ((0, 32768), (32768, 65528), (65528, 65535)):
        cap.add(frag6(A6, B6, 17, big[off:end], off, end < 65535, 0x6c00 + k, pre=pre,
                      first_nh=0 if pre else None), gap=0.01)

cap.write("frag-oversize-v6.pcap")
