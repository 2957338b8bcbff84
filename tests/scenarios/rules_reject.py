"""REJECT in FORWARD on the bridge, every --reject-with (rules_reject.v4,
rules_reject.v6; kernel-replay --rules --rules6; FORWARD policy ACCEPT).
v4: RELATED,ESTABLISHED shorter than 100 bytes accept; tcp/25 tcp-reset;
tcp/113 REJECT (default: icmp-port-unreachable); udp/9 icmp-port-unreachable;
udp/10 icmp-host-prohibited; udp/11 icmp-admin-prohibited; echo request
icmp-net-unreachable; any other ESTABLISHED tcp tcp-reset. v6: tcp/25
tcp-reset, tcp/113 default (icmp6-port-unreachable), udp/9
icmp6-port-unreachable, udp/11 icmp6-adm-prohibited, echo request
icmp6-no-route.

What the kernel does: kernel-replay's bridge has no IP address and no route,
so the reply cannot be routed (nf_send_reset / nf_send_unreach give up in
ip_route_me_harder / icmp_send): every REJECT is a silent DROP here —
returned.pcap holds no frame, no `generated` packet, meta.json
generated_packets 0 / returned_frames 0. The rejected packet itself is DROP
and a rejected NEW packet leaves no entry. REJECT on a host or router that
can route the answer is recorded by the local-host harness
(tests/scenarios/localhost: local-input-v4, local-ipv6, local-nft,
local-routed-reject).

A = 192.0.2.1 / 2001:db8::1, B = 198.51.100.2 / 2001:db8:1::2.
 f1  A -> B:25 SYN               NEW, DROP (tcp-reset), no entry
 f2  its retransmission (1 s)    NEW again, DROP
 f3  A -> B:113 SYN              NEW, DROP (REJECT default)
 f4-f6 UDP to 9, 10, 11          NEW, DROP (port-unreach, host-prohibited,
                                 admin-prohibited)
 f7  ping A -> B                 NEW, DROP (net-unreachable)
 f8-f10 A:44080 -> B:80 handshake  NEW, ESTABLISHED, ESTABLISHED: ACCEPT (the
                                 SYN by the ACCEPT policy, the others by the
                                 < 100 bytes rule), entry 1
 f11 A data, 120 bytes           ESTABLISHED, DROP by `ESTABLISHED tcp-reset`;
                                 the entry is not touched (no event, stays
                                 ESTABLISHED) and its sequence numbers count:
 f12 A data after f11's bytes    ESTABLISHED (in window: conntrack saw f11
                                 before the filter dropped it), ACCEPT
 f13 B data                      ESTABLISHED/REPLY, ACCEPT
 f14 [A6]:44025 -> [B6]:25 SYN   NEW, DROP (tcp-reset)
 f15 v6 tcp/113 SYN              NEW, DROP (default icmp6-port-unreachable)
 f16, f17 v6 UDP to 9, 11        NEW, DROP
 f18 v6 ping                     NEW, DROP (icmp6-no-route)
 f19 v6 UDP to 11 again (0.5 s)  NEW again (no entry from f17), DROP
Counters: each REJECT rule counts its packets (tcp/25 2, 113 1, 9 1, 10 1,
11 1, icmp 1, ESTABLISHED tcp-reset 1; v6: 25 1, 113 1, 9 1, 11 2, 128 1);
FORWARD policy ACCEPT 1 (f8); the <100-byte rule 4 (f9, f10, f12, f13).
"""
from common import A4, A6, B4, B6, Capture, icmp4, icmp6, ipv4, ipv6
from common_helper import Conn, Udp

cap = Capture()

smtp = Conn(cap, A4, B4, 44025, 25, isn_a=1_000_000)
smtp.seg("a", "S")                                   # f1 tcp-reset
smtp.seg("a", "S", seq=1_000_000, gap=1.0)           # f2 retransmission
Conn(cap, A4, B4, 44113, 113, isn_a=1_100_000).seg("a", "S")   # f3 REJECT (default)
Udp(cap, A4, B4, 44009, 9).a(b"discard")             # f4 port-unreachable
Udp(cap, A4, B4, 44010, 10).a(b"ten")                # f5 host-prohibited
Udp(cap, A4, B4, 44011, 11).a(b"eleven")             # f6 admin-prohibited
cap.add(ipv4(A4, B4, 1, icmp4(8, 0, 0x71, 1, b"ping")), frm="a")   # f7 net-unreachable
web = Conn(cap, A4, B4, 44080, 80, isn_a=2_000_000, isn_b=2_500_000)
web.open()                                           # f8-f10 accepted (short packets)
web.a(b"x" * 80)                                     # f11 ESTABLISHED, >= 100 bytes: tcp-reset
web.a(b"y" * 10)                                     # f12 ESTABLISHED (seq after f11's data)
web.b(b"z" * 10)                                     # f13 reply
smtp6 = Conn(cap, A6, B6, 44025, 25, isn_a=3_000_000)
smtp6.seg("a", "S")                                  # f14 v6 tcp-reset
Conn(cap, A6, B6, 44113, 113, isn_a=3_100_000).seg("a", "S")   # f15 v6 REJECT (default)
Udp(cap, A6, B6, 44009, 9).a(b"discard")             # f16 icmp6-port-unreachable
Udp(cap, A6, B6, 44011, 11).a(b"eleven")             # f17 icmp6-adm-prohibited
cap.add(ipv6(A6, B6, 58, icmp6(A6, B6, 128, 0, 0x72, 1, b"ping")), frm="a")  # f18 no-route
Udp(cap, A6, B6, 44011, 11).a(b"eleven again", gap=0.5)   # f19 retransmission: NEW again
cap.write("rules-reject.pcap")
