"""ICMP (IPv4) error types and codes: which ICMP messages are looked into as
errors (3, 4, 5, 11, 12, any code), and what other types quoting a flow get.
A = 192.0.2.1, B = 198.51.100.2, R = 203.0.113.9. Errors R -> A quoting
UDP A:46001 -> B:53 (IP header + 8) unless said. Default sysctls.

 f1  UDP A:46001 -> B:53, f2 reply     NEW entry 1, ESTABLISHED/REPLY
 f3  TCP A:46002 -> B:80 SYN           NEW entry 2
 f4  timestamp request A -> B id 0x0e22   NEW entry 3
 f5  3/0 net unreachable               RELATED/REPLY, entry 1
 f6  3/4 fragmentation needed (MTU 1400)   RELATED/REPLY
 f7  3/13 administratively prohibited  RELATED/REPLY
 f8  3/200 (undefined code)            RELATED/REPLY (code not checked)
 f9  4/0 source quench                 RELATED/REPLY
 f10 5/1 redirect for host quoting the TCP SYN   RELATED/REPLY, entry 2
 f11 5/0 redirect for network          RELATED/REPLY
 f12 11/1 reassembly time exceeded     RELATED/REPLY
 f13 12/0 parameter problem (pointer 8), f14 12/1   RELATED/REPLY
 f15 type 6 (alternate host address)   INVALID, no reason (tracked as an ICMP
                                       "query" without an inverse)
 f16 type 19                           INVALID "nf_ct_proto_1: invalid icmp type"
 f17 type 40 (Photuris)                INVALID "invalid icmp type"
 f18 type 255                          INVALID "invalid icmp type"
 f19 R -> B 3/3 quoting a 3/3 error (error about an error)   INVALID, no reason
 f20 3/1 quoting the timestamp request RELATED/REPLY, entry 3
 f21 3/1 quoting an address mask request id 0x0e23 (no entry)   INVALID, no reason
 f22 type 9 (router advertisement)     INVALID, no reason
"""
import struct

from common import A4, B4, R4, Capture, ipv4, udp, tcp, icmp4, addr_bytes
from common_l4 import Sender, icmp4_err

cap = Capture()
n = Sender(cap)
q = ipv4(A4, B4, 17, udp(A4, B4, 46001, 53, b"types"))
cap.add(q)
n.v4(B4, A4, 17, udp(B4, A4, 53, 46001, b"answer"))
syn = ipv4(A4, B4, 6, tcp(A4, B4, 46002, 80, 1000, 0, "S"))
cap.add(syn)
ts = ipv4(A4, B4, 1, icmp4(13, 0, 0x0E22, 1, bytes(12)))
cap.add(ts)
Q = q[:28]
n.err4(R4, A4, 3, 0, Q)                                             # f5
n.err4(R4, A4, 3, 4, Q, rest=struct.pack(">HH", 0, 1400))           # f6
n.err4(R4, A4, 3, 13, Q)                                            # f7
n.err4(R4, A4, 3, 200, Q)                                           # f8
n.err4(R4, A4, 4, 0, Q)                                             # f9
n.err4(R4, A4, 5, 1, syn[:28], rest=addr_bytes(R4))                 # f10
n.err4(R4, A4, 5, 0, Q, rest=addr_bytes(R4))                        # f11
n.err4(R4, A4, 11, 1, Q)                                            # f12
n.err4(R4, A4, 12, 0, Q, rest=b"\x08\0\0\0")                       # f13
n.err4(R4, A4, 12, 1, Q)                                            # f14
n.err4(R4, A4, 6, 0, Q)                                             # f15
n.err4(R4, A4, 19, 0, Q)                                            # f16
n.err4(R4, A4, 40, 0, Q)                                            # f17
n.err4(R4, A4, 255, 0, Q)                                           # f18
inner_err = ipv4(B4, A4, 1, icmp4_err(3, 3, Q))
n.err4(R4, B4, 3, 3, inner_err[:28])                                # f19
n.err4(R4, A4, 3, 1, ts[:28])                                       # f20
n.err4(R4, A4, 3, 1, ipv4(A4, B4, 1, icmp4(17, 0, 0x0E23, 1, bytes(4)))[:28])   # f21
n.err4(R4, A4, 9, 0, Q)                                             # f22
cap.write("icmperr-types.pcap")
