"""Table full (nf_conntrack_max=4), every entry ASSURED: what happens to the
packets that would create entry 5? Recorded with --set nf_conntrack_max=4
--set nf_conntrack_sctp_timeout_shutdown_sent=30
--set nf_conntrack_sctp_timeout_shutdown_ack_sent=30 (default buckets).

__nf_conntrack_alloc() counts the new entry first (count 5 > max 4) and calls
early_drop(), which scans 8 hash buckets from the new tuple's bucket and kills
every entry there that is not ASSURED; nothing is evictable here (ASSURED
entries never are, whatever their TCP/SCTP state: the l4proto can_early_drop()
test is used only by the gc worker, and only when nf_conntrack_max >= 100, see
table-gc-early-drop), so the packet is dropped in PREROUTING. The kernel log (dmesg, not
recorded in the fixture) says `nf_conntrack: nf_conntrack: table full in netns
<inode>, dropping packet` once per refused packet here (net_warn_ratelimited:
10 per 5 s; `table full, dropping packet` in the initial namespace); it is not
an nf_log message, so packets.jsonl has no `reason`: a refused packet is
ctstate null, ctstatus [], verdict DROP, no entry, no event, note "reached
PREROUTING but got no verdict". Outcome independent of the hash seed.

A = 192.0.2.1, B = 198.51.100.2.
E1 TCP A:40001 -> B:80, E2 TCP A:40002 -> B:80, E3 SCTP A:5001 -> B:5002,
E4 UDP A:41004 -> B:7004.

 f1  t=0.000 E4 A->B          NEW entry 1 (udp timeout 30)
 f2  t=0.010 E4 B->A          ESTABLISHED/REPLY, SEEN_REPLY
 f3-f5  t=0.100 E1 handshake  entry 2: SYN_SENT, SYN_RECV, ESTABLISHED+ASSURED
 f6-f8  t=0.200 E2 handshake  entry 3, ASSURED
 f9-f12 t=0.300 E3 INIT, INIT_ACK, COOKIE_ECHO, COOKIE_ACK: entry 4, ASSURED
 f13-f15 t=0.400 E1 A FIN, B FIN/ACK, A ACK     TIME_WAIT (ASSURED kept)
 f16 t=0.500 E2 A RST          CLOSE (ASSURED kept)
 f17 t=0.600 E3 A SHUTDOWN     SHUTDOWN_SENT (ASSURED kept)
 f18 t=2.500 E4 A->B           ASSURED (udp 2 s rule), timeout 120
 -- 4 entries, all ASSURED: the table is full --
 f19 t=3.000 UDP A:41005 -> B:7005         refused: ctstate null, verdict DROP,
                                           no entry, no event
 f20 t=3.100 the same datagram again       refused again (nothing was kept)
 f21 t=3.200 UDP B:7005 -> A:41005         refused (just another new tuple)
 f22 t=3.300 TCP SYN A:40003 -> B:80       refused
 f23 t=3.400 ICMP echo A -> B id 0x77      refused
 f24 t=3.500 UDP 2001:db8::1 -> 2001:db8:1::2   refused (IPv4 and IPv6 share
                                           the namespace's count)
 f25 t=3.600 protocol 253 A -> B           refused
 f26 t=3.700 E4 B->A                       ESTABLISHED/REPLY (existing entries
                                           work as usual)
 f27 t=3.800 E3 B SHUTDOWN_ACK             ESTABLISHED/REPLY, SHUTDOWN_ACK_SENT
 f28 t=3.900 TCP SYN on E1's tuple (TIME_WAIT)   reopen: DESTROY 2, NEW entry 5
                                           (the old entry is freed before the new
                                           one is allocated: accepted)
 f29 t=4.000 TCP SYN on E2's tuple (CLOSE) reopen: DESTROY 3, NEW entry 6
 -- 4 entries again, 2 of them (5, 6: SYN_SENT) not ASSURED --
 f30 t=4.100 UDP A:41006 -> B:7006         refused: early_drop only looks at 8
                                           of the 262144 buckets, entries 5 and 6
                                           are almost surely not among them
                                           (probability about 2 x 16 / 262144)
Final table: entries 1 (udp ASSURED), 4 (sctp SHUTDOWN_ACK_SENT), 5, 6 (tcp
SYN_SENT).
"""
from scapy.all import IP, IPv6, UDP, ICMP, Raw
from common import A4, B4, A6, B6, Capture, Tcp, syn_options, ipv4
from common_l4 import Sctp

cap = Capture()


def u(src, dst, sport, dport, at, frm, data=b"x" * 10):
    cap.add(IP(src=src, dst=dst) / UDP(sport=sport, dport=dport) / Raw(data), at=at, frm=frm)


u(A4, B4, 41004, 7004, 0.000, "a")
u(B4, A4, 7004, 41004, 0.010, "b")
e1 = Tcp(cap, sport=40001, dport=80, isn_a=1_000_000, isn_b=5_000_000)
e1.handshake(opts_a=syn_options(), opts_b=syn_options(), at=0.100)
e2 = Tcp(cap, sport=40002, dport=80, isn_a=2_000_000, isn_b=6_000_000)
e2.handshake(opts_a=syn_options(), opts_b=syn_options(), at=0.200)
e3 = Sctp(cap, sport=5001, dport=5002)
e3.handshake(at=0.300)
e1.a("FA", at=0.400)
e1.b("FA")
e1.a("A")
e2.a("R", at=0.500)
e3.shutdown("a", at=0.600)
u(A4, B4, 41004, 7004, 2.500, "a")
# table full from here on
u(A4, B4, 41005, 7005, 3.000, "a")
u(A4, B4, 41005, 7005, 3.100, "a")
u(B4, A4, 7005, 41005, 3.200, "b")
e5 = Tcp(cap, sport=40003, dport=80, isn_a=3_000_000, isn_b=7_000_000)
e5.a("S", options=syn_options(), at=3.300)
cap.add(IP(src=A4, dst=B4) / ICMP(type=8, id=0x77, seq=1) / Raw(b"ping"), at=3.400, frm="a")
cap.add(IPv6(src=A6, dst=B6) / UDP(sport=41007, dport=7007) / Raw(b"v6"), at=3.500, frm="a")
cap.add(ipv4(A4, B4, 253, b"generic-253"), at=3.600, frm="a")
u(B4, A4, 7004, 41004, 3.700, "b")
e3.shutdown_ack("b", at=3.800)
e1.nxt["a"] += 100_000
e1.a("S", options=syn_options(), at=3.900)
e2.nxt["a"] += 100_000
e2.a("S", options=syn_options(), at=4.000)
u(A4, B4, 41006, 7006, 4.100, "a")
cap.write("table-full-assured.pcap")
