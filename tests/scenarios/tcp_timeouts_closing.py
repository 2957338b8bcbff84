"""TCP: per-state timeouts of the closing states, scaled down:
--set nf_conntrack_tcp_timeout_fin_wait=2 --set nf_conntrack_tcp_timeout_close_wait=3
--set nf_conntrack_tcp_timeout_last_ack=4 --set nf_conntrack_tcp_timeout_time_wait=5.
Each flow stops in one state at t ~ 0.0x; an A ACK probes it at least 0.35 s
after the expiry (dead: the ACK is a NEW mid-stream pickup, timeout 300) or
0.4 s before (alive).

A = 192.0.2.1, B = 198.51.100.2:80.

 F1 (port 40170) FIN_WAIT: f1-f3 handshake, f4 A FIN (event: timeout 2);
    f28 A ACK t=2.4: NEW (DESTROY 1)
 F2 (port 40171) FIN_WAIT alive: f5-f7, f8 A FIN; f27 A ACK t=1.6: alive,
    CLOSE_WAIT (timeout 3)
 F3 (port 40172) CLOSE_WAIT: f9-f12, f13 B ACK (timeout 3); f29 A ACK t=3.4: NEW
 F4 (port 40173) LAST_ACK: f14-f18, f19 B FIN (timeout 4); f30 A ACK t=4.4: NEW
 F5 (port 40174) TIME_WAIT: f20-f25, f26 A ACK (timeout 5); f31 A ACK t=5.4: NEW
"""
from common import Capture, Tcp, syn_options

cap = Capture()
flows = []
for i, (port, steps) in enumerate(((40170, 1), (40171, 1), (40172, 2), (40173, 3), (40174, 4))):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 131, isn_b=port * 137)
    c.handshake(opts_a=syn_options(), opts_b=syn_options(), at=0.01 * i)
    c.a("FA")
    if steps >= 2:
        c.b("A")
    if steps >= 3:
        c.b("FA")
    if steps >= 4:
        c.a("A")
    flows.append(c)
flows[1].a("A", at=1.6)
flows[0].a("A", at=2.4)
flows[2].a("A", at=3.4)
flows[3].a("A", at=4.4)
flows[4].a("A", at=5.4)
cap.write("tcp-timeouts-closing.pcap")
