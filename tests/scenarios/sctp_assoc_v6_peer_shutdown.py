"""SCTP over IPv6; the shutdown is started by B (the responder), so the
entry goes through SHUTDOWN_RECD. A = [2001:db8::1]:5001 (tag 0x0a0a0a0a),
B = [2001:db8:1::2]:5002 (tag 0x0b0b0b0b). Default sysctls.

 f1  A INIT (vtag 0)                  NEW, CLOSED, timeout 10
 f2  B INIT_ACK                       ESTABLISHED/REPLY, COOKIE_WAIT, 3, SEEN_REPLY
 f3  A COOKIE_ECHO                    ESTABLISHED, COOKIE_ECHOED, 3
 f4  B COOKIE_ACK                     ESTABLISHED/REPLY, ESTABLISHED, 210, ASSURED
 f5  A DATA+SACK bundled, f6 B DATA+SACK bundled   ESTABLISHED
 f7  B SHUTDOWN                       ESTABLISHED/REPLY, SHUTDOWN_RECD, 3
 f8  A SHUTDOWN_ACK                   ESTABLISHED, SHUTDOWN_ACK_SENT, 3
 f9  B SHUTDOWN_COMPLETE              ESTABLISHED/REPLY, CLOSED, 10
Final table: `ipv6 10 sctp 132 10 CLOSED src=2001:0db8:... [ASSURED]`.
"""
from common import A6, B6, Capture
from common_l4 import Sctp

cap = Capture()
s = Sctp(cap, a=A6, b=B6)
s.handshake()
s.data_sack("a", b"v6 data from A")
s.data_sack("b", b"v6 data from B")
s.shutdown("b")
s.shutdown_ack("a")
s.shutdown_complete("b")
cap.write("sctp-assoc-v6-peer-shutdown.pcap")
