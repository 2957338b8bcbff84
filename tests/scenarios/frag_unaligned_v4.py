"""IPv4 non-final fragments whose length is not a multiple of 8 (default sysctls).

ip_frag_queue() rounds the end of a fragment with M=1 DOWN to a multiple of 8
(`end &= ~7`) and trims the skb: the extra bytes are silently thrown away, the
fragment is kept. (IPv6 is different: nf_ct_frag6_queue kills the queue and
hands the fragment to conntrack unreassembled; kernel-replay cannot record
that, see frag_v6_passthrough.py.) A fragment that is rounded down to nothing
(fewer than 8 bytes with M=1) has end == offset and kills the whole queue.
A = 192.0.2.1 -> B = 198.51.100.2, UDP, 40-byte datagrams; "junk" = bytes that
differ from the datagram's, reassembled.jsonl shows what conntrack got.

 U1 f1  [0,12) M=1: bytes 8-11 are junk               held, trimmed to [0,8)
    f2  [8,40) M=0 (the real bytes 8-39)              NEW: the junk is gone
 U2 f3  [0,12) M=1                                    held as [0,8)
    f4  [16,40) M=0                                   held (gap [8,16))
    f5  [8,16) M=1                                    NEW: completes the datagram
 U3 f6  [8,28) M=1 (20 bytes)                         held as [8,24)
    f7  [0,8) M=1                                     held
    f8  [24,40) M=0                                   NEW
 U4 f9  [8,16) M=1                                    held
    f10 [0,7) M=1 (7 bytes: rounded to an empty fragment)  kills the queue
    f11 [0,8) M=1, f12 [16,40) M=0                    a new queue without [8,16):
                                                      never completed (f9-f12 all DROP)
"""
from common import A4, B4, Capture, udp
from common_frag import frag4, pattern

cap = Capture()
junk = bytes([0xEE]) * 64


def dg(k):
    return udp(A4, B4, 40900 + k, 5370, pattern(32, k))


def F(seg, off, end, more, ident, junk_from=None):
    data = seg[off:end]
    if junk_from is not None:
        data = data[:junk_from - off] + junk[:end - junk_from]
    cap.add(frag4(A4, B4, 17, data, off, more, ident))


s = dg(1)
F(s, 0, 12, True, 0x1701, junk_from=8)
F(s, 8, 40, False, 0x1701)
s = dg(2)
cap.wait(0.01)
F(s, 0, 12, True, 0x1702, junk_from=8)
F(s, 16, 40, False, 0x1702)
F(s, 8, 16, True, 0x1702)
s = dg(3)
cap.wait(0.01)
F(s, 8, 28, True, 0x1703, junk_from=24)
F(s, 0, 8, True, 0x1703)
F(s, 24, 40, False, 0x1703)
s = dg(4)
cap.wait(0.01)
F(s, 8, 16, True, 0x1704)
F(s, 0, 7, True, 0x1704)
F(s, 0, 8, True, 0x1704)
F(s, 16, 40, False, 0x1704)

cap.write("frag-unaligned-v4.pcap")
