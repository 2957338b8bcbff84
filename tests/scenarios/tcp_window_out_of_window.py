"""TCP: one connection with every kind of out-of-window segment. Recorded
twice: tcp-window-out-of-window (defaults, be_liberal=0) and
tcp-window-liberal (--set nf_conntrack_tcp_be_liberal=1). No window
scaling: A's window 8192, B's 4096.

A = 192.0.2.1:40079 (ISN 100000), B = 198.51.100.2:80 (ISN 500000).

                                        be_liberal=0              be_liberal=1
 f1-f3 handshake, f4 A 1000 bytes, f5 B ACK   ESTABLISHED         same
 f6  A 100 bytes 100000 ahead         INVALID "SEQ is over upper  ESTABLISHED,
                                      bound 105098 (...)"         no reason
 f7  A 100 bytes 2000 beyond the      ignored "2101 bytes more    ESTABLISHED,
     window                           than expected" (A's td_end  no reason
                                      jumps to its end)
 f8  B ACK 50000 beyond A's data      INVALID "ACK is over upper  ESTABLISHED,
                                      bound 107198 (...)"         no reason
 f9  A 100 bytes 300000 behind        ignored "SEQ is under lower ESTABLISHED,
                                      bound 103100 (...)"         no reason
 f10 B ACK 100000 behind              ignored "ignored ACK under  ESTABLISHED,
                                      lower bound 41196 (...)"    no reason
 f11 A RST with seq 10 below B's ack  INVALID "invalid rst"       INVALID too (be_liberal
                                                                  does not cover this check)
 f12 A 500 bytes in sequence          ignored "SEQ is under lower ESTABLISHED
                                      bound 103100": since f7 moved
                                      A's td_end 6196 bytes ahead,
                                      A's real, in-order data is
                                      "old" for B's 4096 window
 f13 B 700 bytes                      ESTABLISHED                 ESTABLISHED
 f14 A ACK                            ignored, same reason as f12 ESTABLISHED
 f15 A FIN 1,000,000 ahead            INVALID "SEQ is over upper  FIN_WAIT
                                      bound 105598"
 f16 B RST 1,000,000 ahead            INVALID "SEQ is over upper  CLOSE (no checks
                                      bound 508194"; no "lower    for a RST in FIN_WAIT)
                                      timeout" this time: the
                                      entry already had only 300 s
                                      (B's f13 data never ACKed:
                                      f14 was ignored)
"""
from common import Capture, Tcp, opt_mss

cap = Capture()
c = Tcp(cap, sport=40079, dport=80, isn_a=100_000, isn_b=500_000)
c.handshake(opts_a=opt_mss(), opts_b=opt_mss(), win_a=8192, win_b=4096)
c.a("PA", b"x" * 1000)
c.b("A")
c.a("PA", b"y" * 100, seq=c.nxt["a"] + 100_000, advance=False)      # f6
c.a("PA", b"y" * 100, seq=c.nxt["a"] + 4096 + 2000, advance=False)  # f7
c.b("A", ack=c.nxt["a"] + 50_000)                                  # f8
c.a("PA", b"z" * 100, seq=c.nxt["a"] - 300_000, advance=False)      # f9
c.b("A", ack=c.nxt["a"] - 100_000)                                 # f10
c.a("R", seq=c.nxt["a"] - 10, advance=False)                        # f11
c.a("PA", b"w" * 500)
c.b("PA", b"v" * 700)
c.a("A")
c.a("FA", seq=c.nxt["a"] + 1_000_000, advance=False)                # f15
c.b("R", seq=c.nxt["b"] + 1_000_000, advance=False)                 # f16
cap.write("tcp-window-out-of-window.pcap")
