"""TCP: very old ACKs (check IV: ack >= receiver's td_end - MAXACKWINDOW,
MAXACKWINDOW = max(sender's td_maxwin, 66000)), default sysctls. No scaling,
windows 65535.

A = 192.0.2.1:40068 (ISN 100000), B = 198.51.100.2:80 (ISN 500000).

 f1-f3 handshake
 f4  A 60000 bytes, f5 B ACK, f6 A 60000 bytes, f7 B ACK
                                    A's td_end = 220001, lower bound 154001
 f8  B ACK 154001                   ESTABLISHED (on the bound)
 f9  B ACK 154000                   ignored but accepted: "ignored ACK under lower
                                    bound 154000 (possible overly delayed)"
 f10 B ACK 100001                   ignored, same reason
 f11 B 100 bytes with ack 100001    ignored, same reason: and its data is not
                                    recorded (B's td_end unchanged)
 f12 A ACK of f11's data            INVALID "ACK is over upper bound"
 f13 B 100 bytes with ack 220001    ESTABLISHED (the same data, now counted)
 f14 A ACK                          ESTABLISHED
"""
from common import Capture, Tcp, opt_mss

cap = Capture()
c = Tcp(cap, sport=40068, dport=80, isn_a=100_000, isn_b=500_000)
c.handshake(opts_a=opt_mss(), opts_b=opt_mss())
c.a("PA", b"a" * 60000)
c.b("A")
c.a("PA", b"b" * 60000)
c.b("A")
c.b("A", ack=154_001)
c.b("A", ack=154_000)
c.b("A", ack=100_001)
b0 = c.nxt["b"]
c.b("PA", b"c" * 100, ack=100_001, advance=False)
c.a("A", ack=b0 + 100)
c.b("PA", b"c" * 100)
c.a("A")
cap.write("tcp-window-ack-under-lower.pcap")
