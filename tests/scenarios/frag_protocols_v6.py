"""IPv6: one fragmented datagram per protocol, fragments in order (default sysctls).

nf_defrag_ipv6 (nf_ct_frag6_gather) holds every fragment until the datagram
is complete, then conntrack sees the reassembled datagram, with the fragment
header removed, on the fragment that completed it. Earlier fragments: ctstate
null, note "datagram completed by frame N", verdict ACCEPT.
A = 2001:db8::1, B = 2001:db8:1::2.

 UDP A:40200 -> B:5301, 148 bytes of UDP in 3 fragments (64+64+20), id 0x6001:
 f1, f2  null (held)
 f3      NEW (entry 1, udp)
 f4      B -> A unfragmented reply: ESTABLISHED/REPLY, SEEN_REPLY
 TCP A:40201 -> B:80, the SYN (40 bytes: header + MSS/SACK/TS/WS) in 2 fragments
 (24 + 16; the first fragment must hold the whole 20-byte TCP header, or
 nf_defrag_ipv6 passes it to conntrack unreassembled: see
 frag_v6_passthrough.py), id 0x6002:
 f5      null (held)
 f6      NEW, SYN_SENT (entry 2)
 f7      B -> A SYN/ACK: ESTABLISHED/REPLY
 f8      A -> B ACK: ESTABLISHED
 f9-f11  300 bytes of data in 3 fragments (104+104+112), id 0x6004: f11 ESTABLISHED
 ICMPv6 echo id 0x0a02, 208 bytes in 2 fragments each way:
 f12, f13 request (id 0x6005): f13 NEW (entry 3, icmpv6)
 f14, f15 reply (id 0x7003): f15 ESTABLISHED/REPLY
 Next header 253 (generic), 40 bytes in 2 fragments (24 + 16):
 f16, f17 (id 0x6006): f17 NEW (entry 4, unknown 253)
 f18      B -> A unfragmented: ESTABLISHED/REPLY
"""
from common import A6, B6, Capture, ipv6, udp, tcp, icmp6, syn_options
from common_frag import send6, pattern

cap = Capture()

send6(cap, A6, B6, 17, udp(A6, B6, 40200, 5301, pattern(140)), (64, 64), 0x6001)
cap.add(ipv6(B6, A6, 17, udp(B6, A6, 5301, 40200, b"reply")), frm="b")

syn = tcp(A6, B6, 40201, 80, 1000, 0, "S", options=syn_options(ts=111))
send6(cap, A6, B6, 6, syn, (24,), 0x6002, gap=0.01)
cap.add(ipv6(B6, A6, 6, tcp(B6, A6, 80, 40201, 5000, 1001, "SA", options=syn_options(ts=222))),
        frm="b")
cap.add(ipv6(A6, B6, 6, tcp(A6, B6, 40201, 80, 1001, 5001, "A")))
data = tcp(A6, B6, 40201, 80, 1001, 5001, "PA", data=pattern(300, 1))
send6(cap, A6, B6, 6, data, (104, 104), 0x6004)

send6(cap, A6, B6, 58, icmp6(A6, B6, 128, 0, 0x0a02, 1, pattern(200, 2)), (104,), 0x6005,
      gap=0.01)
send6(cap, B6, A6, 58, icmp6(B6, A6, 129, 0, 0x0a02, 1, pattern(200, 2)), (104,), 0x7003,
      frm="b")

send6(cap, A6, B6, 253, pattern(40, 3), (24,), 0x6006, gap=0.01)
cap.add(ipv6(B6, A6, 253, pattern(16, 4)), frm="b")

cap.write("frag-protocols-v6.pcap")
