"""ICMP errors (IPv4) whose quote is cut at various points: how much of the
offending packet conntrack needs to find the entry: the 20-byte IPv4 header
+ 4 bytes (ports) for TCP/UDP/SCTP, + the whole 8-byte ICMP header for ICMP.
A too short quote is INVALID without a reason.
A = 192.0.2.1, B = 198.51.100.2, R = 203.0.113.9. Errors are B -> A port
unreachable (3/3) unless said. Default sysctls.

 f1  UDP A:44001 -> B:53, f2 reply     NEW entry 1, ESTABLISHED/REPLY
 f3  TCP A:44002 -> B:80 SYN           NEW entry 2
 f4  echo A -> B id 0x0e11, f5 reply   NEW entry 3, ESTABLISHED/REPLY
 UDP quoted:
 f6  19 bytes of IPv4 header           INVALID
 f7  IPv4 header only (20 bytes)       INVALID
 f8  IPv4 + 2 bytes, f9 IPv4 + 3 bytes INVALID, INVALID
 f10 IPv4 + 4 bytes (ports only)       RELATED/REPLY, entry 1
 f11 IPv4 + 8 bytes                    RELATED/REPLY
 f12 the whole datagram                RELATED/REPLY
 TCP quoted:
 f13 IPv4 + 1 byte                     INVALID
 f14 IPv4 + 4 bytes                    RELATED/REPLY, entry 2
 echo quoted (R -> A time exceeded):
 f15 IPv4 + 4 bytes, f16 IPv4 + 7      INVALID, INVALID
 f17 IPv4 + 8 bytes                    RELATED/REPLY, entry 3
 f18 error with no quote (8 bytes of ICMP)   INVALID, no reason
 f19 error of 6 bytes (ICMP header cut)      INVALID "nf_ct_proto_1: short packet"
 f20 UDP A -> B                        ESTABLISHED
"""
from common import A4, B4, R4, Capture, ipv4, udp, tcp, icmp4
from common_l4 import Sender

cap = Capture()
n = Sender(cap)
q = ipv4(A4, B4, 17, udp(A4, B4, 44001, 53, b"query-for-truncation"))
cap.add(q)
n.v4(B4, A4, 17, udp(B4, A4, 53, 44001, b"answer"))
syn = ipv4(A4, B4, 6, tcp(A4, B4, 44002, 80, 1000, 0, "S"))
cap.add(syn)
echo = ipv4(A4, B4, 1, icmp4(8, 0, 0x0E11, 1, b"ping"))
cap.add(echo)
n.v4(B4, A4, 1, icmp4(0, 0, 0x0E11, 1, b"ping"))
for k in (19, 20, 22, 23, 24, 28, len(q)):        # f6-f12
    n.err4(B4, A4, 3, 3, q[:k])
for k in (21, 24):                                # f13, f14
    n.err4(B4, A4, 3, 3, syn[:k])
for k in (24, 27, 28):                            # f15-f17
    n.err4(R4, A4, 11, 0, echo[:k])
n.err4(B4, A4, 3, 3, b"")                         # f18
n.v4(B4, A4, 1, icmp4(3, 3, rest=b"\0\0\0\0")[:6])   # f19
cap.add(q)                                        # f20
cap.write("icmperr-truncated.pcap")
