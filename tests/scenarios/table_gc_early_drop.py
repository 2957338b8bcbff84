"""The gc worker's early drop (nf_conntrack_max >= 100 only): after a packet
was refused for a full table, the next gc pass kills entries that are not
ASSURED or whose tracker says they can be dropped (TCP FIN_WAIT, CLOSE_WAIT,
LAST_ACK, TIME_WAIT, CLOSE; SCTP SHUTDOWN_SENT, SHUTDOWN_RECD,
SHUTDOWN_ACK_SENT), as long as the namespace's count is >= 95 % of
nf_conntrack_max (computed as max / 100 * 95 in integers: 0, i.e. never, for
max < 100). Recorded with --set nf_conntrack_max=100 and every timeout that
matters raised to 300 s (see record.sh; default buckets).

A = 192.0.2.1, B = 198.51.100.2. 100 entries, all but two ASSURED:
 not droppable (91): N1-N3 TCP A:40301-40303 -> B:80 ESTABLISHED;
   N4 UDP A:41301 -> B:7401 (ASSURED by its 3rd datagram at t=2.2);
   N5 SCTP A:5301 -> B:5301 after a full shutdown: CLOSED (ASSURED kept:
   SCTP CLOSED is not droppable); N6 GRE A <-> B (ASSURED on the 3rd packet);
   N7-N91 SCTP A:6001..6085 -> B (HEARTBEAT, HEARTBEAT_ACK: ESTABLISHED,
   ASSURED).
 droppable (9): C1 UDP A:41302 -> B:7402 UNREPLIED; C2 TCP A:40310 SYN_SENT;
   ASSURED TCP C3 A:40311 FIN_WAIT, C4 A:40312 CLOSE_WAIT, C5 A:40313
   LAST_ACK, C6 A:40314 TIME_WAIT, C7 A:40315 CLOSE (RST);
   ASSURED SCTP C8 A:5311 SHUTDOWN_SENT, C9 A:5312 SHUTDOWN_ACK_SENT.
 f1-f229 t=0.00-2.20    the 100 entries (entries 1-100)
 f230-f268 t=3, 5, 7, ... 79 (every 2 s) probe k: a new UDP flow
                        A:42001+k -> B:7500 (k = 0..38)
   Until the gc pass: refused (ctstate null, DROP; packet-path early_drop
   cannot evict ASSURED entries and C1/C2 are almost surely not in the
   8-bucket window of 262144 buckets). The first refusal (f230) sets the
   gc's early_drop flag.
   The next gc pass kills 6 of the 9 droppable entries: it stops when the
   count falls below 95 (100 -> 94). Which 6 depends on the hash bucket
   order (random). Three recordings killed entries 99, 94, 95, 96, 93, 97
   (C8, C3, C4, C5, C2, C6); 99, 93, 98, 97, 100, 92 (C8, C2, C7, C6, C9,
   C1: the fixture); 99, 94, 96, 100, 93, 98: every candidate type died at
   least once, no other entry ever did.
   The 6 DESTROY events come with the frame before which the pass ran; the
   following 6 probes are NEW (count 95 ... 100), then probes are refused
   again (the flag is set again, the next pass is ~60 s later).
   The moment of the pass is up to the gc worker (a pass every ~60 s, at a
   phase set by the host's history): twice it fell between f258 (t=59,
   refused, the DESTROYs listed with it) and f259 (t=61) -- the fixture:
   f259-f264 NEW (entries 101-106), f265-f268 refused -- and once between
   f250 (t=43) and f251 (f251-f256 NEW, f257-f268 refused).
   Had it come before t~19, a second pass before t=79 would kill 6 more
   among the remaining 3 droppable entries and the 6 admitted probes
   (UNREPLIED UDP, not ASSURED).
 None of N1-N91 is ever destroyed (final table: 100 entries).
"""
from scapy.all import IP, UDP, Raw
from common import A4, B4, Capture, Tcp, syn_options, ipv4
from common_l4 import Sctp, gre

cap = Capture()


def u(sport, dport, at, frm="a", data=b"u"):
    if frm == "a":
        cap.add(IP(src=A4, dst=B4) / UDP(sport=sport, dport=dport) / Raw(data), at=at, frm="a")
    else:
        cap.add(IP(src=B4, dst=A4) / UDP(sport=dport, dport=sport) / Raw(data), at=at, frm="b")


def tcp_conn(port, at):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 1000, isn_b=port * 3000)
    c.handshake(opts_a=syn_options(), opts_b=syn_options(), at=at)
    return c


# N4: UDP, replied now, ASSURED at t=2.2
u(41301, 7401, 0.000)
u(41301, 7401, 0.010, frm="b")
# N1-N3
for k in range(3):
    tcp_conn(40301 + k, 0.02 + 0.01 * k)
# N5: SCTP association shut down completely -> CLOSED, ASSURED
n5 = Sctp(cap, sport=5301, dport=5301, tag_a=0x0A0A5301, tag_b=0x0B0B5301)
n5.handshake(at=0.06)
n5.shutdown("a")
n5.shutdown_ack("b")
n5.shutdown_complete("a")
# N6: GRE, ASSURED on the third packet
g = gre(0x0800, b"\x45" + bytes(19))
cap.add(ipv4(A4, B4, 47, g), at=0.08, frm="a")
cap.add(ipv4(B4, A4, 47, g), frm="b")
cap.add(ipv4(A4, B4, 47, g), frm="a")
# N7-N91: SCTP secondary-path style heartbeats
for k in range(85):
    s = Sctp(cap, sport=6001 + k, dport=6001 + k, tag_a=0x0A0A0000 + k, tag_b=0x0B0B0000 + k)
    s.heartbeat("a", at=0.10 + 0.004 * k)
    s.heartbeat_ack("b")
# droppable ones
u(41302, 7402, 0.50)                                      # C1
c2 = Tcp(cap, sport=40310, dport=80, isn_a=40310 * 1000, isn_b=1)
c2.a("S", options=syn_options(), at=0.51)                 # C2
c3 = tcp_conn(40311, 0.52)
c3.a("FA")                                                # C3 FIN_WAIT
c4 = tcp_conn(40312, 0.53)
c4.a("FA")
c4.b("A")                                                 # C4 CLOSE_WAIT
c5 = tcp_conn(40313, 0.54)
c5.a("FA")
c5.b("FA")                                                # C5 LAST_ACK
c6 = tcp_conn(40314, 0.55)
c6.a("FA")
c6.b("FA")
c6.a("A")                                                 # C6 TIME_WAIT
c7 = tcp_conn(40315, 0.56)
c7.a("R")                                                 # C7 CLOSE
c8 = Sctp(cap, sport=5311, dport=5311, tag_a=0x0A0A5311, tag_b=0x0B0B5311)
c8.handshake(at=0.57)
c8.shutdown("a")                                          # C8 SHUTDOWN_SENT
c9 = Sctp(cap, sport=5312, dport=5312, tag_a=0x0A0A5312, tag_b=0x0B0B5312)
c9.handshake(at=0.58)
c9.shutdown("a")
c9.shutdown_ack("b")                                      # C9 SHUTDOWN_ACK_SENT
u(41301, 7401, 2.20)                                      # N4 ASSURED
# probes
for k in range(39):
    u(42001 + k, 7500, 3.0 + 2.0 * k, data=b"probe%d" % k)
cap.write("table-gc-early-drop.pcap")
