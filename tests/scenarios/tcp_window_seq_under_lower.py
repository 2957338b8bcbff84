"""TCP: old data below the window (check II: end >= sender's td_end -
receiver's td_maxwin), default sysctls. No window scaling; B's max window
4096, so A's segments must end at or after A's td_end - 4096.

A = 192.0.2.1:40066 (ISN 100000), B = 198.51.100.2:80 (ISN 500000).

 f1-f3 handshake (A win 8192, B win 4096)
 f4  A 3000 bytes [100001,103001), f5 B ACK, f6 A 3000 [103001,106001), f7 B ACK
                                       A's td_end = 106001, lower bound: end >= 101905
 f8  A retransmits [103001,106001)     ESTABLISHED (already ACKed, but in window)
 f9  A retransmits [100001,103001)     ESTABLISHED (end 103001 >= 101905)
 f10 A 100 bytes [101805,101905)       ESTABLISHED (exactly on the bound)
 f11 A 100 bytes [101804,101904)       ignored but accepted: "SEQ is under lower
                                       bound 101904 (already ACKed data
                                       retransmitted)" (ESTABLISHED, not INVALID)
 f12 A 1000 bytes [100001,101001)      ignored, same reason
 f13 A pure ACK with seq 101000        ignored, same reason (a zero-length
                                       segment is checked the same way)
 f14 A 100 bytes seq 100001 - 1000000  ignored (far below, sequence wrap-around)
 f15 A 100 bytes [106001,106101), f16 B ACK   ESTABLISHED
"""
from common import Capture, Tcp, opt_mss

cap = Capture()
c = Tcp(cap, sport=40066, dport=80, isn_a=100_000, isn_b=500_000)
c.handshake(opts_a=opt_mss(), opts_b=opt_mss(), win_a=8192, win_b=4096)
c.a("PA", b"a" * 3000)
c.b("A")
c.a("PA", b"b" * 3000)
c.b("A")
c.a("PA", b"b" * 3000, seq=103_001, advance=False)
c.a("PA", b"a" * 3000, seq=100_001, advance=False)
c.a("PA", b"x" * 100, seq=101_805, advance=False)
c.a("PA", b"x" * 100, seq=101_804, advance=False)
c.a("PA", b"a" * 1000, seq=100_001, advance=False)
c.a("A", seq=101_000, advance=False)
c.a("PA", b"y" * 100, seq=100_001 - 1_000_000, advance=False)
c.a("PA", b"z" * 100)
c.b("A")
cap.write("tcp-window-seq-under-lower.pcap")
