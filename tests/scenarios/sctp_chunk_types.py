"""SCTP: chunk types the state table does not know (DATA-like extensions and
unassigned types) on an established association: ignored for the state,
but the verification tag is still checked. A = 192.0.2.1:5901 (tag
0x0a0a0901), B = 198.51.100.2:5901 (tag 0x0b0b0901). Default sysctls.

 f1-f4  handshake                      ... ESTABLISHED, ASSURED
 f5  A ASCONF (0xc1)                   ESTABLISHED   f6  B ASCONF_ACK (0x80)  ESTABLISHED/REPLY
 f7  A FORWARD_TSN (0xc0)              ESTABLISHED   f8  A RE-CONFIG (130)    ESTABLISHED
 f9  A I-DATA (64)                     ESTABLISHED   f10 A AUTH (15) + DATA   ESTABLISHED
 f11 A PAD (0x84) + DATA               ESTABLISHED   f12 A type 200           ESTABLISHED
 f13 A type 0x3f (63)                  ESTABLISHED   f14 A type 255           ESTABLISHED
 f15 A ECNE (12)                       ESTABLISHED   f16 B CWR (13)           ESTABLISHED/REPLY
 f17 A type 200, wrong vtag 0x12345678 INVALID "verification tag check failed 78563412 vs
                                       1090b0b for dir 0"
 f18 A ASCONF, vtag 0                  INVALID "... failed 0 vs 1090b0b for dir 0"
 f19 A ERROR (9)                       ESTABLISHED   f20 B ERROR (9)          ESTABLISHED/REPLY
 f21 A SHUTDOWN                        SHUTDOWN_SENT, 3
 f22 B type 200 in SHUTDOWN_SENT       ESTABLISHED/REPLY, SHUTDOWN_SENT (refreshed, no event)
 :5902 (A tag 0x0a0a0902, B tag 0x0b0b0902)
 f23-f25 INIT, INIT_ACK, COOKIE_ECHO   ... COOKIE_ECHOED
 f26 B ERROR (e.g. "stale cookie") in COOKIE_ECHOED   ESTABLISHED/REPLY, CLOSED, 10
                                       (an ERROR from the responder in COOKIE_ECHOED
                                       closes; in any other state ERROR changes nothing)
 f27 A ERROR                           ESTABLISHED, CLOSED
"""
import struct

from common import Capture
from common_l4 import (Sctp, ASCONF, ASCONF_ACK, FORWARD_TSN, RECONFIG, I_DATA, AUTH, PAD, ECNE,
                       CWR, chunk, c_data, c_error)

cap = Capture()
s = Sctp(cap, sport=5901, dport=5901, tag_a=0x0A0A0901, tag_b=0x0B0B0901)
s.handshake()
asconf = chunk(ASCONF, 0, struct.pack(">I", 1) + struct.pack(">HHI", 0xC004, 8, 1))
s.send("a", asconf)
s.send("b", chunk(ASCONF_ACK, 0, struct.pack(">I", 1)))
s.send("a", chunk(FORWARD_TSN, 0, struct.pack(">I", s.tsn["a"])))
s.send("a", chunk(RECONFIG, 0, struct.pack(">HHIII", 13, 16, 1, 0, 0)))
s.send("a", chunk(I_DATA, 3, struct.pack(">IHHII", s.tsn["a"], 0, 0, 0, 0) + b"idata"))
s.send("a", chunk(AUTH, 0, struct.pack(">HH", 1, 1) + bytes(20)) + c_data(s.tsn["a"], b"auth"))
s.send("a", chunk(PAD, 0, bytes(8)) + c_data(s.tsn["a"], b"pad"))
s.send("a", chunk(200, 0, b"unknown"))
s.send("a", chunk(0x3F, 0, b"unknown"))
s.send("a", chunk(255, 0, b"unknown"))
s.send("a", chunk(ECNE, 0, struct.pack(">I", 1)))
s.send("b", chunk(CWR, 0, struct.pack(">I", 1)))
s.send("a", chunk(200, 0, b"unknown"), vtag=0x12345678)
s.send("a", asconf, vtag=0)
s.send("a", c_error())
s.send("b", c_error())
s.shutdown("a")
s.send("b", chunk(200, 0, b"unknown"))
s = Sctp(cap, sport=5902, dport=5902, tag_a=0x0A0A0902, tag_b=0x0B0B0902)
s.init("a"); s.init_ack("b"); s.cookie_echo("a")
s.send("b", c_error(struct.pack(">HHI", 3, 8, 1000)))
s.send("a", c_error())
cap.write("sctp-chunk-types.pcap")
