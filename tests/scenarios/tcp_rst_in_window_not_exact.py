"""TCP: a RST whose sequence number is inside the window but not exact
(RFC 5961 3.2: the receiver answers with a challenge ACK). conntrack keeps
ESTABLISHED but gives the entry the CLOSE timeout.
Recorded with --set nf_conntrack_tcp_timeout_close=2.

A = 192.0.2.1, B = 198.51.100.2:80.

Flow 1 (port 40057):
 f1-f3 handshake, f4 A 100 bytes, f5 B ACK      ESTABLISHED, ASSURED
 f6  A RST seq = A's next + 1000 (in window)    ESTABLISHED stays (no event),
                                                timeout 2 (close timeout)
 f7  B challenge ACK                            ESTABLISHED (timeout back to 432000)
 f8  A RST exact                                CLOSE
Flow 2 (port 40058): the same from the server side
 f9-f13 handshake + data, f14 B RST seq = B's next + 5000   ESTABLISHED
 f15 A challenge ACK, f16 B RST exact           ESTABLISHED, CLOSE
Flow 3 (port 40059): the inexact RST and then silence
 f17-f21 handshake + data, f22 A RST in window (t = 0.1)  ESTABLISHED, timeout 2
 f23 t = 2.5: A 10 bytes                        NEW, new entry: the ESTABLISHED
                                                entry expired after the 2 s
                                                close timeout (0.4 s before)
"""
from common import Capture, Tcp, syn_options

cap = Capture()


def setup(port):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 43, isn_b=port * 47)
    c.handshake(opts_a=syn_options(), opts_b=syn_options())
    c.a("PA", b"g" * 100)
    c.b("A")
    return c


c = setup(40057)
c.a("R", seq=c.nxt["a"] + 1000, advance=False)
c.b("A")
c.a("R")

c = setup(40058)
c.b("R", seq=c.nxt["b"] + 5000, advance=False)
c.a("A")
c.b("R")

c = setup(40059)
c.a("R", seq=c.nxt["a"] + 1000, advance=False, at=0.1)
c.a("PA", b"h" * 10, at=2.5)
cap.write("tcp-rst-in-window-not-exact.pcap")
