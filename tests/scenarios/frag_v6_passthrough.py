"""IPv6 fragments that nf_defrag_ipv6 hands to conntrack UNREASSEMBLED.
NOT IN record.sh's MANIFEST: kernel-replay cannot record this scenario (it exits 1,
"unmatched_records": it expects the verdict of a fragment to be logged for a
reassembled datagram, and here conntrack's verdict record is the fragment
itself). The verdicts below were read from the raw NFLOG stream
(kernel-replay --keep-raw, then `python3 common_frag.py raw OUTDIR`), twice,
identical; Linux 6.18.44.

nf_ct_frag6_gather() returns 0 ("accept as is") instead of queueing when
 - the fragment at offset 0 does not hold the whole upper-layer header
   (ipv6frag_thdr_truncated, RFC 8200 4.5: TCP 20 bytes, UDP 8, ICMPv6 8,
   anything else 1 byte, after the extension headers behind the fragment
   header); the fragment is not queued and a pending queue is left alone;
 - a non-final fragment's length is not a multiple of 8 (nf_ct_frag6_queue:
   inet_frag_kill, -EPROTO): the pending queue of that id is KILLED and the
   fragment passes.
conntrack then sees a fragment: with offset 0 it parses the (truncated) L4
header and finds it INVALID (the L4 tracker's reason, if any); with offset > 0
it cannot find the L4 header at all (ipv6_get_l4proto) and the packet gets no
conntrack entry: ctstate INVALID, no reason. Either way the fragment is
forwarded (verdict ACCEPT) unless a ruleset drops INVALID. (IPv4 never does
this: see frag-unaligned-v4.) A6 2001:db8::1 -> B6 2001:db8:1::2, UDP :43001.. ->
:5500, 40-byte datagrams unless said otherwise.

 P1 f1  [0,12) M=1 (unaligned first fragment)     INVALID "nf_ct_proto_17: truncated/malformed
                                                   packet" (UDP length 40 > 12), ACCEPT
    f2  [8,40) M=0                                 held (a new queue)
    f3  [0,8) M=1                                  NEW: completes f2+f3
 P2 f4  [16,40) M=0                                held
    f5  [8,20) M=1 (unaligned, not first)          INVALID, no reason, ACCEPT; kills f4's queue
    f6  [0,16) M=1                                 held in a new queue: never completed
 P3 f7  [0,4) M=1 (4 bytes of UDP header)          INVALID "nf_ct_proto_17: short packet"
    f8  [8,40) M=0                                 held, never completed
 P4 f9  TCP SYN, [0,8) M=1 (8 of its 40 header bytes)   INVALID, no reason
    f10 [8,40) M=0                                 held, never completed
 P5 f11 fragment header + destination options only (UDP in the next fragment)
                                                   INVALID, no reason
    f12 the rest                                   held, never completed
 P6 f13 [16,40) M=0                                held
    f14 [0,12) M=1 (unaligned first)               INVALID "truncated/malformed packet";
                                                   kills f13's queue
    f15 [0,16) M=1                                 held, never completed
 P7 f16 atomic fragment (offset 0, M=0) with 4 bytes of UDP   INVALID "short packet"
 P8 f17 [16,40) M=0                                held
    f18 [0,4) M=1 (truncated first)                INVALID "short packet"; not queued, f17's
                                                   queue untouched
    f19 [0,16) M=1                                 NEW: completes f17+f19
"""
from common import A6, B6, Capture, udp, tcp, ext_opts, syn_options
from common_frag import frag6, pattern

cap = Capture()


def u(sp, n=32):
    return udp(A6, B6, sp, 5500, pattern(n, sp))


def F(nh, data, off, more, ident, gap=0.001):
    cap.add(frag6(A6, B6, nh, data, off, more, ident), gap=gap)


s = u(43001)
F(17, s[:12], 0, True, 0x8001)
F(17, s[8:], 8, False, 0x8001)
F(17, s[:8], 0, True, 0x8001)
s = u(43002)
F(17, s[16:], 16, False, 0x8002, 0.01)
F(17, s[8:20], 8, True, 0x8002)
F(17, s[:16], 0, True, 0x8002)
s = u(43003)
F(17, s[:4], 0, True, 0x8003, 0.01)
F(17, s[8:], 8, False, 0x8003)
s = tcp(A6, B6, 43004, 80, 1, 0, "S", options=syn_options(ts=1))
F(6, s[:8], 0, True, 0x8004, 0.01)
F(6, s[8:], 8, False, 0x8004)
body = ext_opts(17) + u(43005)
F(60, body[:8], 0, True, 0x8005, 0.01)
F(60, body[8:], 8, False, 0x8005)
s = u(43006)
F(17, s[16:], 16, False, 0x8006, 0.01)
F(17, s[:12], 0, True, 0x8006)
F(17, s[:16], 0, True, 0x8006)
s = u(43007)
F(17, s[:4], 0, False, 0x8007, 0.01)
s = u(43008)
F(17, s[16:], 16, False, 0x8008, 0.01)
F(17, s[:4], 0, True, 0x8008)
F(17, s[:16], 0, True, 0x8008)

cap.write("frag-v6-passthrough.pcap")
