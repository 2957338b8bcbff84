"""ICMPv6 errors whose quoted IPv6 packet has extension headers before the
transport header (ipv6_get_l4proto on the quote: ipv6_skip_exthdr, and a
fragment header with a non-zero offset is refused). A = 2001:db8::1,
B = 2001:db8:1::2. Errors are B -> A 1/4 port unreachable quoting
A:48001 -> B:53 with 8 bytes of UDP after the extension headers (the quoted
payload length claims 100 bytes more than quoted: not checked).
Default sysctls.

 f1  UDP A:48001 -> B:53, f2 reply          NEW entry 1, ESTABLISHED/REPLY
 f3  quote: HBH + UDP                       RELATED/REPLY, entry 1
 f4  quote: destination options + UDP       RELATED/REPLY
 f5  quote: routing header type 0 (segments left 1) + UDP   RELATED/REPLY
 f6  quote: fragment header, offset 0, M=1 + UDP            RELATED/REPLY
 f7  quote: fragment header, offset 0, M=0 (atomic) + UDP   RELATED/REPLY
 f8  quote: fragment header, offset 8, M=0 + 8 bytes        INVALID, no reason
 f9  quote: fragment header, offset 8, M=1                  INVALID
 f10 quote: HBH + fragment (offset 0) + destination options + UDP   RELATED/REPLY
 f11 quote: AH + UDP                        RELATED/REPLY
 f12 quote: HBH whose length says 16 bytes, quote ends after 8   INVALID
 f13 quote: next header 59                  INVALID
 f14 quote: ESP                             INVALID (no entry for protocol 50)
 f15 quote: fragment header (offset 0) and nothing after it   INVALID
 f16 quote: HBH + 4 bytes of UDP            RELATED/REPLY
"""
from common import A6, B6, Capture, ipv6, udp, ext_opts, ext_routing, ext_frag, ext_ah, esp
from common_l4 import Sender

cap = Capture()
n = Sender(cap)
u = udp(A6, B6, 48001, 53, b"exthdr-query")
cap.add(ipv6(A6, B6, 17, u))
n.v6(B6, A6, 17, udp(B6, A6, 53, 48001, b"answer"))
U8 = u[:8]


def err(nh, body):
    n.err6(B6, A6, 1, 4, ipv6(A6, B6, nh, body, plen=len(body) + 100))


err(0, ext_opts(17) + U8)                                   # f3
err(60, ext_opts(17) + U8)                                  # f4
err(43, ext_routing(17, 0, 1, ["2001:db8:9::1"]) + U8)      # f5
err(44, ext_frag(17, 0, True) + U8)                         # f6
err(44, ext_frag(17, 0, False) + U8)                        # f7
err(44, ext_frag(17, 8, False) + U8)                        # f8
err(44, ext_frag(17, 8, True) + U8)                         # f9
err(0, ext_opts(44) + ext_frag(60, 0, True) + ext_opts(17) + U8)   # f10
err(51, ext_ah(17) + U8)                                    # f11
err(0, bytes([17, 1]) + bytes(6))                           # f12
err(59, U8)                                                 # f13
err(50, esp())                                              # f14
err(44, ext_frag(17, 0, True))                              # f15
err(0, ext_opts(17) + U8[:4])                               # f16
cap.write("icmperr-v6-exthdr.pcap")
