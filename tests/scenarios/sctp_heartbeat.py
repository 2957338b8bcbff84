"""SCTP heartbeats: on an established association, and on a "secondary
path" (another address pair of the same multi-homed association, where the
first packet conntrack sees is a HEARTBEAT). There is no HEARTBEAT_ACKED
state in 6.18: a HEARTBEAT_ACK in the reply direction of a HEARTBEAT_SENT
entry makes it ESTABLISHED (and ASSURED). A = 192.0.2.1 (second address
192.0.2.11), B = 198.51.100.2 (second address 198.51.100.12), ports
5401/5401, A's tag 0x0a0a0401, B's 0x0b0b0401. Default sysctls.

 f1-f4   handshake on A-B                   ... ESTABLISHED, 210, ASSURED
 f5      A HEARTBEAT, f6 B HEARTBEAT_ACK    ESTABLISHED, no state change, no event
 f7      A2 -> B2 HEARTBEAT (vtag = B's tag), first packet of a new tuple
                                            NEW, entry 2, HEARTBEAT_SENT, timeout 30
 f8      A2 -> B2 HEARTBEAT again           NEW (entry not replied yet), HEARTBEAT_SENT
 f9      B2 -> A2 HEARTBEAT (vtag A's tag)  ESTABLISHED/REPLY, SEEN_REPLY, HEARTBEAT_SENT
 f10     B2 -> A2 HEARTBEAT_ACK             ESTABLISHED/REPLY, ESTABLISHED, 210, ASSURED
 f11     A2 -> B2 DATA, f12 B2 -> A2 SACK   ESTABLISHED (tags learnt from f7 and f9)
 f13     A -> B2 DATA as the first packet of a third tuple   INVALID, no entry, no reason
 f14     A -> B2 SACK as the first packet   INVALID, no entry
 f15     B -> A2 HEARTBEAT_ACK as the first packet of a fourth tuple
                                            NEW, entry 3, CLOSED, 10 (not HEARTBEAT_SENT)
 f16     A -> B2 :5402 HEARTBEAT            NEW, entry 4, HEARTBEAT_SENT, 30
 f17     A -> B2 :5402 INIT (vtag 0)        NEW, COOKIE_WAIT, 3 (INIT in HEARTBEAT_SENT
                                            goes straight to COOKIE_WAIT)
 f18     A -> B2 :5403 HEARTBEAT            NEW, entry 5, HEARTBEAT_SENT
 f19     B2 -> A ABORT T=1 (vtag B's tag: passes the tag check)
                                            INVALID "nf_ct_proto_132: Invalid, old_state 8,
                                            dir 1, type 6" (sIV in the state table)
 f20     B2 -> A INIT (vtag 0)              INVALID "Invalid, old_state 8, dir 1, type 1"
 f21     B2 -> A HEARTBEAT_ACK              ESTABLISHED/REPLY, ESTABLISHED, ASSURED
 f22     B2 -> A ABORT T=1, vtag B's tag    ESTABLISHED/REPLY, CLOSED
"""
from common import Capture
from common_l4 import Sctp

A2, B2 = "192.0.2.11", "198.51.100.12"
cap = Capture()
s = Sctp(cap, sport=5401, dport=5401, tag_a=0x0A0A0401, tag_b=0x0B0B0401)
s.handshake()
s.heartbeat("a")
s.heartbeat_ack("b")
p2 = Sctp(cap, a=A2, b=B2, sport=5401, dport=5401, tag_a=0x0A0A0401, tag_b=0x0B0B0401)
p2.tsn = s.tsn
p2.heartbeat("a")
p2.heartbeat("a")
p2.heartbeat("b")
p2.heartbeat_ack("b")
p2.data("a", b"on the second path")
p2.sack("b")
p3 = Sctp(cap, a="192.0.2.1", b=B2, sport=5401, dport=5401, tag_a=0x0A0A0401, tag_b=0x0B0B0401)
p3.tsn = s.tsn
p3.data("a", b"third path")
p3.sack("a")
p4 = Sctp(cap, a=A2, b="198.51.100.2", sport=5401, dport=5401, tag_a=0x0A0A0401, tag_b=0x0B0B0401)
p4.heartbeat_ack("b")
p5 = Sctp(cap, a="192.0.2.1", b=B2, sport=5402, dport=5402, tag_a=0x0A0A0402, tag_b=0x0B0B0402)
p5.heartbeat("a")
p5.init("a")
p6 = Sctp(cap, a="192.0.2.1", b=B2, sport=5403, dport=5403, tag_a=0x0A0A0403, tag_b=0x0B0B0403)
p6.heartbeat("a")
p6.abort("b", t=True, vtag=p6.tag["b"])
p6.init("b")
p6.heartbeat_ack("b")
p6.abort("b", t=True, vtag=p6.tag["b"])
cap.write("sctp-heartbeat.pcap")
