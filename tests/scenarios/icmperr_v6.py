"""ICMPv6 errors (types 1-4, and other types < 128) quoting UDP, TCP and
echo over IPv6, from the endpoint and from a router, in both directions;
outer destination mismatch; truncated quotes. A = 2001:db8::1,
B = 2001:db8:1::2, R = 2001:db8:2::9, link-local R fe80::9.
Quotes are the offending packet's IPv6 header + 8 bytes unless said.
Default sysctls.

 f1  UDP A:47001 -> B:53, f2 reply    NEW entry 1, ESTABLISHED/REPLY
 f3  TCP A:47002 -> B:80 SYN          NEW entry 2
 f4  echo A -> B id 0x0e31, f5 reply  NEW entry 3, ESTABLISHED/REPLY
 f6  B -> A 1/4 port unreachable quoting the whole UDP datagram   RELATED/REPLY, entry 1
 f7  R -> A 2/0 packet too big (MTU 1280) quoting the SYN         RELATED/REPLY, entry 2
 f8  R -> A 3/0 time exceeded quoting the echo request            RELATED/REPLY, entry 3
 f9  R -> A 4/0 parameter problem (pointer 6)                     RELATED/REPLY, entry 1
 f10 R -> B 3/0 quoting the UDP reply (B -> A)                    RELATED/ORIGINAL, entry 1
 f11 R -> B 1/3 quoting A -> B        INVALID "nf_ct_proto_58: outer daddr
     2001:0db8:0001:0000:0000:0000:0000:0002 != inner 2001:0db8:0000:0000:0000:0000:0000:0001"
     (%pI6: full, uncompressed)
 f12 fe80::9 -> A 1/0 quoting A -> B (link-local source)          RELATED/REPLY
 f13 quote: IPv6 header only (40 bytes)       INVALID, no reason
 f14 quote: IPv6 + 2 bytes of UDP             INVALID
 f15 quote: IPv6 + 4 bytes                    RELATED/REPLY, entry 1
 f16 quote: 39 bytes of IPv6 header           INVALID
 f17 quote: echo request, IPv6 + 7 bytes      INVALID
 f18 R -> B 1/4 quoting a 1/4 error           INVALID, no reason
 f19 R -> A type 0 (reserved, < 128) quoting the UDP datagram    RELATED/REPLY (entry 1;
                                              kernel-replay only names entries for 1-4)
 f20 R -> A type 127 quoting the UDP datagram RELATED/REPLY (entry 1, likewise)
 f21 R -> A 1/4 with a hop-by-hop header in the OUTER packet     RELATED/REPLY, entry 1
 f22 R -> A 3/0 quoting the echo request with code 1   INVALID (code is in the tuple)
 f23 UDP A -> B                               ESTABLISHED, entry 1
"""
import struct

from common import A6, B6, R6, LL_R, Capture, ipv6, udp, tcp, icmp6, ext_opts
from common_l4 import Sender, icmp6_err

cap = Capture()
n = Sender(cap)
q = ipv6(A6, B6, 17, udp(A6, B6, 47001, 53, b"v6-query"))
cap.add(q)
r = ipv6(B6, A6, 17, udp(B6, A6, 53, 47001, b"v6-answer"))
cap.add(r, frm="b")
syn = ipv6(A6, B6, 6, tcp(A6, B6, 47002, 80, 1000, 0, "S"))
cap.add(syn)
echo = ipv6(A6, B6, 58, icmp6(A6, B6, 128, 0, 0x0E31, 1, b"ping6"))
cap.add(echo)
n.v6(B6, A6, 58, icmp6(B6, A6, 129, 0, 0x0E31, 1, b"ping6"))
n.err6(B6, A6, 1, 4, q)                                            # f6
n.err6(R6, A6, 2, 0, syn[:48], rest=struct.pack(">I", 1280))       # f7
n.err6(R6, A6, 3, 0, echo[:48])                                    # f8
n.err6(R6, A6, 4, 0, q[:48], rest=struct.pack(">I", 6))            # f9
n.err6(R6, B6, 3, 0, r[:48])                                       # f10
n.err6(R6, B6, 1, 3, q[:48])                                       # f11
n.err6(LL_R, A6, 1, 0, q[:48])                                     # f12
for k in (40, 42, 44, 39):                                         # f13-f16
    n.err6(R6, A6, 1, 4, q[:k])
n.err6(R6, A6, 3, 0, echo[:47])                                    # f17
inner = ipv6(B6, A6, 58, icmp6_err(B6, A6, 1, 4, q[:48]))
n.err6(R6, B6, 1, 4, inner[:48])                                   # f18
n.err6(R6, A6, 0, 0, q[:48])                                       # f19
n.err6(R6, A6, 127, 0, q[:48])                                     # f20
n.err6(R6, A6, 1, 4, q[:48], nh=0, ext=ext_opts(58))               # f21
e1 = bytearray(echo[:48]); e1[41] = 1
n.err6(R6, A6, 3, 0, bytes(e1))                                    # f22
cap.add(q)                                                         # f23
cap.write("icmperr-v6.pcap")
