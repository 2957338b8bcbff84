"""SCTP: INIT retransmission, INIT collision (both ends send INIT), an INIT
with a new tag (restart) before and after the association is up.
A = 192.0.2.1, B = 198.51.100.2. Default sysctls.

 :5601  A tag 0x0a0a0601, B tag 0x0b0b0601 (collision)
 f1  A INIT                                 NEW, CLOSED, 10
 f2  A INIT retransmission (same tag)       NEW (unreplied), CLOSED, no event
 f3  B INIT (vtag 0): collision             ESTABLISHED/REPLY, SEEN_REPLY, CLOSED
 f4  B INIT_ACK to A's INIT                 ESTABLISHED/REPLY, COOKIE_WAIT, 3
 f5  A INIT_ACK to B's INIT                 ESTABLISHED, COOKIE_WAIT (no change)
 f6  A COOKIE_ECHO                          COOKIE_ECHOED
 f7  B COOKIE_ECHO                          ESTABLISHED/REPLY, COOKIE_ECHOED
 f8  B COOKIE_ACK                           ESTABLISHED/REPLY, ESTABLISHED, ASSURED
 f9  A COOKIE_ACK, f10 A DATA, f11 B DATA   ESTABLISHED
 :5602  collision where B's INIT_ACK carries a tag other than its INIT's
 f12 A INIT (0x0a0a0602)                    NEW, CLOSED
 f13 B INIT (0x0b0b0602)                    ESTABLISHED/REPLY, CLOSED
 f14 B INIT_ACK, init tag 0x0b0bffff        INVALID, no reason (collision check)
 f15 B INIT_ACK, init tag 0x0b0b0602        ESTABLISHED/REPLY, COOKIE_WAIT
 :5603  A restarts before the INIT_ACK
 f16 A INIT (0x0a0a0603)                    NEW, CLOSED
 f17 A INIT with another tag (0x0a0a7777)   NEW, CLOSED (REPLY tag := 0x0a0a7777)
 f18 B INIT_ACK to the first INIT (vtag 0x0a0a0603)
                                            INVALID "verification tag check failed
                                            3060a0a vs 77770a0a for dir 1"
 f19 B INIT_ACK to the second (vtag 0x0a0a7777)   ESTABLISHED/REPLY, COOKIE_WAIT
 :5604  INIT on an ESTABLISHED association (peer restart)
 f20-f23 handshake (A 0x0a0a0604, B 0x0b0b0604)   ... ESTABLISHED, ASSURED
 f24 A INIT with a new tag 0x0a0a8888       ESTABLISHED, state stays ESTABLISHED, but
                                            the REPLY tag is replaced at once
 f25 B DATA with the old tag (0x0a0a0604)   INVALID "... failed 4060a0a vs 88880a0a for dir 1"
 f26 B DATA with the new tag (0x0a0a8888)   ESTABLISHED/REPLY
 f27 A DATA (vtag B's tag)                  ESTABLISHED
"""
from common import Capture
from common_l4 import Sctp, c_init, c_init_ack

cap = Capture()
s = Sctp(cap, sport=5601, dport=5601, tag_a=0x0A0A0601, tag_b=0x0B0B0601)
s.init("a")
s.init("a")
s.init("b")
s.init_ack("b")
s.init_ack("a")
s.cookie_echo("a")
s.cookie_echo("b")
s.cookie_ack("b")
s.cookie_ack("a")
s.data("a")
s.data("b")
s = Sctp(cap, sport=5602, dport=5602, tag_a=0x0A0A0602, tag_b=0x0B0B0602)
s.init("a")
s.init("b")
s.send("b", c_init_ack(0x0B0BFFFF, s.tsn["b"]))
s.init_ack("b")
s = Sctp(cap, sport=5603, dport=5603, tag_a=0x0A0A0603, tag_b=0x0B0B0603)
s.init("a")
s.send("a", c_init(0x0A0A7777, s.tsn["a"]), vtag=0)
s.init_ack("b")
s.init_ack("b", vtag=0x0A0A7777)
s = Sctp(cap, sport=5604, dport=5604, tag_a=0x0A0A0604, tag_b=0x0B0B0604)
s.handshake()
s.send("a", c_init(0x0A0A8888, s.tsn["a"]), vtag=0)
s.data("b", b"old tag")
s.data("b", b"new tag", vtag=0x0A0A8888)
s.data("a")
cap.write("sctp-init-collision.pcap")
