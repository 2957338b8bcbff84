"""TCP: a new SYN on the same tuple while the entry is in TIME_WAIT: the old
entry is destroyed and the SYN is looked up again (NEW). Default sysctls.

A = 192.0.2.1, B = 198.51.100.2:80.

Flow 1 (port 40037): full close, then A reconnects with a higher ISN.
 f1-f3 handshake, f4 A data, f5 B ACK, f6-f9 A FIN, B ACK, B FIN, A ACK
                                    ... TIME_WAIT
 f10 A SYN                          DESTROY entry 1, NEW entry 2, SYN_SENT
 f11 B SYN/ACK, f12 A ACK           SYN_RECV, ESTABLISHED, ASSURED
Flow 2 (port 40038): full close (f13-f21), then the SERVER opens towards the
 client on the same ports (reply-direction SYN in TIME_WAIT: syn reply TW -> SS)
 f22 B SYN                          DESTROY entry 3, NEW entry 4 whose original
                                    direction is B -> A (ctdir ORIGINAL; table:
                                    src=198.51.100.2 sport=80 first)
 f23 A SYN/ACK, f24 B ACK           SYN_RECV, ESTABLISHED, ASSURED
Flow 3 (port 40039): full close (f25-f33), then a SYN with a LOWER ISN than
 the old connection used: reopened all the same (the RFC 1122 conditions are
 ignored)
 f34 A SYN                          DESTROY entry 5, NEW entry 6, SYN_SENT
"""
from common import Capture, Tcp, syn_options

cap = Capture()


def closed(port):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 19, isn_b=port * 23)
    c.handshake(opts_a=syn_options(), opts_b=syn_options())
    c.a("PA", b"u" * 30)
    c.b("A")
    c.a("FA")
    c.b("A")
    c.b("FA")
    c.a("A")
    return c


c = closed(40037)
c.nxt["a"] += 200_000
c.a("S", options=syn_options())
c.nxt["b"] = 77_000_000
c.b("SA", options=syn_options())
c.a("A")

c = closed(40038)
c.nxt["b"] += 300_000
c.b("S", options=syn_options())
c.nxt["a"] = 88_000_000
c.a("SA", options=syn_options())
c.b("A")

c = closed(40039)
c.nxt["a"] -= 500_000
c.a("S", options=syn_options())
cap.write("tcp-syn-reopen-time-wait.pcap")
