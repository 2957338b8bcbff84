"""TCP: half-closed connections. conntrack keeps ONE state per connection, so
any ACK moves FIN_WAIT to CLOSE_WAIT and a second FIN from the SAME side moves
it on to LAST_ACK. Default sysctls.

A = 192.0.2.1, B = 198.51.100.2:80.

Flow 1 (port 40007): ordinary half-close, the server keeps sending.
 f1-f3 handshake, f4 A 10 bytes, f5 B ACK    ESTABLISHED, ASSURED
 f6  A FIN                                   FIN_WAIT
 f7  B ACK of the FIN                        CLOSE_WAIT
 f8  B 1000 bytes, f9 B 1000 bytes           CLOSE_WAIT
 f10 A ACK (A is half-closed, still ACKs)    CLOSE_WAIT
 f11 B FIN, f12 A ACK                        LAST_ACK, TIME_WAIT
Flow 2 (port 40008): the FIN is retransmitted by the same side.
 f13-f17 as f1-f5
 f18 A FIN                                   FIN_WAIT
 f19 A FIN retransmitted (same seq)          LAST_ACK (fin: FW -> LA: taken as
                                             "FIN seen in both directions")
 f20 B ACK of A's FIN                        TIME_WAIT, although B never sent a FIN
 f21 B 500 bytes                             TIME_WAIT (accepted)
 f22 A ACK, f23 B FIN, f24 A ACK             TIME_WAIT
Flow 3 (port 40009): the FIN sender's own later ACK.
 f25-f29 as f1-f5
 f30 A FIN                                   FIN_WAIT
 f31 A pure ACK (window update, seq FIN+1)   CLOSE_WAIT (ack: FW -> CW, by A itself)
 f32 B ACK of the FIN                        CLOSE_WAIT
 f33 B FIN, f34 A ACK                        LAST_ACK, TIME_WAIT
All frames ESTABLISHED except the SYNs (NEW); no reasons.
"""
from common import Capture, Tcp, syn_options

cap = Capture()


def setup(port):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 100, isn_b=port * 300)
    c.handshake(opts_a=syn_options(), opts_b=syn_options())
    c.a("PA", b"k" * 10)
    c.b("A")
    return c


c = setup(40007)
c.a("FA")
c.b("A")
c.b("PA", b"1" * 1000)
c.b("PA", b"2" * 1000)
c.a("A")
c.b("FA")
c.a("A")

c = setup(40008)
fin = c.nxt["a"]
c.a("FA")
c.a("FA", seq=fin, advance=False)
c.b("A")
c.b("PA", b"3" * 500)
c.a("A")
c.b("FA")
c.a("A")

c = setup(40009)
c.a("FA")
c.a("A", win=1000)
c.b("A")
c.b("FA")
c.a("A")
cap.write("tcp-half-close.pcap")
