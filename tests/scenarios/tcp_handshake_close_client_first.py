"""TCP: a normal connection, closed by the client first, with realistic Linux
options (SYN: MSS 1460, SACK-permitted, timestamps, window scale 7; every
later segment carries timestamps). Asks the kernel which state, status bits
and timeout each segment gives, and when ASSURED appears.

A = 192.0.2.1:40001 (client), B = 198.51.100.2:80 (server), default sysctls.

 f1  A SYN  (win 64240, wscale 7)        NEW, SYN_SENT, timeout 120
 f2  B SYN/ACK (win 65160, wscale 7)     ESTABLISHED/REPLY, SEEN_REPLY,
                                         SYN_RECV, timeout 60
 f3  A ACK (win 502 << 7)                ESTABLISHED, ASSURED now (the first
                                         ACK after SYN_RECV), ESTABLISHED,
                                         timeout 432000
 f4  A 100 bytes                         ESTABLISHED (data unacknowledged:
                                         timeout 300, no event; see
                                         tcp-unacknowledged)
 f5  B ACK                               ESTABLISHED/REPLY (timeout back to 432000)
 f6  B 1000 bytes, f7 A ACK              ESTABLISHED
 f8  A FIN/ACK                           FIN_WAIT, timeout 120
 f9  B ACK of the FIN                    CLOSE_WAIT, timeout 60
 f10 B FIN/ACK                           LAST_ACK, timeout 30
 f11 A ACK of B's FIN                    TIME_WAIT, timeout 120
Final table: one entry, TIME_WAIT, ASSURED, ~120 s left.
"""
from common import Capture, Tcp, syn_options

cap = Capture()
c = Tcp(cap, sport=40001, dport=80, isn_a=3_000_000_000, isn_b=1_200_000, ts=True)
c.win["a"], c.win["b"] = 64240, 65160
c.a("S", options=syn_options(ts=c.tsval["a"], wscale=7))
c.b("SA", options=syn_options(ts=c.tsval["b"], wscale=7))
c.win["a"], c.win["b"] = 502, 509
c.a("A")
c.a("PA", b"G" * 100)
c.b("A")
c.b("PA", b"H" * 1000)
c.a("A")
c.a("FA")
c.b("A")
c.b("FA")
c.a("A")
cap.write("tcp-handshake-close-client-first.pcap")
