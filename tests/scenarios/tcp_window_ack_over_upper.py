"""TCP: ACKs of data not yet sent (check III: ack <= receiver's td_end),
default sysctls. No window scaling.

A = 192.0.2.1:40067 (ISN 100000), B = 198.51.100.2:80 (ISN 500000).

 f1-f3 handshake, f4 A 100 bytes [100001,100101)
 f5  B ACK 100101 (exact)              ESTABLISHED
 f6  B ACK 100102 (one byte too far)   INVALID "ACK is over upper bound 100102
                                       (ACKed data not seen yet)"
 f7  B 50 bytes + ACK 150101           INVALID, same reason; B's data is lost
                                       for conntrack
 f8  A ACK 500051 (acks f7's data)     INVALID "ACK is over upper bound 500002"
                                       (f7 never counted)
 f9  B ACK 100050 (old but in range)   ESTABLISHED
 f10 B FIN/ACK with ack 200000         INVALID (no state change)
 f11 B RST/ACK exact seq, ack 200000   INVALID "ACK is over upper bound"
 f12 A ACK 500001, f13 B 10 bytes, f14 A ACK   ESTABLISHED
"""
from common import Capture, Tcp, opt_mss

cap = Capture()
c = Tcp(cap, sport=40067, dport=80, isn_a=100_000, isn_b=500_000)
c.handshake(opts_a=opt_mss(), opts_b=opt_mss())
c.a("PA", b"a" * 100)
c.b("A")
c.b("A", ack=100_102)
c.b("PA", b"b" * 50, ack=150_101, advance=False)
c.a("A", ack=500_051)
c.b("A", ack=100_050)
c.b("FA", ack=200_000, advance=False)
c.b("RA", ack=200_000, advance=False)
c.a("A")
c.b("PA", b"c" * 10)
c.a("A")
cap.write("tcp-window-ack-over-upper.pcap")
