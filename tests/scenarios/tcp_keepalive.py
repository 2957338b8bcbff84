"""TCP: keepalives (seq = snd_nxt - 1, 0 or 1 byte) and unanswered keepalives
counted as retransmissions.
Recorded with --set nf_conntrack_tcp_timeout_max_retrans=3 (default
nf_conntrack_tcp_max_retrans=3). (The SYN and SYN/ACK get timeout 3 too:
see tcp-last-win-zero-timeout.)

A = 192.0.2.1, B = 198.51.100.2:80.

Flow 1 (port 40082), answered keepalives:
 f1-f3 handshake, f4 A 10 bytes, f5 B ACK   ESTABLISHED, ASSURED
 f6  A keepalive, 0 bytes, seq = next-1     ESTABLISHED, no reason
 f7  B ACK (duplicate ACK)                  ESTABLISHED
 f8  A keepalive with 1 garbage byte        ESTABLISHED
 f9  B ACK                                  ESTABLISHED
Flow 2 (port 40083), the peer is gone: 4 identical keepalives, no answer
 f10-f14 handshake + data
 f15-f18 A keepalive x4 (identical seq/ack/end/window)   ESTABLISHED; the 2nd-4th
                                            count as retransmissions; at the 4th
                                            (retrans = 3 >= max_retrans) the
                                            timeout becomes
                                            nf_conntrack_tcp_timeout_max_retrans (3)
Flow 3 (port 40084): 3 identical keepalives only (retrans = 2 < 3)
 f19-f23 handshake + data, f24-f26 keepalives   ESTABLISHED
Probes:
 f27 t=3.6: A keepalive on flow 2           NEW, entry 4: entry 2 expired
 f28 t=3.7: A keepalive on flow 1           ESTABLISHED: entry 1 alive
 f29 t=3.8: A keepalive on flow 3           ESTABLISHED: entry 3 alive; this 4th
                                            identical keepalive makes retrans 3:
                                            table shows 3 s left for it
"""
from common import Capture, Tcp, syn_options

cap = Capture()


def setup(port):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 89, isn_b=port * 97)
    c.handshake(opts_a=syn_options(), opts_b=syn_options())
    c.a("PA", b"k" * 10)
    c.b("A")
    return c


c1 = setup(40082)
c1.a("A", seq=c1.nxt["a"] - 1)
c1.b("A")
c1.a("A", b"\0", seq=c1.nxt["a"] - 1, advance=False)
c1.b("A")

c2 = setup(40083)
for _ in range(4):
    c2.a("A", seq=c2.nxt["a"] - 1)

c3 = setup(40084)
for _ in range(3):
    c3.a("A", seq=c3.nxt["a"] - 1)

c2.a("A", seq=c2.nxt["a"] - 1, at=3.6)
c1.a("A", seq=c1.nxt["a"] - 1, at=3.7)
c3.a("A", seq=c3.nxt["a"] - 1, at=3.8)
cap.write("tcp-keepalive.pcap")
