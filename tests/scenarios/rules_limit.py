"""-m limit: the token bucket on real time (rules_limit.v4, kernel-replay
--rules). FORWARD (policy ACCEPT): echo requests `-m limit --limit 2/sec
--limit-burst 3 -j ACCEPT`, then `-p icmp --icmp-type echo-request -j DROP`;
UDP to port 9 `-m limit --limit 10/min` (burst 5 by default) ACCEPT, then
DROP. The bucket starts full when the rule is loaded (before the capture)
and refills at the rate: 2/sec is one packet per 0.5 s, 16000 credits each
at HZ=250 (128 credits per jiffy).

A = 192.0.2.1, B = 198.51.100.2; every echo request a new id (a new entry).
 f1-f5   t=0, 1 ms apart: 3 pass (the burst), f4, f5 DROP (NEW, no entry)
 f6      t=0.7 s: 0.7 s earned 1.4 packets: ACCEPT
 f7      t=0.701: 0.4 left: DROP
 f8      t=1.4 s: 0.4 + 1.4 = 1.8: ACCEPT (0.8 left)
 f9      t=3.5 s: refilled to the burst (3, not 0.8 + 4.2): ACCEPT
 f10-f12 t=3.501..3.503: 2 more ACCEPT, the third DROP
 f13-f19 UDP to :9 at t=4.0 .. 4.006: 5 pass (burst 5), 2 DROP; each its own
         source port (own entry)
 f20     UDP to :9 at t=10.1: 10/min is one per 6 s, 6.1 s after the burst
         emptied: ACCEPT
 f21     t=10.2: DROP
"""
from common import A4, B4, Capture, icmp4, ipv4
from common_helper import Udp

cap = Capture()


def echo(ident, **when):
    return cap.add(ipv4(A4, B4, 1, icmp4(8, 0, ident, 1, b"limit-ping")), **when)


for i in range(5):
    echo(0x100 + i, at=0.0 + i * 0.001)          # f1-f5
echo(0x200, at=0.7)                              # f6
echo(0x201, at=0.701)                            # f7
echo(0x202, at=1.4)                              # f8
echo(0x300, at=3.5)                              # f9
for i in range(3):
    echo(0x301 + i, at=3.501 + i * 0.001)        # f10-f12
for i in range(7):
    Udp(cap, A4, B4, 44000 + i, 9).a(b"discard", at=4.0 + i * 0.001)   # f13-f19
Udp(cap, A4, B4, 44100, 9).a(b"discard", at=10.1)                      # f20
Udp(cap, A4, B4, 44101, 9).a(b"discard", at=10.2)                      # f21
cap.write("rules-limit.pcap")
