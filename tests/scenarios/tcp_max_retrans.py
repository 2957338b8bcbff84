"""TCP: one data segment retransmitted again and again without an ACK.
Recorded with --set nf_conntrack_tcp_max_retrans=2
--set nf_conntrack_tcp_timeout_max_retrans=3
--set nf_conntrack_tcp_timeout_unacknowledged=10.
(The SYN and SYN/ACK get timeout 3 too: see tcp-last-win-zero-timeout.)

A = 192.0.2.1, B = 198.51.100.2:80.

Flow 1 (port 40085):
 f1-f3 handshake (t=0)                  ESTABLISHED, ASSURED (432000)
 f4  t=0.01 A 500 bytes                 ESTABLISHED (unacknowledged: timeout 10)
 f5  t=0.5  the same segment again      retrans = 1 (< 2): timeout 10
 f6  t=1.0  again                       retrans = 2 (>= max_retrans): timeout 3
Flow 2 (port 40086): a single retransmission
 f7-f9 handshake (t=1.1), f10 A 500 bytes, f11 t=1.6 again (retrans 1: timeout 10)
Flow 3 (port 40087): retransmissions interleaved with B's duplicate ACKs
 (every B segment resets the count)
 f12-f14 handshake (t=1.7), f15 A 500 bytes, f16 B dup ACK, f17 A again,
 f18 B, f19 A, f20 B, f21 A             ESTABLISHED
Probes:
 f22 t=4.4 flow 1 again                 NEW, entry 4 (DESTROY 1): entry 1 expired
                                        3 s after f6
 f23 t=4.5 flow 2 again                 ESTABLISHED: alive (this is its 2nd
                                        retransmission: table 2 s left)
 f24 t=4.6 flow 3 again                 ESTABLISHED: alive (table 10 s)
"""
from common import Capture, Tcp, syn_options

cap = Capture()


def hs(port, at):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 101, isn_b=port * 103)
    c.a("S", options=syn_options(), at=at)
    c.b("SA", options=syn_options())
    c.a("A")
    return c


c1 = hs(40085, 0.0)
s1 = c1.nxt["a"]
c1.a("PA", b"r" * 500, at=0.01, advance=False)
c1.a("PA", b"r" * 500, at=0.5, advance=False)
c1.a("PA", b"r" * 500, at=1.0, advance=False)

c2 = hs(40086, 1.1)
c2.a("PA", b"s" * 500, advance=False)
c2.a("PA", b"s" * 500, at=1.6, advance=False)

c3 = hs(40087, 1.7)
c3.a("PA", b"t" * 500, advance=False)
for t in (1.8, 1.9, 2.0):
    c3.b("A", at=t)
    c3.a("PA", b"t" * 500, at=t + 0.05, advance=False)

c1.a("PA", b"r" * 500, at=4.4, advance=False)
c2.a("PA", b"s" * 500, at=4.5, advance=False)
c3.a("PA", b"t" * 500, at=4.6, advance=False)
cap.write("tcp-max-retrans.pcap")
