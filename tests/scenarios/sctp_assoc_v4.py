"""SCTP: one complete association over IPv4, started and shut down by A.
A = 192.0.2.1:5001 (Initiate Tag 0x0a0a0a0a), B = 198.51.100.2:5002 (Initiate
Tag 0x0b0b0b0b). Default sysctls. Asks which SCTP state, status bits and
timeout each chunk gives and when ASSURED appears. Every packet alone.

 f1  A INIT (vtag 0)              NEW, CLOSED, timeout 10 (INIT from NONE goes
                                  to CLOSED, not COOKIE_WAIT)
 f2  B INIT_ACK (vtag = A's tag)  ESTABLISHED/REPLY, SEEN_REPLY, COOKIE_WAIT, 3
 f3  A COOKIE_ECHO                ESTABLISHED, COOKIE_ECHOED, 3
 f4  B COOKIE_ACK                 ESTABLISHED/REPLY, ESTABLISHED, 210, ASSURED now
 f5  A DATA, f6 B SACK, f7 B DATA, f8 A SACK
                                  ESTABLISHED (no event: same state)
 f9  A SHUTDOWN                   SHUTDOWN_SENT, 3
 f10 B SHUTDOWN_ACK               SHUTDOWN_ACK_SENT, 3
 f11 A SHUTDOWN_COMPLETE          CLOSED, 10 (ASSURED stays)
 f12 A DATA on the closed entry   ESTABLISHED (ctstate), state stays CLOSED,
                                  timeout refreshed to 10 (no event)
Final table: one `sctp 132 10 CLOSED ... [ASSURED]` line.
"""
from common import Capture
from common_l4 import Sctp

cap = Capture()
s = Sctp(cap)
s.handshake()
s.data("a", b"hello from A")
s.sack("b")
s.data("b", b"hello from B")
s.sack("a")
s.shutdown("a")
s.shutdown_ack("b")
s.shutdown_complete("a")
s.data("a", b"late")
cap.write("sctp-assoc-v4.pcap")
