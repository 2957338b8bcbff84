"""SCTP: ABORT in COOKIE_WAIT, COOKIE_ECHOED, ESTABLISHED and SHUTDOWN_SENT,
from either side, with and without the T bit, with right and wrong tags;
what comes after an ABORT. A = 192.0.2.1, B = 198.51.100.2, one port pair
per association, A's tag 0x0a0a02NN, B's 0x0b0b02NN. Default sysctls.
Every ABORT that passes the tag check moves the entry to CLOSED (10 s),
whatever the state; ASSURED stays. Wrong tags: INVALID without a reason.

 f1-f2   :5201 INIT, INIT_ACK               NEW CLOSED, REPLY COOKIE_WAIT
 f3      A ABORT T=0 vtag = B's tag         ESTABLISHED, CLOSED, 10
 f4-f6   :5202 INIT, INIT_ACK, COOKIE_ECHO  ... COOKIE_ECHOED
 f7      B ABORT T=0 vtag = A's tag         ESTABLISHED/REPLY, CLOSED
 f8-f11  :5203 full handshake               ... ESTABLISHED, ASSURED
 f12     A ABORT T=1 vtag = B's tag         INVALID (T set wants A's own tag)
 f13     A ABORT T=1 vtag = A's tag (reflected)   ESTABLISHED, CLOSED
 f14     A DATA after the ABORT             ESTABLISHED, stays CLOSED
 f15-f18 :5204 full handshake
 f19     B ABORT T=0 vtag 0                 INVALID
 f20     B ABORT T=0 vtag = A's tag         ESTABLISHED/REPLY, CLOSED
 f21-f24 :5205 full handshake
 f25     A SHUTDOWN                         SHUTDOWN_SENT, 3
 f26     B ABORT T=1 vtag = B's tag         ESTABLISHED/REPLY, CLOSED, 10
 f27     A DATA + ABORT bundled (:5205, already CLOSED)   ESTABLISHED, CLOSED
"""
from common import Capture
from common_l4 import Sctp, c_data, c_abort

cap = Capture()


def assoc(n):
    return Sctp(cap, sport=5200 + n, dport=5200 + n, tag_a=0x0A0A0200 + n, tag_b=0x0B0B0200 + n)


s = assoc(1)
s.init("a"); s.init_ack("b")
s.abort("a")
s = assoc(2)
s.init("a"); s.init_ack("b"); s.cookie_echo("a")
s.abort("b")
s = assoc(3)
s.handshake()
s.abort("a", t=True, vtag=s.tag["b"])
s.abort("a", t=True)
s.data("a", b"after abort")
s = assoc(4)
s.handshake()
s.abort("b", vtag=0)
s.abort("b")
s = assoc(5)
s.handshake()
s.shutdown("a")
s.abort("b", t=True)
s.send("a", c_data(s.tsn["a"], b"x") + c_abort())
cap.write("sctp-abort-states.pcap")
