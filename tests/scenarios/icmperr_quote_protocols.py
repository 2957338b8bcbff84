"""ICMP errors (IPv4) quoting each tracked protocol, sent by a router R or by
the endpoint, in both directions of the quoted entry. A = 192.0.2.1,
B = 198.51.100.2, R = 203.0.113.9. Quotes are the offending packet's IP
header + 8 bytes unless said. Default sysctls. The quoted tuple is inverted
and looked up; ctdir of the error is the direction of the entry it travels
in (an error about an A->B packet goes to A: REPLY). RELATED packets leave
the entry untouched: no event, no status change (SEEN_REPLY is not set by
them, f18/f19), no protocol state change.

 f1  TCP A:41001 -> B:80 SYN          NEW, entry 1, SYN_SENT
 f2  B SYN/ACK                        ESTABLISHED/REPLY, SYN_RECV
 f3  UDP A:42001 -> B:53, f4 reply    NEW entry 2, ESTABLISHED/REPLY
 f5  SCTP A:5001 -> B:5002 INIT, f6 B INIT_ACK   NEW entry 3 CLOSED, REPLY COOKIE_WAIT
 f7  GREv0 A -> B, f8 GREv0 B -> A    NEW entry 4, ESTABLISHED/REPLY
 f9  GREv1 (PPTP) A -> B call 0x1234  NEW entry 5 (keys 0 / 0x1234)
 f10 GREv1 B -> A call id 0x5678      NEW entry 6 (not entry 5's reply)
 f11 ICMP echo A -> B id 0x0e01, f12 reply   NEW entry 7, ESTABLISHED/REPLY
 f13 R -> A host unreachable quoting the SYN        RELATED/REPLY, entry 1
 f14 B -> A port unreachable quoting the whole UDP datagram   RELATED/REPLY, entry 2
 f15 R -> B time exceeded quoting the UDP reply (B -> A)       RELATED/ORIGINAL, entry 2
 f16 R -> A quoting the SCTP INIT (12 bytes of SCTP)           RELATED/REPLY, entry 3
 f17 R -> A quoting GREv0 A -> B                   RELATED/REPLY, entry 4
 f18 R -> A quoting GREv1 A -> B call 0x1234       RELATED/REPLY, entry 5
 f19 R -> B quoting GREv1 B -> A call 0x5678       RELATED/REPLY, entry 6
 f20 R -> A time exceeded quoting the echo request RELATED/REPLY, entry 7
 f21 R -> B time exceeded quoting the echo reply   RELATED/ORIGINAL, entry 7
 f22 B -> A quoting the SYN with its whole TCP header   RELATED/REPLY, entry 1
 f23 R -> A quoting UDP A:42001 -> B:54 (no entry)      INVALID, no reason
 f24 R -> A quoting GREv1 call 0x9999 (no entry)        INVALID, no reason
 f25 R -> A quoting GREv1 with protocol 0x0800          INVALID, no reason (no tuple)
 f26 R -> A quoting GREv0 with key 0x77 and sequence    RELATED/REPLY, entry 4 (keys ignored)
 f27 R -> A quoting the SCTP INIT, 4 bytes (ports only) RELATED/REPLY, entry 3
 f28 R -> A quoting echo request id 0x0e02 (no entry)   INVALID, no reason
 f29 A -> B TCP ACK                   ESTABLISHED, ESTABLISHED, ASSURED (TCP state
                                      untouched by f13/f22)
"""
import struct

from common import A4, B4, R4, Capture, ipv4, udp, icmp4, tcp
from common_l4 import Sender, gre, sctp, c_init, c_init_ack

cap = Capture()
n = Sender(cap)
syn = ipv4(A4, B4, 6, tcp(A4, B4, 41001, 80, 1000, 0, "S"))
n.v4(A4, B4, 6, tcp(A4, B4, 41001, 80, 1000, 0, "S"))
n.v4(B4, A4, 6, tcp(B4, A4, 80, 41001, 5000, 1001, "SA"))
dgram = ipv4(A4, B4, 17, udp(A4, B4, 42001, 53, b"query"))
cap.add(dgram)
reply = ipv4(B4, A4, 17, udp(B4, A4, 53, 42001, b"answer"))
cap.add(reply, frm="b")
init = ipv4(A4, B4, 132, sctp(5001, 5002, 0, c_init(0x0A0A0A0A, 1)))
cap.add(init)
n.v4(B4, A4, 132, sctp(5002, 5001, 0x0A0A0A0A, c_init_ack(0x0B0B0B0B, 1)))
g0 = ipv4(A4, B4, 47, gre(0x0800, b"\x45" + bytes(19)))
cap.add(g0)
n.v4(B4, A4, 47, gre(0x0800, b"\x45" + bytes(19)))
g1 = ipv4(A4, B4, 47, gre(0x880B, b"\xff\x03\x00\x21", version=1, call_id=0x1234, seq=1))
cap.add(g1)
g1b = ipv4(B4, A4, 47, gre(0x880B, b"\xff\x03\x00\x21", version=1, call_id=0x5678, seq=1))
cap.add(g1b, frm="b")
echo = ipv4(A4, B4, 1, icmp4(8, 0, 0x0E01, 1, b"ping"))
cap.add(echo)
echo_reply = ipv4(B4, A4, 1, icmp4(0, 0, 0x0E01, 1, b"ping"))
cap.add(echo_reply, frm="b")
n.err4(R4, A4, 3, 1, syn[:28])                       # f13
n.err4(B4, A4, 3, 3, dgram)                          # f14
n.err4(R4, B4, 11, 0, reply[:28])                    # f15
n.err4(R4, A4, 3, 1, init[:32])                      # f16
n.err4(R4, A4, 3, 1, g0[:28])                        # f17
n.err4(R4, A4, 3, 1, g1[:28])                        # f18
n.err4(R4, B4, 3, 1, g1b[:28])                       # f19
n.err4(R4, A4, 11, 0, echo[:28])                     # f20
n.err4(R4, B4, 11, 0, echo_reply[:28])               # f21
n.err4(B4, A4, 3, 3, syn)                            # f22
n.err4(R4, A4, 3, 1, ipv4(A4, B4, 17, udp(A4, B4, 42001, 54, b"query"))[:28])     # f23
n.err4(R4, A4, 3, 1, ipv4(A4, B4, 47, gre(0x880B, b"", version=1, call_id=0x9999, seq=1))[:28])  # f24
n.err4(R4, A4, 3, 1, ipv4(A4, B4, 47, gre(0x0800, b"", version=1, call_id=0x1234, seq=1))[:28])  # f25
n.err4(R4, A4, 3, 1, ipv4(A4, B4, 47, gre(0x0800, b"\x45" + bytes(19), key=0x77, seq=5))[:36])    # f26
n.err4(R4, A4, 3, 1, init[:24])                      # f27
n.err4(R4, A4, 11, 0, ipv4(A4, B4, 1, icmp4(8, 0, 0x0E02, 1, b"ping"))[:28])      # f28
n.v4(A4, B4, 6, tcp(A4, B4, 41001, 80, 1001, 5001, "A"))                          # f29
cap.write("icmperr-quote-protocols.pcap")
