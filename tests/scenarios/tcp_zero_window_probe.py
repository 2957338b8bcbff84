"""TCP: zero windows and zero-window probes.
Recorded with --set nf_conntrack_tcp_timeout_max_retrans=3 (the timeout used
while the last window seen was 0).

A = 192.0.2.1, B = 198.51.100.2:80 (B's application stopped reading).
(The SYN and SYN/ACK get timeout 3 too: see tcp-last-win-zero-timeout.)

Flow 1 (port 40080), 0-byte probes (Linux: seq = snd_una - 1, no data):
 f1-f3 handshake, f4 A 1000 bytes
 f5  B ACK win 0 (acks everything)      ESTABLISHED; last window 0 -> timeout
                                        nf_conntrack_tcp_timeout_max_retrans (3)
 f6  A probe, seq = next-1, 0 bytes     ESTABLISHED (A's window: timeout 432000)
 f7  B ACK win 0                        timeout 3 again
Flow 2 (port 40081), 1-byte probes:
 f8-f10 handshake, f11 A 1000 bytes, f12 B ACK win 0 (timeout 3)
 f13 A 1 byte at next                   ESTABLISHED; that byte is unacknowledged
 f14 B ACK win 0, not acking the byte   ESTABLISHED; unacknowledged data wins
                                        over the zero window: timeout
                                        nf_conntrack_tcp_timeout_unacknowledged
                                        (300)
 f15 A 1 byte at next+2                 ESTABLISHED, no reason: a zero window
                                        never shrinks the allowed range (the
                                        receiver's td_maxend only grows), so data
                                        inside the window advertised before still
                                        passes
 f16 A 2 bytes at next                  ESTABLISHED
 -- silence --
 f17 t=3.6 A probe on flow 1            NEW, entry 3: entry 1 expired (3 s after f7)
 f18 t=3.7 A 1-byte probe on flow 2     ESTABLISHED: entry 2 alive (300 s)
 f19 B ACK win 8192 (still not acking the probe bytes)   ESTABLISHED; table: 300 s
"""
from common import Capture, Tcp, opt_mss

cap = Capture()
c = Tcp(cap, sport=40080, dport=80, isn_a=100_000, isn_b=500_000)
c.handshake(opts_a=opt_mss(), opts_b=opt_mss())
c.a("PA", b"a" * 1000)
c.b("A", win=0)
c.a("A", seq=c.nxt["a"] - 1)
c.b("A", win=0)

d = Tcp(cap, sport=40081, dport=80, isn_a=200_000, isn_b=600_000)
d.handshake(opts_a=opt_mss(), opts_b=opt_mss())
d.a("PA", b"b" * 1000)
d.b("A", win=0)
p = d.nxt["a"]
d.a("PA", b"c", seq=p, advance=False)
d.b("A", win=0)
d.a("PA", b"c", seq=p + 2, advance=False)
d.a("PA", b"cc", seq=p, advance=False)

c.a("A", seq=c.nxt["a"] - 1, at=3.6)
d.a("PA", b"c", seq=p, advance=False, at=3.7)
d.b("A", win=8192)
cap.write("tcp-zero-window-probe.pcap")
