"""TCP: data that is never (fully) acknowledged: the entry gets
nf_conntrack_tcp_timeout_unacknowledged instead of the state's timeout.
Recorded with --set nf_conntrack_tcp_timeout_unacknowledged=3.

A = 192.0.2.1, B = 198.51.100.2:80. Six flows, handshakes f1-f18 at
t = 0.0x; every probe is an A ACK at t >= 3.5 (an expired entry makes the
probe a NEW mid-stream pickup, timeout 3; a live one gives ESTABLISHED).

 Flow 1 (port 40088): f19 A 100 bytes, never ACKed     f32 probe: NEW (expired)
 Flow 2 (port 40089): f20 A 100 bytes, f21 B ACK       f33 probe: ESTABLISHED
 Flow 3 (port 40090): f22, f23 A 2 x 100 bytes, f24 B ACKs the first only
                                                       f34 probe: NEW (expired):
                      only an ACK of everything clears the "unacknowledged" flag
 Flow 4 (port 40091): f25 A 100 bytes, f26 B 100 bytes (acks A's), f27 A 10
                      bytes not acking B's, f28 B ACK  f35 probe: NEW (expired):
                      either direction counts
 Flow 5 (port 40092): f29 A FIN, not ACKed: FIN_WAIT with event "timeout 3"
                      (the FIN counts as unacknowledged data, and 3 < 120)
                                                       f36 probe: NEW (expired)
 Flow 6 (port 40093): f30 A FIN (FIN_WAIT, timeout 3), f31 B ACKs it
                      (CLOSE_WAIT, timeout 60)         f37 probe: ESTABLISHED,
                                                       CLOSE_WAIT
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
