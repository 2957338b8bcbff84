"""IPv4 datagrams that reassemble to more than 65535 bytes (default sysctls).

ip_frag_queue() does not check offset + length against the 65535-byte limit;
a fragment ending past it is queued like any other. The check is in
ip_frag_reasm(): header + payload > 65535 -> -E2BIG, the queue is killed and
nothing reaches conntrack. (The frames are large: two fragments of 32 KB per
datagram; the harness MTU is 65535.) A4 192.0.2.1 -> B4 198.51.100.2, UDP.

 S1 f1 [0,32768) MF, f2 [32768,65528) MF, f3 [65528,65548) last (offset field 8191,
    the maximum)   20 + 65548 = 65568 bytes: reassembly refused, never completed (DROP)
 S2 f4 [0,32768) MF, f5 [32768,65512) MF, f6 [65512,65515) last
                   20 + 65515 = 65535 bytes, the largest datagram: f6 NEW (entry 1)
 S3 f7 [0,16) MF, f8 [65528,65548) last (ends past 65535), f9 [16,40) last
                   f8 is queued (it sets the datagram's end to 65548): f9, a second last
                   fragment with another end, kills the queue (ip_frag_queue:
                   discard_qp): never completed. (Were f8 refused on arrival, f9 would
                   have completed the 40-byte datagram.)
"""
from common import A4, B4, Capture, udp
from common_frag import frag4, pattern

cap = Capture()

s1 = udp(A4, B4, 41501, 5430, pattern(65548 - 8), length=0xFFFF)
for off, end in ((0, 32768), (32768, 65528), (65528, 65548)):
    cap.add(frag4(A4, B4, 17, s1[off:end], off, end < 65548, 0x1c01), gap=0.01)
s2 = udp(A4, B4, 41502, 5430, pattern(65515 - 8, 1))
for off, end in ((0, 32768), (32768, 65512), (65512, 65515)):
    cap.add(frag4(A4, B4, 17, s2[off:end], off, end < 65515, 0x1c02), gap=0.01)
s3 = udp(A4, B4, 41503, 5430, pattern(32, 2))
cap.add(frag4(A4, B4, 17, s3[:16], 0, True, 0x1c03), gap=0.01)
cap.add(frag4(A4, B4, 17, pattern(20, 3), 65528, False, 0x1c03), gap=0.01)
cap.add(frag4(A4, B4, 17, s3[16:], 16, False, 0x1c03), gap=0.01)

cap.write("frag-oversize-v4.pcap")
