"""TCP: data that is never (fully) acknowledged: the entry gets
nf_conntrack_tcp_timeout_unacknowledged instead of the state's timeout.
Recorded with --set nf_conntrack_tcp_timeout_unacknowledged=3.

A = 192.0.2.1, B = 198.51.100.2:80. Every flow starts with a handshake at
t = 0.0x; every probe is an A ACK at t >= 3.5 (an expired entry makes the
probe a NEW mid-stream pickup; a live one gives ESTABLISHED).

 Flow 1 (port 40088): A 100 bytes, never ACKed            -> expired (NEW)
 Flow 2 (port 40089): A 100 bytes, B ACKs them             -> alive
 Flow 3 (port 40090): A 2 x 100 bytes, B ACKs the first    -> expired: only an
                      ACK of everything clears the "unacknowledged" flag
 Flow 4 (port 40091): A data ACKed, B 100 bytes not ACKed  -> expired (either
                      direction counts)
 Flow 5 (port 40092): A FIN, not ACKed (FIN_WAIT, 120 s normally)
                                                           -> expired: the FIN
                      counts as unacknowledged data, and 3 < 120
 Flow 6 (port 40093): A FIN, B ACKs it (CLOSE_WAIT 60)     -> alive
"""
from common import Capture, Tcp, syn_options

cap = Capture()
flows = []
for i, port in enumerate(range(40088, 40094)):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 107, isn_b=port * 109)
    c.a("S", options=syn_options(), at=0.01 * i)
    c.b("SA", options=syn_options())
    c.a("A")
    flows.append(c)
f1, f2, f3, f4, f5, f6 = flows
f1.a("PA", b"a" * 100)
f2.a("PA", b"b" * 100)
f2.b("A")
s = f3.nxt["a"]
f3.a("PA", b"c" * 100)
f3.a("PA", b"d" * 100)
f3.b("A", ack=s + 100)
f4.a("PA", b"e" * 100)
f4.b("PA", b"f" * 100)
f4.a("PA", b"g" * 10, ack=f4.nxt["b"] - 100)
f4.b("A")
f5.a("FA")
f6.a("FA")
f6.b("A")
for i, c in enumerate(flows):
    c.a("A", at=3.5 + 0.05 * i, ack=c.nxt["b"] - (100 if c is f4 else 0))
cap.write("tcp-unacknowledged.pcap")
