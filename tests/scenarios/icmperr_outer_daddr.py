"""ICMP errors (IPv4): who may send them and to whom. The kernel looks the
quoted (inverted) tuple up and then only checks that the outer destination
is the destination of the matching direction of the entry, else INVALID
"nf_ct_proto_1: outer daddr X != inner Y"; the outer source is never
checked. A = 192.0.2.1, B = 198.51.100.2, R = 203.0.113.9, X = 203.0.113.50.
Default sysctls.

 f1  UDP A:43001 -> B:53, f2 B reply       NEW entry 1, ESTABLISHED/REPLY
 f3  TCP A:43002 -> B:80 SYN (unanswered)  NEW entry 2, SYN_SENT
 f4  B -> A port unreachable quoting A -> B (from the endpoint)   RELATED/REPLY
 f5  R -> A the same from a router         RELATED/REPLY
 f6  R -> B quoting A -> B                 INVALID "outer daddr 198.51.100.2 != inner 192.0.2.1"
 f7  R -> X quoting A -> B                 INVALID "outer daddr 203.0.113.50 != inner 192.0.2.1"
 f8  A -> B port unreachable quoting B -> A (the reply)   RELATED/ORIGINAL
 f9  R -> A quoting B -> A                 INVALID "outer daddr 192.0.2.1 != inner 198.51.100.2"
 f10 A -> A (source = destination) quoting A -> B         RELATED/REPLY (source not checked)
 f11 B -> A quoting the unanswered SYN     RELATED/REPLY, entry 2 (stays unreplied)
 f12 R -> A quoting B:43001 -> A:53 (addresses swapped, ports not)   INVALID, no reason
 f13 R -> A quoting A:53 -> B:43001 (ports swapped)       INVALID, no reason
 f14 A -> B UDP                            ESTABLISHED (status still SEEN_REPLY only)
"""
from common import A4, B4, R4, Capture, ipv4, udp, tcp
from common_l4 import Sender

X4 = "203.0.113.50"
cap = Capture()
n = Sender(cap)
q = ipv4(A4, B4, 17, udp(A4, B4, 43001, 53, b"query"))
cap.add(q)
r = ipv4(B4, A4, 17, udp(B4, A4, 53, 43001, b"answer"))
cap.add(r, frm="b")
syn = ipv4(A4, B4, 6, tcp(A4, B4, 43002, 80, 1000, 0, "S"))
cap.add(syn)
n.err4(B4, A4, 3, 3, q[:28])                      # f4
n.err4(R4, A4, 3, 3, q[:28])                      # f5
n.err4(R4, B4, 3, 3, q[:28])                      # f6
n.err4(R4, X4, 3, 3, q[:28])                      # f7
n.err4(A4, B4, 3, 3, r[:28])                      # f8
n.err4(R4, A4, 3, 3, r[:28])                      # f9
n.err4(A4, A4, 3, 3, q[:28])                      # f10
n.err4(B4, A4, 3, 3, syn[:28])                    # f11
n.err4(R4, A4, 3, 3, ipv4(B4, A4, 17, udp(B4, A4, 43001, 53, b"query"))[:28])   # f12
n.err4(R4, A4, 3, 3, ipv4(A4, B4, 17, udp(A4, B4, 53, 43001, b"query"))[:28])   # f13
cap.add(q)                                        # f14
cap.write("icmperr-outer-daddr.pcap")
