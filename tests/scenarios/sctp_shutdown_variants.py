"""SCTP: shutdown sequences other than the textbook one. A = 192.0.2.1,
B = 198.51.100.2, A's tags 0x0a0a13NN, B's 0x0b0b13NN. Default sysctls.
The table does not remember which side sent SHUTDOWN.

 :6301 simultaneous shutdown
 f1-f4   handshake                          ... ESTABLISHED, ASSURED
 f5  A SHUTDOWN                             SHUTDOWN_SENT, 3
 f6  B SHUTDOWN                             ESTABLISHED/REPLY, stays SHUTDOWN_SENT
 f7  A SHUTDOWN_ACK                         SHUTDOWN_ACK_SENT, 3
 f8  B SHUTDOWN_ACK                         ESTABLISHED/REPLY, SHUTDOWN_ACK_SENT
 f9  A SHUTDOWN_COMPLETE                    CLOSED, 10
 f10 B SHUTDOWN_COMPLETE                    ESTABLISHED/REPLY, CLOSED
 :6302 odd chunks in ESTABLISHED / SHUTDOWN states
 f11-f14 handshake
 f15 A SHUTDOWN_ACK without SHUTDOWN        ESTABLISHED, stays ESTABLISHED
 f16 A SHUTDOWN_COMPLETE in ESTABLISHED     ESTABLISHED, stays ESTABLISHED
 f17 B SHUTDOWN                             ESTABLISHED/REPLY, SHUTDOWN_RECD, 3
 f18 B DATA in SHUTDOWN_RECD                ESTABLISHED/REPLY, SHUTDOWN_RECD
 f19 B SHUTDOWN_COMPLETE in SHUTDOWN_RECD   ESTABLISHED/REPLY, SHUTDOWN_RECD
 f20 B SHUTDOWN_ACK (from the side that sent SHUTDOWN)
                                            ESTABLISHED/REPLY, SHUTDOWN_ACK_SENT
 f21 B SHUTDOWN_COMPLETE                    ESTABLISHED/REPLY, CLOSED, 10
 f22 A INIT on the CLOSED entry             ESTABLISHED, CLOSED (no refresh)
"""
from common import Capture
from common_l4 import Sctp

cap = Capture()
s = Sctp(cap, sport=6301, dport=6301, tag_a=0x0A0A1301, tag_b=0x0B0B1301)
s.handshake()
s.shutdown("a"); s.shutdown("b")
s.shutdown_ack("a"); s.shutdown_ack("b")
s.shutdown_complete("a"); s.shutdown_complete("b")
s = Sctp(cap, sport=6302, dport=6302, tag_a=0x0A0A1302, tag_b=0x0B0B1302)
s.handshake()
s.shutdown_ack("a")
s.shutdown_complete("a")
s.shutdown("b")
s.data("b", b"in shutdown_recd")
s.shutdown_complete("b")
s.shutdown_ack("b")
s.shutdown_complete("b")
s.init("a")
cap.write("sctp-shutdown-variants.pcap")
