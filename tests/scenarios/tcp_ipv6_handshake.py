"""TCP over IPv6: a normal connection through to TIME_WAIT, with an
out-of-window segment and an ACK of unsent data on the way. Default sysctls.

A = [2001:db8::1]:40180, B = [2001:db8:1::2]:443. SYNs: MSS 1440, SACK,
timestamps, window scale 7; later segments carry timestamps.

 f1  SYN                               NEW, SYN_SENT
 f2  SYN/ACK                           SYN_RECV
 f3  ACK                               ESTABLISHED, ASSURED
 f4  A 200 bytes, f5 B 1000 bytes, f6 A ACK   ESTABLISHED
 f7  A 100 bytes 50 MB ahead           INVALID "SEQ is over upper bound"
 f8  B ACK 1 MB beyond A's data        INVALID "ACK is over upper bound"
 f9  A FIN, f10 B ACK, f11 B FIN, f12 A ACK   FIN_WAIT, CLOSE_WAIT, LAST_ACK,
                                       TIME_WAIT (table.txt: ipv6 10 tcp 6 120
                                       TIME_WAIT ...)
"""
from common import A6, B6, Capture, Tcp, syn_options

cap = Capture()
c = Tcp(cap, a=A6, b=B6, sport=40180, dport=443, isn_a=2_500_000_000, isn_b=3_600_000_000, ts=True)
c.win["a"], c.win["b"] = 64800, 64800
c.a("S", options=syn_options(mss=1440, ts=c.tsval["a"], wscale=7))
c.b("SA", options=syn_options(mss=1440, ts=c.tsval["b"], wscale=7))
c.win["a"], c.win["b"] = 507, 506
c.a("A")
c.a("PA", b"C" * 200)
c.b("PA", b"S" * 1000)
c.a("A")
c.a("PA", b"X" * 100, seq=c.nxt["a"] + 50_000_000, advance=False)
c.b("A", ack=c.nxt["a"] + 1_000_000)
c.a("FA")
c.b("A")
c.b("FA")
c.a("A")
cap.write("tcp-ipv6-handshake.pcap")
