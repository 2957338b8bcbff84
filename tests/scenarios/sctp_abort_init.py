"""SCTP: ABORT answering an INIT (the peer refuses the association), and an
ABORT with no entry. One association per port pair, A = 192.0.2.1,
B = 198.51.100.2; A's tags 0x0a0a01NN. Default sysctls.
vtags checked by the kernel (8.5.1 B): T bit clear -> the packet's vtag must
be the tag stored for its own direction; T bit set -> the one stored for the
other direction. After an INIT only the REPLY tag (A's Initiate Tag) is
known; the ORIGINAL tag is 0.

 f1  A:5101 INIT (tag 0x0a0a0101)          NEW, CLOSED, timeout 10
 f2  B ABORT, T=0, vtag = A's Initiate Tag (RFC 9260 8.4 (3))
                                           ESTABLISHED/REPLY, SEEN_REPLY, CLOSED, 10
 f3  A INIT retransmission                 ESTABLISHED (entry replied), CLOSED, no
                                           event ("don't refresh on INIT in CLOSED")
 f4  A:5102 INIT (tag 0x0a0a0102)          NEW, CLOSED
 f5  B ABORT, T=1, vtag 0                  ESTABLISHED/REPLY, CLOSED (0 = the
                                           unknown ORIGINAL tag, so T=1 + vtag 0 passes)
 f6  A:5103 INIT (tag 0x0a0a0103)          NEW, CLOSED
 f7  B ABORT, T=0, wrong vtag 0x12345678   INVALID, no reason logged
 f8  B ABORT, T=1, vtag = A's tag          INVALID, no reason (T=1 wants the tag
                                           of the other direction: 0)
 f9  A:5104 ABORT as the first packet      INVALID, no reason, no entry (OOTB ABORT)
 f10 A:5104 ABORT as the first packet, T=1 INVALID, no entry
 f11 A:5105 INIT                           NEW, CLOSED
 f12 B:5105 ERROR + ABORT bundled, T=0     ESTABLISHED/REPLY, CLOSED
"""
from common import Capture
from common_l4 import Sctp, c_error, c_abort

cap = Capture()
s1 = Sctp(cap, sport=5101, dport=5101, tag_a=0x0A0A0101)
s1.init("a")
s1.abort("b", vtag=s1.tag["a"])
s1.init("a")
s2 = Sctp(cap, sport=5102, dport=5102, tag_a=0x0A0A0102)
s2.init("a")
s2.abort("b", t=True, vtag=0)
s3 = Sctp(cap, sport=5103, dport=5103, tag_a=0x0A0A0103)
s3.init("a")
s3.abort("b", vtag=0x12345678)
s3.abort("b", t=True, vtag=s3.tag["a"])
s4 = Sctp(cap, sport=5104, dport=5104)
s4.abort("a")
s4.abort("a", t=True)
s5 = Sctp(cap, sport=5105, dport=5105, tag_a=0x0A0A0105)
s5.init("a")
s5.send("b", c_error() + c_abort(), vtag=s5.tag["a"])
cap.write("sctp-abort-init.pcap")
