"""SCTP: what each chunk type does as the FIRST packet conntrack sees of a
flow (pickup of an association already running, out-of-the-blue packets).
A = 192.0.2.1 -> B = 198.51.100.2, every frame its own port pair 57NN
(a new tuple), vtag 0x0b0b0700 unless said. Default sysctls.
A new entry stores the packet's vtag as the REPLY direction's tag and 0 for
the ORIGINAL direction (HEARTBEAT: the other way round), so any first packet
that is subject to the general tag check needs vtag 0.

 f1  :5701 DATA                    INVALID, no entry, no reason (DATA/SACK/unknown
                                   chunks cannot create an entry)
 f2  :5702 SACK                    INVALID, no entry
 f3  :5703 COOKIE_ECHO             INVALID, no entry, no reason (8.5.1 D: vtag vs 0)
 f4  :5704 COOKIE_ECHO, vtag 0     NEW, CLOSED, 10
 f5  :5704 B COOKIE_ACK, vtag 0    ESTABLISHED/REPLY, SEEN_REPLY, still CLOSED
                                   (no pickup to ESTABLISHED)
 f6  :5705 COOKIE_ACK              INVALID, no entry (OOTB COOKIE_ACK discarded)
 f7  :5706 SHUTDOWN                INVALID, no entry, but a reason: "verification tag
                                   check failed 70b0b vs 0 for dir 0"
 f8  :5707 SHUTDOWN, vtag 0        NEW, CLOSED, 10
 f9  :5708 SHUTDOWN_ACK            NEW, SHUTDOWN_ACK_SENT, 3
 f10 :5708 B SHUTDOWN_COMPLETE T=1, vtag 0x0b0b0700 (the answer RFC 9260 8.4 (5)
     prescribes)                   INVALID, no reason (T=1 compares with the ORIGINAL tag: 0)
 f11 :5708 B SHUTDOWN_COMPLETE T=0, vtag 0x0b0b0700   ESTABLISHED/REPLY, CLOSED, 10
 f12 :5709 SHUTDOWN_COMPLETE       INVALID, no entry (OOTB)
 f13 :5710 ERROR                   INVALID "verification tag check failed 70b0b vs 0 for dir 0"
 f14 :5711 ERROR, vtag 0           NEW, CLOSED
 f15 :5712 INIT_ACK                INVALID "verification tag check failed 70b0b vs 0 for dir 0"
 f16 :5713 INIT_ACK, vtag 0        NEW, CLOSED
 f17 :5713 B COOKIE_ECHO answering it (vtag = the INIT_ACK's init tag)
                                   ESTABLISHED/REPLY, CLOSED
 f18 :5714 HEARTBEAT_ACK           NEW, CLOSED, 10
 f19 :5715 chunk 0x80 (ASCONF_ACK), vtag 0   INVALID, no entry
 f20 :5716 common header, no chunk INVALID, no entry, no reason
 f21 :5717 ABORT                   INVALID, no entry (OOTB ABORT discarded)
"""
import struct

from common import Capture
from common_l4 import (Sctp, ASCONF_ACK, chunk, c_data, c_sack, c_cookie_echo, c_cookie_ack,
                       c_shutdown, c_shutdown_ack, c_shutdown_complete, c_error, c_init_ack,
                       c_heartbeat_ack, c_abort)

cap = Capture()
V = 0x0B0B0700


def new(n):
    return Sctp(cap, sport=5700 + n, dport=5700 + n, tag_a=0x0A0A0700 + n, tag_b=V)


new(1).send("a", c_data(1, b"pickup"))
new(2).send("a", c_sack(1))
new(3).send("a", c_cookie_echo())
s = new(4)
s.send("a", c_cookie_echo(), vtag=0)
s.send("b", c_cookie_ack(), vtag=0)
new(5).send("a", c_cookie_ack())
new(6).send("a", c_shutdown(1))
new(7).send("a", c_shutdown(1), vtag=0)
s = new(8)
s.send("a", c_shutdown_ack())
s.send("b", c_shutdown_complete(True), vtag=V)
s.send("b", c_shutdown_complete(False), vtag=V)
new(9).send("a", c_shutdown_complete())
new(10).send("a", c_error())
new(11).send("a", c_error(), vtag=0)
new(12).send("a", c_init_ack(0x0A0A0712, 100))
s = new(13)
s.send("a", c_init_ack(0x0A0A0713, 100), vtag=0)
s.send("b", c_cookie_echo(), vtag=0x0A0A0713)
new(14).send("a", c_heartbeat_ack())
new(15).send("a", chunk(ASCONF_ACK, 0, struct.pack(">I", 1)), vtag=0)
new(16).send("a", b"")
new(17).send("a", c_abort())
cap.write("sctp-ootb.pcap")
