"""The FTP helper attached by the ruleset, RELATED accepted only via the
helper (rules_ct_helper_ftp.v4; kernel-replay --no-helpers --rules, so the
only CT rule is the ruleset's): raw PREROUTING `-p tcp --dport 21 --syn -j
CT --helper ftp` (only the SYN hits it); FORWARD (policy DROP): TTL 33 DROP;
ESTABLISHED with `-m helper --helper ftp` accept (counter); ESTABLISHED
accept; RELATED with `-m helper --helper ftp` accept; NEW tcp 21/2121 accept.
No other RELATED rule.

A = 192.0.2.1 (client), B = 198.51.100.2 (server).
 f1-f3  control A:40021 -> B:21     NEW (entry 1, helper ftp: the SYN's
                                    template gives the entry its helper for
                                    good; later packets skip the CT rule)
 f4-f7  220 / USER / 331 / PASV     ESTABLISHED
 f8     B "227 (...,19,140)"        EXP_NEW tcp 192.0.2.1:0 > 198.51.100.2:5004
 f9     A:40100 -> B:5004 SYN       RELATED/ORIGINAL [EXPECTED], master 1:
                                    `-m helper` looks at the MASTER's helper,
                                    ACCEPT; EXP_DESTROY then NEW 2
 f10-f12 SYN/ACK, ACK, data          ESTABLISHED [EXPECTED...]: counted by the
                                    `ESTABLISHED -m helper ftp` rule (they have
                                    a master); the control connection's own
                                    packets do not match it (no master)
 f13    A:40101 -> B:5005 SYN       before any 229: NEW, DROP (no expectation yet)
 f14, f15 EPSV / "229 (|||5005|)"   EXP_NEW ... > 198.51.100.2:5005 (at f15)
 f16    the SYN retransmitted       RELATED now, ACCEPT (entry 3): an
                                    expectation only helps packets that arrive
                                    after the announcing segment was accepted
 f17    SYN/ACK                     ESTABLISHED/REPLY
 f18    A "PORT 192,0,2,1,19,150" with TTL 33
                                    ESTABLISHED, DROP by the TTL rule: the helper
                                    runs at confirm, after the filter, so NO
                                    expectation (conntrack still tracked the
                                    bytes: the window moved)
 f19    B:20 -> A:5014 SYN          NEW, DROP
 f20    the PORT again, TTL 64      ESTABLISHED, ACCEPT: EXP_NEW 198.51.100.2:0 >
                                    192.0.2.1:5014 (the helper never saw f18, so
                                    this segment is parsed as fresh)
 f21    B "200 ok"
 f22    B:20 -> A:5014 SYN again    RELATED, ACCEPT (entry 4); f23 SYN/ACK
 f24    B: ICMP frag-needed quoting the control connection
                                    RELATED/REPLY of entry 1, DROP: entry 1 has no
                                    master, so `-m helper --helper ftp` is false
                                    even though entry 1 HAS the ftp helper
 f25-f27 control A:40121 -> B:2121  NEW (entry 5), no helper (the CT rule is for
                                    port 21 only)
 f28-f31 220, USER, PASV, "227 (...,19,160)"  no expectation
 f32    A:40200 -> B:5024 SYN       NEW, DROP
 f33    A:40022 -> B:21 bare ACK    NEW by loose pickup, ACCEPT (entry 6): no SYN,
                                    so no template, no helper
 f34-f36 220, PASV, "227 (...,19,170)"  no expectation
 f37    A:40201 -> B:5034 SYN       NEW, DROP
Counters: raw CT --helper 1 (only f1); TTL 33 1; ESTABLISHED -m helper 5
(f10, f11, f12, f17, f23); ESTABLISHED 20; RELATED -m helper 3 (f9, f16,
f22); NEW 21/2121 3 (f1, f25, f33); policy 5 (f13, f19, f24, f32, f37).
expect-events.txt: EXP_NEW/EXP_DESTROY at frames 8/9, 15/16, 20/22.
"""
from common import A4, B4, Capture, ipv4, tcp
from common_helper import Conn
from common_l4 import icmp4_err

cap = Capture()
c = Conn(cap, A4, B4, 40021, 21, isn_a=1_000_000, isn_b=2_000_000)
c.open()                                                     # f1-f3
c.b(b"220 ready\r\n")                                        # f4
c.a(b"USER anonymous\r\n")                                   # f5
c.b(b"331 ok\r\n")                                           # f6
c.a(b"PASV\r\n")                                             # f7
c.b(b"227 Entering Passive Mode (198,51,100,2,19,140).\r\n")  # f8
d1 = Conn(cap, A4, B4, 40100, 5004, isn_a=300_000, isn_b=400_000)
d1.open()                                                    # f9-f11
d1.b(b"file contents")                                       # f12
d2 = Conn(cap, A4, B4, 40101, 5005, isn_a=310_000, isn_b=410_000)
d2.seg("a", "S")                                             # f13 before the 229
c.a(b"EPSV\r\n")                                             # f14
c.b(b"229 Entering Extended Passive Mode (|||5005|)\r\n")   # f15
d2.seg("a", "S", seq=310_000)                                # f16 retransmission
d2.seg("b", "SA")                                            # f17
port = b"PORT 192,0,2,1,19,150\r\n"
seq = c.nxt["a"]
t = tcp(A4, B4, 40021, 21, seq, c.nxt["b"], "PA", 65535, b"", port)
cap.add(ipv4(A4, B4, 6, t, ttl=33, ident=0x7777), frm="a")   # f18 PORT, TTL 33
d3 = Conn(cap, B4, A4, 20, 5014, isn_a=320_000, isn_b=420_000)
d3.seg("a", "S")                                             # f19
c.a(port)                                                    # f20 PORT again, TTL 64
c.b(b"200 ok\r\n")                                           # f21
d3.seg("a", "S", seq=320_000)                                # f22
d3.seg("b", "SA")                                            # f23
quote = ipv4(A4, B4, 6, tcp(A4, B4, 40021, 21, c.nxt["a"], c.nxt["b"], "PA", 65535, b"", b"NOOP\r\n"))
cap.add(ipv4(B4, A4, 1, icmp4_err(3, 4, quote[:28], rest=b"\0\0\x05\xdc")), frm="b")  # f24
c2 = Conn(cap, A4, B4, 40121, 2121, isn_a=5_000_000, isn_b=6_000_000)
c2.open()                                                    # f25-f27 (no helper)
c2.b(b"220 ready\r\n")                                       # f28
c2.a(b"USER anonymous\r\n")                                  # f29
c2.a(b"PASV\r\n")                                            # f30
c2.b(b"227 Entering Passive Mode (198,51,100,2,19,160).\r\n")  # f31
Conn(cap, A4, B4, 40200, 5024, isn_a=330_000).seg("a", "S")  # f32
c3 = Conn(cap, A4, B4, 40022, 21, isn_a=7_000_000, isn_b=8_000_000)
c3.seg("a", "A")                                             # f33 mid-stream pickup on 21
c3.b(b"220 ready\r\n")                                       # f34
c3.a(b"PASV\r\n")                                            # f35
c3.b(b"227 Entering Passive Mode (198,51,100,2,19,170).\r\n")  # f36
Conn(cap, A4, B4, 40201, 5034, isn_a=340_000).seg("a", "S")  # f37
cap.write("rules-ct-helper-ftp.pcap")
