"""TCP: the "last window was 0" rule applies before any window was seen.
nf_conntrack_tcp_packet() uses timeout_max_retrans whenever last_win == 0,
and last_win is only set by ACK segments (and by "ignored" packets), so on a
fresh entry it is 0: SYN, SYN/ACK and the first packet of a mid-stream pickup
get min(state timeout, nf_conntrack_tcp_timeout_max_retrans).
Recorded with --set nf_conntrack_tcp_timeout_max_retrans=2 (default 300,
which hides this: it is above the SYN_SENT 120 and SYN_RECV 60 timeouts).

A = 192.0.2.1, B = 198.51.100.2:80.

 F1 (port 40220) SYN t=0            NEW, SYN_SENT, timeout 2 (not 120)
 F2 (port 40221) SYN, SYN/ACK t=0.01  SYN_RECV, timeout 2 (not 60)
 F3 (port 40222) A ACK + data t=0.02 (pickup)   NEW, ESTABLISHED, timeout 2
                                    (not the 300 of an unreplied pickup)
 F4 (port 40223) SYN, SYN/ACK, ACK t=0.03       ESTABLISHED, 432000 (the ACK
                                    sets last_win)
 t=2.4: F1 SYN again -> NEW entry (F1 expired); F2 A ACK -> NEW pickup (F2
 expired); F3 A data -> NEW entry (F3 expired); F4 A data -> ESTABLISHED
"""
from common import Capture, Tcp, syn_options

cap = Capture()
f1 = Tcp(cap, sport=40220, dport=80, isn_a=2_220_000, isn_b=3_220_000)
f1.a("S", options=syn_options(), at=0.0, advance=False)
f2 = Tcp(cap, sport=40221, dport=80, isn_a=2_221_000, isn_b=3_221_000)
f2.a("S", options=syn_options(), at=0.01)
f2.b("SA", options=syn_options())
f3 = Tcp(cap, sport=40222, dport=80, isn_a=2_222_000, isn_b=3_222_000)
f3.a("PA", b"p" * 10, at=0.02)
f4 = Tcp(cap, sport=40223, dport=80, isn_a=2_223_000, isn_b=3_223_000)
f4.handshake(opts_a=syn_options(), opts_b=syn_options(), at=0.03)
f1.a("S", options=syn_options(), at=2.4)
f2.a("A", at=2.45)
f3.a("PA", b"q" * 10, at=2.5)
f4.a("PA", b"r" * 10, at=2.55)
cap.write("tcp-last-win-zero-timeout.pcap")
