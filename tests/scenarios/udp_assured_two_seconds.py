"""UDP: when does an entry become ASSURED, and which timeout does it get?

The kernel (nf_conntrack_udp_packet, 6.x) stamps ct->proto.udp.stream_ts =
creation + 2 s. A packet on an entry that already has SEEN_REPLY gets the
udp_timeout_stream timeout and sets ASSURED only if it arrives after
stream_ts; before that it only refreshes udp_timeout. The reply that sets
SEEN_REPLY is itself handled before SEEN_REPLY is set, so it never assures.
Recorded with nf_conntrack_udp_timeout=3, nf_conntrack_udp_timeout_stream=20
(both scaled down so that expiry and the two timeouts can be told apart).
Every packet is at least 0.3 s away from a 2 s / 3 s edge.

Flows (A = 192.0.2.1, B = 198.51.100.2): F1 41001->7001, F2 41002->7002,
F3 41003->7003, F4 41004->7004.

 f1  t=0.000 F1 A->B  NEW, entry 1 (timeout 3)
 f2  t=0.100 F2 A->B  NEW, entry 2
 f3  t=0.200 F3 A->B  NEW, entry 3
 f4  t=0.300 F1 B->A  ESTABLISHED/REPLY, SEEN_REPLY (event: timeout 3)
 f5  t=0.800 F1 A->B  ESTABLISHED, not ASSURED (0.8 s after creation)
 f6  t=1.000 F3 B->A  first reply of F3: SEEN_REPLY
 f7  t=1.200 F1 B->A  ESTABLISHED/REPLY, still not ASSURED
 f8  t=1.500 F3 B->A  reply direction again, 1.3 s after creation: not ASSURED
 f9  t=1.600 F1 A->B  0.4 s before F1's stream_ts: not ASSURED
 f10 t=2.500 F1 A->B  0.5 s after stream_ts: ASSURED (event: timeout 20)
 f11 t=2.600 F2 B->A  F2's first reply, 2.5 s after creation: SEEN_REPLY only
                      (the reply itself is not ASSURED, timeout stays 3)
 f12 t=2.700 F1 B->A  ESTABLISHED/REPLY, ASSURED, no event
 f13 t=2.750 F3 B->A  reply-direction packet after F3's stream_ts: ASSURED
                      (only reply-direction packets after the first reply)
 f14 t=2.900 F2 A->B  0.3 s after F2's first reply, but 2.8 s after creation:
                      ASSURED at once
 f15 t=3.000 F4 A->B  NEW, entry 4
 f16 t=3.300 F4 B->A  SEEN_REPLY
 f17 t=4.300 F4 A->B  1.3 s after creation: not ASSURED, refreshed to 3 s
 f18 t=6.300 F1 A->B  3.6 s of silence > udp_timeout: alive because ASSURED
                      (stream timeout 20): ESTABLISHED, same entry 1
 f19 t=6.400 F3 A->B  3.65 s of silence: alive (ASSURED), entry 3
 f20 t=7.800 F4 A->B  3.5 s after f17: the replied-but-not-assured entry 4
                      expired after udp_timeout (3 s): NEW, entry 5
 f21 t=7.900 F2 B->A  5 s of silence: alive (ASSURED), ESTABLISHED/REPLY
Final table: entries 1, 2, 3 ASSURED with ~18-19 s left, entry 5 UNREPLIED ~3 s.
"""
from scapy.all import IP, UDP, Raw
from common import A4, B4, Capture

cap = Capture()


def a2b(n, at):
    cap.add(IP(src=A4, dst=B4) / UDP(sport=41000 + n, dport=7000 + n) / Raw(b"ping%d" % n), at=at, frm="a")


def b2a(n, at):
    cap.add(IP(src=B4, dst=A4) / UDP(sport=7000 + n, dport=41000 + n) / Raw(b"pong%d" % n), at=at, frm="b")


a2b(1, 0.000)
a2b(2, 0.100)
a2b(3, 0.200)
b2a(1, 0.300)
a2b(1, 0.800)
b2a(3, 1.000)
b2a(1, 1.200)
b2a(3, 1.500)
a2b(1, 1.600)
a2b(1, 2.500)
b2a(2, 2.600)
b2a(1, 2.700)
b2a(3, 2.750)
a2b(2, 2.900)
a2b(4, 3.000)
b2a(4, 3.300)
a2b(4, 4.300)
a2b(1, 6.300)
a2b(3, 6.400)
a2b(4, 7.800)
b2a(2, 7.900)
cap.write("udp-assured-two-seconds.pcap")
