"""TCP: the server closes first, then retransmissions in the closing states.

A = 192.0.2.1:40002 (client), B = 198.51.100.2:80, default sysctls. SYNs carry
MSS, SACK-permitted and window scale 7.

 f1-f3 handshake                          SYN_SENT, SYN_RECV, ESTABLISHED+ASSURED
 f4  A 20 bytes, f5 B 200 bytes (acks f4), f6 A ACK     ESTABLISHED
 f7  B FIN/ACK                            FIN_WAIT (120) (a FIN from the reply
                                          direction: the state is per
                                          connection, not per side)
 f8  A ACK of the FIN                     CLOSE_WAIT (60)
 f9  A FIN/ACK                            LAST_ACK (30)
 f10 B FIN/ACK retransmitted (same seq)   LAST_ACK stays (fin: LA -> LA)
 f11 B ACK of A's FIN                     TIME_WAIT (120)
 f12 A ACK again (retransmitted last ACK) TIME_WAIT stays
 f13 B FIN/ACK retransmitted in TIME_WAIT TIME_WAIT stays
All frames ESTABLISHED except f1 (NEW); no reasons.
"""
from common import Capture, Tcp, syn_options

cap = Capture()
c = Tcp(cap, sport=40002, dport=80, isn_a=10000, isn_b=20000)
c.handshake(opts_a=syn_options(), opts_b=syn_options(), win_a=64240, win_b=65160)
c.win["a"], c.win["b"] = 502, 509
c.a("PA", b"q" * 20)
c.b("PA", b"r" * 200)
c.a("A")
fin_b = c.nxt["b"]
c.b("FA")                                   # f7
c.a("A")                                    # f8
c.a("FA")                                   # f9
c.b("FA", seq=fin_b, ack=c.nxt["a"] - 1, advance=False)   # f10 retransmitted FIN
c.b("A")                                    # f11
c.a("A")                                    # f12
c.b("FA", seq=fin_b, advance=False)         # f13
cap.write("tcp-close-server-first.pcap")
