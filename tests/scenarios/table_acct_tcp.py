"""Accounting for TCP (--set nf_conntrack_acct=1): are retransmissions,
segments the tracker ignores, INVALID segments and RSTs counted? And what does
a DESTROY event carry? Default sysctls otherwise.

A = 192.0.2.1, B = 198.51.100.2:80. IP lengths in brackets.
T1 = A:40401 (ISN 100000, window 8192), B ISN 500000 window 4096, MSS option
only (no window scaling), as in tcp-window-seq-over-upper.
 f1  A SYN [44]                 NEW entry 1
 f2  B SYN/ACK [44]
 f3  A ACK [40]                 ESTABLISHED, ASSURED
 f4  A 4000 bytes [4040]
 f5  B ACK [40]
 f6  A the same 4000 bytes again (retransmission) [4040]   ESTABLISHED
 f7  A 1000 bytes at 109001, 904 bytes beyond B's window [1040]
                                ignored ("... bytes more than expected"),
                                ESTABLISHED
 f8  B ACK 110001 [40]
 f9  A 100 bytes at 124097 [140]  INVALID "SEQ is over upper bound"
 f10 A SYN with a new ISN [44]  ignored ("packet (index 0) in dir 0 ignored")
 f11 B 200 bytes [240]
 f12 A RST [40]                 CLOSE
 f13 A ACK after the RST [40]   ESTABLISHED (state CLOSE)
T2 = A:40402: the SYN answered by a RST/ACK
 f14 A SYN [44]                 NEW entry 2
 f15 B RST/ACK [40]             the only reply is a RST: the entry is killed at
                                once (nf_ct_kill_acct: counted first), DESTROY 2;
                                events.txt's DESTROY line carries the counters
T3 = A:40403 SYN [44] then B SYN/ACK [44] then nothing: the table line at the
end shows packets=1 bytes=44 in each direction
What the kernel counted (table.txt): T1 original packets=6 bytes=8244 =
f1 + f3 + f4 + f6 + f12 + f13 (the retransmission f6 is counted; f7, ignored
with "1905 bytes more than expected", f9, INVALID "SEQ is over upper bound
114098", and f10, ignored "packet (index 0) in dir 0 ignored, state
ESTABLISHED", are not: an ignored segment is ESTABLISHED but neither refreshes
nor counts), reply packets=4 bytes=364 = f2 + f5 + f8 + f11. T2's DESTROY in
events.txt: `[DESTROY] ipv4 2 tcp 6 120 CLOSE src=... packets=1 bytes=44
[UNREPLIED] src=... packets=1 bytes=40 id=...` (f15 is counted before the
kill; the entry still had SYN_SENT's 120 s). T3: packets=1 bytes=44 both ways.
"""
from common import Capture, Tcp, opt_mss

cap = Capture()
c = Tcp(cap, sport=40401, dport=80, isn_a=100_000, isn_b=500_000)
c.handshake(opts_a=opt_mss(), opts_b=opt_mss(), win_a=8192, win_b=4096)   # f1-f3
c.a("PA", b"a" * 4000)                              # f4
c.b("A")                                            # f5
c.a("PA", b"a" * 4000, seq=100_001, advance=False)  # f6
c.a("PA", b"c" * 1000, seq=109_001)                 # f7
c.b("A")                                            # f8
c.a("PA", b"d" * 100, seq=124_097, advance=False)   # f9
c.a("S", seq=7_777_777, options=opt_mss(), advance=False)   # f10
c.b("PA", b"e" * 200)                               # f11
c.a("R")                                            # f12
c.a("A", gap=0.01)                                  # f13
t2 = Tcp(cap, sport=40402, dport=80, isn_a=200_000, isn_b=600_000)
t2.a("S", options=opt_mss(), gap=0.05)              # f14
t2.b("RA", seq=0, ack=200_001)                      # f15
t3 = Tcp(cap, sport=40403, dport=80, isn_a=300_000, isn_b=700_000)
t3.a("S", options=opt_mss(), gap=0.05)              # f16
t3.b("SA", options=opt_mss())                       # f17
cap.write("table-acct-tcp.pcap")
