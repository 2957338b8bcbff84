"""GRE over IPv6 (v0 and v1) and GRE timeouts, scaled: gre_timeout=2,
gre_timeout_stream=4. The reply that sets SEEN_REPLY still gets the
unreplied timeout; the next packet sets ASSURED and the stream timeout.
A = 192.0.2.1 / 2001:db8::1, B = 198.51.100.2 / 2001:db8:1::2,
C = 192.0.2.3. Every expiry is >= 0.3 s from the nearest frame.

 t=0.00 f1  IPv6 A -> B GREv0             NEW, entry 1, timeout 2
 t=0.01 f2  IPv6 B -> A GREv0             ESTABLISHED/REPLY, SEEN_REPLY, timeout 2
 t=0.02 f3  IPv6 A -> B GREv0             ESTABLISHED, ASSURED, timeout 4 (expires 4.02)
 t=0.03 f4  IPv6 A -> B GREv1 call 0x4444 NEW, entry 2, timeout 2
 t=0.04 f5  IPv6 B -> A GREv1 call 0      ESTABLISHED/REPLY, entry 1 (!): keys 0/0, the
                                          same tuple as the v0 entry's reply
 t=0.10 f6  IPv4 A -> B GREv0             NEW, entry 3, 2 s
 t=0.20 f7  IPv4 C -> B GREv0             NEW, entry 4
 t=0.21 f8  IPv4 B -> C (reply)           ESTABLISHED/REPLY, timeout 2 (expires 2.21)
 t=1.00 f9  IPv4 A -> B GREv0             NEW (unreplied), entry 3 refreshed: expires 3.00
 t=2.60 f10 IPv4 C -> B GREv0             NEW, entry 5 (entry 4 expired: DESTROY 4)
 t=3.40 f11 IPv4 A -> B GREv0             NEW, entry 6 (entry 3 expired: DESTROY 3)
 t=3.60 f12 IPv6 A -> B GREv0             ESTABLISHED, entry 1 (0.42 s left; -> 7.60)
 t=3.70 f13 IPv6 B -> A GREv1 call 0      ESTABLISHED/REPLY, entry 1 (entry 2, expired
                                          at 2.03, is reaped by the GC meanwhile: its
                                          DESTROY may come with any frame after 2.03)
"""
from common import A4, B4, A6, B6, Capture, ipv4, ipv6
from common_l4 import gre

C4 = "192.0.2.3"
cap = Capture()
INNER = ipv4("10.0.0.1", "10.0.0.2", 253, b"tunnelled")
PPP = b"\xff\x03\x00\x21" + INNER
g0 = gre(0x0800, INNER)
cap.add(ipv6(A6, B6, 47, gre(0x86DD, ipv6("2001:db8:9::1", "2001:db8:9::2", 59))), at=0.0)
cap.add(ipv6(B6, A6, 47, gre(0x86DD, ipv6("2001:db8:9::2", "2001:db8:9::1", 59))), at=0.01, frm="b")
cap.add(ipv6(A6, B6, 47, gre(0x86DD, ipv6("2001:db8:9::1", "2001:db8:9::2", 59))), at=0.02)
cap.add(ipv6(A6, B6, 47, gre(0x880B, PPP, version=1, call_id=0x4444, seq=1)), at=0.03)
cap.add(ipv6(B6, A6, 47, gre(0x880B, PPP, version=1, call_id=0, seq=1)), at=0.04, frm="b")
cap.add(ipv4(A4, B4, 47, g0), at=0.10)
cap.add(ipv4(C4, B4, 47, g0), at=0.20, frm="r")
cap.add(ipv4(B4, C4, 47, g0), at=0.21, frm="b")
cap.add(ipv4(A4, B4, 47, g0), at=1.00)
cap.add(ipv4(C4, B4, 47, g0), at=2.60, frm="r")
cap.add(ipv4(A4, B4, 47, g0), at=3.40)
cap.add(ipv6(A6, B6, 47, gre(0x86DD, ipv6("2001:db8:9::1", "2001:db8:9::2", 59))), at=3.60)
cap.add(ipv6(B6, A6, 47, gre(0x880B, PPP, version=1, call_id=0, seq=2)), at=3.70, frm="b")
cap.write("gre-v6-timeouts.pcap")
