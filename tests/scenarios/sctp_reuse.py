"""SCTP: a new association on a tuple whose entry is still there in CLOSED
state (after SHUTDOWN_COMPLETE or ABORT), started by the same side (A) and
by the other side (B). A = 192.0.2.1, B = 198.51.100.2. Default sysctls.

 :6201 A tag 0x0a0a1201, B tag 0x0b0b1201; second association A 0x0a0a2201,
       B 0x0b0b2201
 f1-f4   handshake, f5 A DATA                    ... ESTABLISHED, ASSURED
 f6-f8   A SHUTDOWN, B SHUTDOWN_ACK, A SHUTDOWN_COMPLETE   ... CLOSED, 10
 f9      A INIT (new tag) on the CLOSED entry    ESTABLISHED, CLOSED, no event, not refreshed
 f10     B INIT_ACK                              ESTABLISHED/REPLY, COOKIE_WAIT, 3
 f11     A COOKIE_ECHO, f12 B COOKIE_ACK         COOKIE_ECHOED, ESTABLISHED 210
 f13     A DATA, f14 B DATA with the new tags    ESTABLISHED (same entry reused)
 :6202 A tag 0x0a0a1202, B tag 0x0b0b1202; then B opens (B tag 0x0b0b2202,
       A tag 0x0a0a2202)
 f15-f18 handshake, f19 A ABORT                  ... ESTABLISHED, then CLOSED
 f20     B INIT (reply direction of the CLOSED entry)   ESTABLISHED/REPLY, CLOSED
 f21     A INIT_ACK, f22 B COOKIE_ECHO, f23 A COOKIE_ACK
                                                 ESTABLISHED, all stay CLOSED: the
                                                 state table has no transition out of
                                                 CLOSED for an association opened from
                                                 the reply side
 f24     B DATA, f25 A DATA                      ESTABLISHED, CLOSED (timeout 10 each)
"""
from common import Capture
from common_l4 import Sctp

cap = Capture()
s = Sctp(cap, sport=6201, dport=6201, tag_a=0x0A0A1201, tag_b=0x0B0B1201)
s.handshake()
s.data("a")
s.shutdown("a"); s.shutdown_ack("b"); s.shutdown_complete("a")
s.tag = {"a": 0x0A0A2201, "b": 0x0B0B2201}
s.handshake()
s.data("a", b"second association")
s.data("b", b"second association")
s = Sctp(cap, sport=6202, dport=6202, tag_a=0x0A0A1202, tag_b=0x0B0B1202)
s.handshake()
s.abort("a")
s.tag = {"a": 0x0A0A2202, "b": 0x0B0B2202}
s.init("b")
s.init_ack("a")
s.cookie_echo("b")
s.cookie_ack("a")
s.data("b", b"opened by B")
s.data("a", b"answer")
cap.write("sctp-reuse.pcap")
