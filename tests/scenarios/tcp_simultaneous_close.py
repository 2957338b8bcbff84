"""TCP: both FINs cross (simultaneous close), in both orders of the final ACKs.

A = 192.0.2.1, B = 198.51.100.2:80, default sysctls.

Flow 1 (port 40003):
 f1-f3 handshake; f4 A 10 bytes; f5 B ACK       ESTABLISHED, ASSURED
 f6  A FIN (seq X, ack Y)                       FIN_WAIT (120)
 f7  B FIN (seq Y, ack X: does NOT ack A's FIN) LAST_ACK (30) (fin: FW -> LA)
 f8  A ACK of B's FIN (ack Y+1)                 TIME_WAIT (120) already, although
                                                A's FIN is not ACKed yet
 f9  B ACK of A's FIN (ack X+1)                 TIME_WAIT
Flow 2 (port 40004): the same, but B's ACK (f17) comes before A's (f18):
 f15 A FIN -> FIN_WAIT, f16 B FIN -> LAST_ACK, f17 B ACK -> TIME_WAIT,
 f18 A ACK -> TIME_WAIT.
All frames ESTABLISHED except the SYNs (NEW); no reasons.
"""
from common import Capture, Tcp, syn_options

cap = Capture()
for port, b_acks_first in ((40003, False), (40004, True)):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 1000, isn_b=port * 3000)
    c.handshake(opts_a=syn_options(), opts_b=syn_options())
    c.a("PA", b"x" * 10)
    c.b("A")
    x, y = c.nxt["a"], c.nxt["b"]
    c.a("FA")                                # FIN, seq X, ack Y
    c.b("FA", ack=x)                         # FIN, seq Y, ack X (crossed)
    if b_acks_first:
        c.b("A")
        c.a("A")
    else:
        c.a("A")
        c.b("A")
cap.write("tcp-simultaneous-close.pcap")
