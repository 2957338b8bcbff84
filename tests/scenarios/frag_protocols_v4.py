"""IPv4: one fragmented datagram per protocol, fragments in order (default sysctls).

nf_defrag_ipv4 (ip_defrag, user IP_DEFRAG_CONNTRACK_BRIDGE_IN on this bridged
path) holds every fragment until the datagram is complete; conntrack then sees
the reassembled datagram once, on the fragment that completed it. The earlier
fragments get no conntrack verdict of their own (ctstate null, note "datagram
completed by frame N") and share the datagram's fate (verdict ACCEPT).
A = 192.0.2.1, B = 198.51.100.2.

 UDP A:40100 -> B:5300, 148 bytes of UDP in 3 fragments (64+64+20), id 0x1001:
 f1, f2  null (held)
 f3      NEW (entry 1, udp), completes the datagram of f1-f3
 f4      B -> A reply, not fragmented: ESTABLISHED/REPLY, SEEN_REPLY
 TCP A:40101 -> B:80, the SYN (40-byte header with MSS/SACK/TS/WS) in 2 fragments
 (16 + 24 bytes), id 0x1002:
 f5      null (held)
 f6      NEW, SYN_SENT (entry 2), completes f5-f6
 f7      B -> A SYN/ACK, not fragmented: ESTABLISHED/REPLY, SYN_RECV
 f8      A -> B ACK: ESTABLISHED
 f9-f11  A -> B 300 bytes of data in 3 fragments (104+104+112, id 0x1004):
         f11 ESTABLISHED, f9/f10 held
 f12, f13 B -> A ACK of the data in 2 fragments (id 0x2002): f13 ESTABLISHED/REPLY
 ICMP echo id 0x0a01, 208 bytes in 2 fragments each way:
 f14, f15 request (id 0x1005): f15 NEW (entry 3, icmp)
 f16, f17 reply (id 0x2003): f17 ESTABLISHED/REPLY
 Protocol 253 (generic), 40 bytes in 2 fragments (24 + 16):
 f18, f19 (id 0x1006): f19 NEW (entry 4, unknown 253)
 f20      B -> A unfragmented: ESTABLISHED/REPLY
"""
from common import A4, B4, Capture, ipv4, udp, tcp, icmp4, syn_options
from common_frag import send4, pattern

cap = Capture()

# UDP
send4(cap, A4, B4, 17, udp(A4, B4, 40100, 5300, pattern(140)), (64, 64), 0x1001)
cap.add(ipv4(B4, A4, 17, udp(B4, A4, 5300, 40100, b"reply"), ident=0x2001), frm="b")

# TCP
syn = tcp(A4, B4, 40101, 80, 1000, 0, "S", options=syn_options(ts=111))
send4(cap, A4, B4, 6, syn, (16,), 0x1002, gap=0.01)
cap.add(ipv4(B4, A4, 6, tcp(B4, A4, 80, 40101, 5000, 1001, "SA", options=syn_options(ts=222)),
             ident=0x2000), frm="b")
cap.add(ipv4(A4, B4, 6, tcp(A4, B4, 40101, 80, 1001, 5001, "A"), ident=0x1003))
data = tcp(A4, B4, 40101, 80, 1001, 5001, "PA", data=pattern(300, 1))
send4(cap, A4, B4, 6, data, (104, 104), 0x1004)
ack = tcp(B4, A4, 80, 40101, 5001, 1301, "A", data=b"")
send4(cap, B4, A4, 6, ack, (8,), 0x2002, frm="b")

# ICMP echo
send4(cap, A4, B4, 1, icmp4(8, 0, 0x0a01, 1, pattern(200, 2)), (104,), 0x1005, gap=0.01)
send4(cap, B4, A4, 1, icmp4(0, 0, 0x0a01, 1, pattern(200, 2)), (104,), 0x2003, frm="b")

# generic protocol 253
send4(cap, A4, B4, 253, pattern(40, 3), (24,), 0x1006, gap=0.01)
cap.add(ipv4(B4, A4, 253, pattern(16, 4), ident=0x2004), frm="b")

cap.write("frag-protocols-v4.pcap")
