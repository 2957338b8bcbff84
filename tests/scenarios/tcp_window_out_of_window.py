"""TCP: one connection with every kind of out-of-window segment. Recorded
twice: tcp-window-out-of-window (defaults, be_liberal=0) and
tcp-window-liberal (--set nf_conntrack_tcp_be_liberal=1). No window scaling:
A's window 8192, B's 4096.

A = 192.0.2.1:40079 (ISN 100000), B = 198.51.100.2:80 (ISN 500000).

                                           be_liberal=0            be_liberal=1
 f1-f3 handshake, f4 A 1000 bytes, f5 B ACK  ESTABLISHED           same
 f6  A 100 bytes 100000 ahead            INVALID "SEQ is over      ESTABLISHED,
                                         upper bound"              no reason
 f7  A 100 bytes 2000 beyond the window  ignored "N bytes more     ESTABLISHED,
                                         than expected"            no reason
 f8  B ACK 50000 beyond A's data         INVALID "ACK is over      ESTABLISHED,
                                         upper bound"              no reason
 f9  A 100 bytes 300000 behind           ignored "SEQ is under     ESTABLISHED,
                                         lower bound"              no reason
 f10 B ACK 100000 behind                 ignored "ignored ACK      ESTABLISHED,
                                         under lower bound"        no reason
 f11 A RST with seq 10 below B's ack     INVALID "invalid rst"     INVALID too
                                         (be_liberal does not cover this check)
 f12 A 500 bytes, f13 B 700 bytes, f14 A ACK   ESTABLISHED         same
 f15 A FIN 1,000,000 ahead               INVALID                   FIN_WAIT
 f16 B RST 1,000,000 ahead               INVALID + "... lower      CLOSE (no
                                         timeout to 75000"         checks in FIN_WAIT)
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
