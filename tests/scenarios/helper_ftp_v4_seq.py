"""FTP helper, IPv4: which segments the helper parses. It keeps, per direction,
the sequence numbers that follow the last two segments ending in LF
(seq_aft_nl, NUM_SEQ_TO_REMEMBER = 2; a new one replaces the older entry, and
only if it is after it) and parses only a segment that STARTS at one of them,
and only at its start. A dropped segment records nothing.

Control A = 192.0.2.1:40024 -> B = 198.51.100.2:21; handshake, "220",
"USER" (records its end), "331".

 f7  A "PORT 192,0,2,1,"  (no line end)          DROP, partial matching of `PORT'
 f8  A "19,137" CRLF (next seq)                  not parsed (its seq is not recorded);
                                                 its end is recorded
 f9  A "PORT 192,0,2,1,19,137" CRLF from f7's seq  parsed: EXP_NEW ...:5001
 f10 B "200 ok"
 f11 A "NOOP" (no line end), f12 A CRLF          nothing; f12's end is recorded
 f13 B "200 ok"
 f14 A "PORT ...,19,138"                         parsed: EXP_DESTROY 5001 (max_expected 1:
                                                 the older expectation is evicted),
                                                 EXP_NEW ...:5002
 f15 B "200 ok"
 f16 B:20 -> A:5001 SYN                          NEW (entry 2): evicted
 f17 B:20 -> A:5002 SYN                          RELATED (entry 3, master 1)
 f18 A "PORT ...,19,139"                         EXP_NEW ...:5003
 f19 A the same segment again (retransmission)   parsed again: EXP_DESTROY + EXP_NEW of
                                                 the same tuple (the old one is replaced,
                                                 i.e. its timeout restarts)
 f20 B "200 ok"
 f21 A "PORT ...,19,140" at s+6 (before f22)     not parsed (out of order)
 f22 A "NOOP" at s                               parsed (no match), records s+6
 f23 A f21 again at s+6                          parsed now: EXP_NEW ...:5004 (evicts 5003)
 f24 B "200 ok" x2
 f25 A "NOOP" CRLF "PORT ...,19,141" CRLF (one segment)   only the start is looked at:
                                                 no expectation
 f26 B "200 ok" x2
 f27 A f14's segment retransmitted (old seq)     not parsed (no longer recorded): 5004 stays
 f28 B:20 -> A:5004 SYN, f29 SYN/ACK             RELATED (entry 4)
 f30 A "PO"                                      DROP: a segment shorter than the pattern
                                                 that matches its beginning is "partial"
 f31 A "PORT ...,19,142" at f30's seq            EXP_NEW ...:5006 (left at the end)
 f32 B "200 ok"
"""
from common import A4, B4, Capture
from common_helper import Conn

cap = Capture()
c = Conn(cap, A4, B4, 40024, 21, isn_a=1_300_000, isn_b=2_300_000)
c.open()
c.b(b"220 ready\r\n")
c.a(b"USER anonymous\r\n")
c.b(b"331 password\r\n")
# a PORT split over two segments, then sent again whole from the first one's seq
s = c.nxt["a"]
c.a(b"PORT 192,0,2,1,")
c.a(b"19,137\r\n")
c.a(b"PORT 192,0,2,1,19,137\r\n", seq=s)
c.b(b"200 ok\r\n")
# a line ended in its own segment
c.a(b"NOOP")
c.a(b"\r\n")
c.b(b"200 ok\r\n")
c.a(b"PORT 192,0,2,1,19,138\r\n")
c.b(b"200 ok\r\n")
Conn(cap, B4, A4, 20, 5001, isn_a=900_000, isn_b=910_000).seg("a", "S")
Conn(cap, B4, A4, 20, 5002, isn_a=920_000, isn_b=930_000).seg("a", "S")
# retransmission of a PORT
s = c.nxt["a"]
c.a(b"PORT 192,0,2,1,19,139\r\n")
c.a(b"PORT 192,0,2,1,19,139\r\n", seq=s)
c.b(b"200 ok\r\n")
# out of order: NOOP at s, PORT at s+6; the PORT arrives first, then NOOP,
# then the PORT again
s = c.nxt["a"]
c.a(b"PORT 192,0,2,1,19,140\r\n", seq=s + 6)
c.a(b"NOOP\r\n", seq=s)
c.a(b"PORT 192,0,2,1,19,140\r\n", seq=s + 6)
c.b(b"200 ok\r\n200 ok\r\n")
# two commands in one segment
c.a(b"NOOP\r\nPORT 192,0,2,1,19,141\r\n")
c.b(b"200 ok\r\n200 ok\r\n")
# an old segment (the PORT 5002 one) retransmitted
c.a(b"PORT 192,0,2,1,19,138\r\n", seq=1_300_001 + 16 + 15 + 8 + 4 + 2)
Conn(cap, B4, A4, 20, 5004, isn_a=940_000, isn_b=950_000).syn()
# the shortest partial match
s = c.nxt["a"]
c.a(b"PO")
c.a(b"PORT 192,0,2,1,19,142\r\n", seq=s)
c.b(b"200 ok\r\n")
cap.write("helper-ftp-v4-seq.pcap")
