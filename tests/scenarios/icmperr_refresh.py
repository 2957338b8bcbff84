"""Do RELATED ICMP errors refresh the quoted entry's timeout or change its
status? No: nf_conntrack_inet_error() only attaches the entry to the error
packet; no l4 packet handler runs. udp_timeout=3, icmp_timeout=3.
A = 192.0.2.1, B = 198.51.100.2, R = 203.0.113.9.

 t=0.00 f1  UDP A:49001 -> B:9999    NEW entry 1, timeout 3 (expires 3.00)
 t=0.01 f2  UDP A:49002 -> B:9999    NEW entry 2 (kept alive by its own packets)
 t=0.02 f3  echo A -> B id 0x0e41    NEW entry 3, timeout 3 (expires 3.02)
 t=0.5, 1.5: f4, f6 B -> A port unreachable quoting entry 1   RELATED/REPLY, no event,
             status stays [] (no SEEN_REPLY)
             f5, f7 R -> A time exceeded quoting entry 3       RELATED/REPLY
 t=2.00 f8  UDP A:49002 -> B:9999    NEW (unreplied), entry 2 refreshed: expires 5.00
 t=2.50 f9  quoting entry 1, f10 quoting entry 3   RELATED/REPLY
 t=3.50 f11 quoting entry 1          INVALID, no reason (entry 1 expired at 3.00 in
                                     spite of the errors; DESTROY 1 comes with this frame)
 t=3.50 f12 quoting entry 3          INVALID (DESTROY 3)
 t=4.00 f13 UDP A:49002 -> B:9999    NEW (entry 2, refreshed: expires 7.00)
 t=4.50 f14 quoting entry 1          INVALID
        f15 quoting entry 2          RELATED/REPLY, entry 2
 t=5.00 f16 UDP A:49001 -> B:9999    NEW, entry 4
        f17 B -> A echo reply 0x0e41 INVALID (its request's entry is gone)
"""
from common import A4, B4, R4, Capture, ipv4, udp, icmp4
from common_l4 import Sender

cap = Capture()
n = Sender(cap)
q1 = ipv4(A4, B4, 17, udp(A4, B4, 49001, 9999, b"flow 1"))
q2 = ipv4(A4, B4, 17, udp(A4, B4, 49002, 9999, b"flow 2"))
echo = ipv4(A4, B4, 1, icmp4(8, 0, 0x0E41, 1, b"ping"))
cap.add(q1, at=0.0)
cap.add(q2, at=0.01)
cap.add(echo, at=0.02)
for t in (0.5, 1.5):
    n.err4(B4, A4, 3, 3, q1[:28], at=t)
    n.err4(R4, A4, 11, 0, echo[:28])
cap.add(q2, at=2.0)
n.err4(B4, A4, 3, 3, q1[:28], at=2.5)
n.err4(R4, A4, 11, 0, echo[:28])
n.err4(B4, A4, 3, 3, q1[:28], at=3.5)
n.err4(R4, A4, 11, 0, echo[:28])
cap.add(q2, at=4.0)
n.err4(B4, A4, 3, 3, q1[:28], at=4.5)
n.err4(B4, A4, 3, 3, q2[:28])
cap.add(q1, at=5.0)
n.v4(B4, A4, 1, icmp4(0, 0, 0x0E41, 1, b"ping"))
cap.write("icmperr-refresh.pcap")
