"""Fragmented ICMP / ICMPv6 errors, and errors quoting fragments (default sysctls).

An ICMP error is tracked like any datagram: it is reassembled first, then
nf_conntrack_icmp(v6)_error looks at the quoted header and finds the entry
it belongs to (RELATED). So a quoted header that lies entirely in the second
fragment is found all the same. The quoted packet itself may be a fragment
(the error was caused by one): conntrack reads its L4 header only when the
quoted fragment has offset 0 (ipv4_get_l4proto / ipv6_skip_exthdr refuse
non-first fragments), otherwise the error cannot be matched.
A4 192.0.2.1, B4 198.51.100.2, router R4 203.0.113.9; A6 2001:db8::1,
B6 2001:db8:1::2, R6 2001:db8:2::9.

 IPv4, UDP A4:41301 -> B4:5410 (entry 1)
 f1       the UDP packet                                       NEW (entry 1)
 f2, f3   B4 -> A4 port unreachable quoting it, 2 fragments: [0,8) = the ICMP
          header only, [8,...) = the quoted IP + UDP header + 100 data bytes
                                                               f3 RELATED/REPLY
 f4, f5   R4 -> A4 time exceeded quoting it, cut at 64           f5 RELATED/REPLY
 f6       R4 -> A4 time exceeded quoting the FIRST fragment (MF=1, offset 0) of
          a datagram of the flow, not itself fragmented        RELATED/REPLY
 f7       the same quoting a non-first fragment (offset 8) of it   INVALID (no entry found)
 IPv6, UDP A6:41302 -> B6:5410 (entry 2)
 f8       the UDP packet                                       NEW (entry 2)
 f9, f10  B6 -> A6 port unreachable quoting it, [0,8) + rest    f10 RELATED/REPLY
 f11, f12 R6 -> A6 packet too big quoting it, cut at 64          f12 RELATED/REPLY
 f13      R6 -> A6 time exceeded quoting the first fragment (offset 0, M=1)
                                                               RELATED/REPLY
 f14      the same quoting a non-first fragment (offset 8)     INVALID
"""
from common import (A4, B4, R4, A6, B6, R6, Capture, ipv4, ipv6, udp, icmp4, icmp6)
from common_frag import send4, send6, frag4, frag6, pattern

cap = Capture()

# IPv4
u = ipv4(A4, B4, 17, udp(A4, B4, 41301, 5410, pattern(100)), ident=0x1a01, flags_frag=0)
cap.add(u)
err = icmp4(3, 3, rest=bytes(4), data=u)
send4(cap, B4, A4, 1, err, (8,), 0x2a01, frm="b", gap=0.01)
err = icmp4(11, 0, rest=bytes(4), data=u)
send4(cap, R4, A4, 1, err, (64,), 0x2a02, frm="r", gap=0.01)
big = udp(A4, B4, 41301, 5410, pattern(100, 1))
q_first = frag4(A4, B4, 17, big[:48], 0, True, 0x1a02)
q_next = frag4(A4, B4, 17, big[8:56], 8, True, 0x1a02)
cap.add(ipv4(R4, A4, 1, icmp4(11, 1, rest=bytes(4), data=q_first), ident=0x2a03), frm="r",
        gap=0.01)
cap.add(ipv4(R4, A4, 1, icmp4(11, 1, rest=bytes(4), data=q_next), ident=0x2a04), frm="r",
        gap=0.01)

# IPv6
u = ipv6(A6, B6, 17, udp(A6, B6, 41302, 5410, pattern(100)))
cap.add(u, gap=0.01)
err = icmp6(B6, A6, 1, 4, rest=bytes(4), data=u)
send6(cap, B6, A6, 58, err, (8,), 0x7a01, frm="b", gap=0.01)
err = icmp6(R6, A6, 2, 0, rest=(1280).to_bytes(4, "big"), data=u)
send6(cap, R6, A6, 58, err, (64,), 0x7a02, frm="r", gap=0.01)
big = udp(A6, B6, 41302, 5410, pattern(100, 1))
q_first = frag6(A6, B6, 17, big[:48], 0, True, 0x6a11)
q_next = frag6(A6, B6, 17, big[8:56], 8, True, 0x6a11)
cap.add(ipv6(R6, A6, 58, icmp6(R6, A6, 3, 1, rest=bytes(4), data=q_first)), frm="r", gap=0.01)
cap.add(ipv6(R6, A6, 58, icmp6(R6, A6, 3, 1, rest=bytes(4), data=q_next)), frm="r", gap=0.01)

cap.write("frag-icmp-errors.pcap")
