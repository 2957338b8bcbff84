"""SCTP verification-tag checks (RFC 9260 8.5 / 8.5.1 as conntrack does
them). A = 192.0.2.1, B = 198.51.100.2, A's tags 0x0a0a03NN, B's 0x0b0b03NN.
Default sysctls. Packets without INIT, SHUTDOWN_COMPLETE, COOKIE_ECHO, ABORT,
SHUTDOWN_ACK, HEARTBEAT, HEARTBEAT_ACK chunks must carry the tag of their
direction, else INVALID with the reason
"verification tag check failed <pkt> vs <expected> for dir <0|1>"
(both printed with %x from the raw big-endian field on a little-endian CPU:
0x0a0a0301 prints as 1030a0a). The per-chunk checks (INIT vtag 0, ABORT /
SHUTDOWN_COMPLETE T bit, COOKIE_ECHO) fail silently (no reason).

 f1-f4   :5301 handshake                    ... ESTABLISHED, ASSURED
 f5      A DATA, vtag = A's own tag         INVALID "... failed 1030a0a vs 1030b0b for dir 0"
 f6      B DATA, vtag = B's own tag         INVALID "... failed 1030b0b vs 1030a0a for dir 1"
 f7      A DATA, vtag 0                     INVALID "... failed 0 vs 1030b0b for dir 0"
 f8      A DATA, right vtag                 ESTABLISHED
 f9      A INIT, vtag = B's tag (non-zero) on the entry   INVALID, no reason
 f10     B SHUTDOWN_ACK, vtag 0xdeadbeef (no SHUTDOWN seen)
                                            ESTABLISHED/REPLY (SHUTDOWN_ACK is never
                                            tag-checked), state stays ESTABLISHED
 f11     A :5302 INIT with vtag 0x11111111 as the first packet   INVALID, no entry, no reason
 f12     A :5302 INIT vtag 0                NEW, CLOSED
 f13     B INIT_ACK vtag 0x22222222         INVALID "... failed 22222222 vs 2030a0a for dir 1"
 f14     B INIT_ACK right vtag              ESTABLISHED/REPLY, COOKIE_WAIT
 f15     A COOKIE_ECHO, vtag = A's own tag  INVALID, no reason
 f16     A COOKIE_ECHO right                COOKIE_ECHOED
 f17     B COOKIE_ACK, vtag = B's tag       INVALID "... failed 2030b0b vs 2030a0a for dir 1"
 f18     B COOKIE_ACK right                 ESTABLISHED, ASSURED
 f19     A SHUTDOWN, vtag 0                 INVALID "... failed 0 vs 2030b0b for dir 0"
 f20     A SHUTDOWN right                   SHUTDOWN_SENT
 f21     B SHUTDOWN_ACK, vtag 0xdeadbeef    ESTABLISHED/REPLY, SHUTDOWN_ACK_SENT (not checked)
 f22     A SHUTDOWN_COMPLETE T=1, B's tag   INVALID, no reason
 f23     A SHUTDOWN_COMPLETE T=0, A's tag   INVALID, no reason
 f24     A SHUTDOWN_COMPLETE T=1, A's own tag (reflected)   ESTABLISHED, CLOSED
"""
from common import Capture
from common_l4 import Sctp

cap = Capture()
s = Sctp(cap, sport=5301, dport=5301, tag_a=0x0A0A0301, tag_b=0x0B0B0301)
s.handshake()
s.data("a", b"own tag", vtag=s.tag["a"])
s.data("b", b"own tag", vtag=s.tag["b"])
s.data("a", b"zero", vtag=0)
s.data("a", b"right")
s.init("a", vtag=s.tag["b"])
s.shutdown_ack("b", vtag=0xDEADBEEF)
s = Sctp(cap, sport=5302, dport=5302, tag_a=0x0A0A0302, tag_b=0x0B0B0302)
s.init("a", vtag=0x11111111)
s.init("a")
s.init_ack("b", vtag=0x22222222)
s.init_ack("b")
s.cookie_echo("a", vtag=s.tag["a"])
s.cookie_echo("a")
s.cookie_ack("b", vtag=s.tag["b"])
s.cookie_ack("b")
s.shutdown("a", vtag=0)
s.shutdown("a")
s.shutdown_ack("b", vtag=0xDEADBEEF)
s.shutdown_complete("a", t=True, vtag=s.tag["b"])
s.shutdown_complete("a", vtag=s.tag["a"])
s.shutdown_complete("a", t=True)
cap.write("sctp-vtag.pcap")
