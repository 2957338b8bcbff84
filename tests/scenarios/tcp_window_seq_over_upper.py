"""TCP: data beyond the receiver's window (check I: seq <= sender's td_maxend),
default sysctls (be_liberal=0). No window scaling: A's window 8192, B's 4096.

A = 192.0.2.1:40065 (ISN 100000), B = 198.51.100.2:80 (ISN 500000).
A's data may go up to B's last ack + 4096.

 f1-f3 handshake (B's SYN/ACK: window 4096)   ESTABLISHED, ASSURED
 f4  A 4000 bytes [100001, 104001)           ESTABLISHED (inside)
 f5  B ACK 104001 win 4096                   A may now send up to 108097
 f6  A 2000 bytes at 107001 (starts inside, ends 904 bytes beyond)
                                             ESTABLISHED, no reason: only the
                                             start is checked; B's max window
                                             grows by 904 (to 5000)
 f7  A 1000 bytes at 109001 (starts 904 bytes beyond 108097)
                                             ignored but accepted: "1905 bytes
                                             more than expected" (the overshoot
                                             end - td_maxend + 1 is within B's
                                             max window); A's td_end moves on
 f8  B ACK 110001 (acks f7's data)           ESTABLISHED (passes because f7
                                             moved td_end)
 f9  A 100 bytes at 124097 (10000 beyond 114097)
                                             INVALID "SEQ is over upper bound
                                             114098 (over the window of the
                                             receiver)"
 f10 A 100 bytes at 110001, f11 B ACK        ESTABLISHED
 f12 A 1 byte exactly at the bound (114097+100) ESTABLISHED
"""
from common import Capture, Tcp, opt_mss

cap = Capture()
c = Tcp(cap, sport=40065, dport=80, isn_a=100_000, isn_b=500_000)
c.handshake(opts_a=opt_mss(), opts_b=opt_mss(), win_a=8192, win_b=4096)
c.a("PA", b"a" * 4000)                              # f4
c.b("A")                                            # f5
c.a("PA", b"b" * 2000, seq=107_001, advance=False)   # f6
c.a("PA", b"c" * 1000, seq=109_001)                 # f7 (nxt -> 110001)
c.b("A")                                            # f8
c.a("PA", b"d" * 100, seq=124_097, advance=False)   # f9
c.a("PA", b"e" * 100)                               # f10 (110001..110101)
c.b("A")                                            # f11 -> bound 110101+4096
c.a("PA", b"f", seq=110_101 + 4096, advance=False)  # f12
cap.write("tcp-window-seq-over-upper.pcap")
