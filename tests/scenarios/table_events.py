"""Events (conntrack -E / ctnetlink) over entry lifetimes: which packets emit
NEW / UPDATE / DESTROY, and when a DESTROY for an expired entry appears.
Recorded with --set nf_conntrack_udp_timeout=2 --set nf_conntrack_tcp_timeout_close=2.

UPDATE comes only with a status or protocol-state change (SEEN_REPLY,
ASSURED, TCP state, mark...), never for a mere timeout refresh. A DESTROY
comes when the entry is deleted: at once for a kill (TCP RST answering a SYN,
TCP reopen, early drop), but for an expiry only when something reaps the
dead entry (a lookup of its tuple, the gc worker, the /proc read at the end).

A = 192.0.2.1, B = 198.51.100.2.
 f1  t=0.00 U1 UDP A:41901 -> B:7901   NEW 1 timeout 2
 f2  t=0.01 U1 B->A                    UPDATE 1 timeout 2 [SEEN_REPLY]
 f3  t=0.10 U2 UDP A:41902 -> B:7902   NEW 2 (expires at 2.10)
 f4  t=0.30 U3 UDP A:41903 -> B:7903   NEW 3 (expires at 2.30, never seen again)
 f5-f7 t=0.40 T1 TCP A:40901 -> B:80 handshake   NEW 4 SYN_SENT timeout 120,
                                       UPDATE SYN_RECV 60 [SEEN_REPLY], UPDATE
                                       ESTABLISHED 432000 [SEEN_REPLY,ASSURED]
 f8  T1 A 10 bytes, f9 B ACK           no event
 f10 T1 A FIN                          UPDATE FIN_WAIT 120
 f11 T1 B ACK                          UPDATE CLOSE_WAIT 60
 f12 T1 B FIN                          UPDATE LAST_ACK 30
 f13 T1 A ACK                          UPDATE TIME_WAIT 120
 f14 t=0.50 U1 A->B                    no event (a refresh only)
 f15 t=0.60 T2 TCP A:40902 SYN         NEW 5 SYN_SENT
 f16 T2 B RST/ACK                      ESTABLISHED/REPLY, then DESTROY 5 at once
                                       (the only reply is a RST: nf_ct_kill_acct)
 f17-f19 t=0.70 T3 TCP A:40903 handshake   NEW 6 ... ESTABLISHED [ASSURED]
 f20 T3 A RST                          UPDATE 6 CLOSE timeout 2 (dead at ~2.70)
 f21 t=0.80 ICMP echo A -> B, f22 reply   NEW 7 timeout 30, UPDATE 7 [SEEN_REPLY]
 f23 t=2.30 U1 A->B (2.3 s after creation, 1.8 s after f14)
                                       UPDATE 1 timeout 120 [SEEN_REPLY,ASSURED]
 f24 t=2.60 U2 A->B (0.5 s after U2 expired)   DESTROY 2, NEW 8: the lookup
                                       reaps the dead entry first
 f25 t=2.80 T1 A SYN, new ISN (TIME_WAIT)   DESTROY 4, NEW 9 SYN_SENT
 f26 t=3.20 T3 A ACK (T3 dead since ~2.70)  DESTROY 6, NEW 10 ESTABLISHED
                                       timeout 300: a mid-stream pickup, not
                                       ASSURED; then DESTROY 3 (see below)
Table read right after f26: U3 (entry 3) is dead since 2.30 and the read of
/proc/net/nf_conntrack reaps it (not listed): its DESTROY 3 comes after the
last frame, and packets.jsonl lists it among f26's events. Listed: entries
1 (udp ASSURED, 119 s), 7 (icmp), 8 (udp, 1 s), 9 (SYN_SENT), 10.
In events.txt a DESTROY line shows the remaining timeout when it is not 0:
T2 `[DESTROY] ... tcp 6 120 CLOSE` (killed with the SYN_SENT timeout still
running), T1 `117 TIME_WAIT`; expired entries have none (`tcp 6 CLOSE`,
`udp 17 src=...`).
"""
from scapy.all import IP, UDP, ICMP, Raw
from common import A4, B4, Capture, Tcp, syn_options

cap = Capture()


def u(n, at, frm="a"):
    if frm == "a":
        p = IP(src=A4, dst=B4) / UDP(sport=41900 + n, dport=7900 + n) / Raw(b"a%d" % n)
    else:
        p = IP(src=B4, dst=A4) / UDP(sport=7900 + n, dport=41900 + n) / Raw(b"b%d" % n)
    cap.add(p, at=at, frm=frm)


u(1, 0.00)
u(1, 0.01, "b")
u(2, 0.10)
u(3, 0.30)
t1 = Tcp(cap, sport=40901, dport=80, isn_a=910_000, isn_b=950_000)
t1.handshake(opts_a=syn_options(), opts_b=syn_options(), at=0.40)
t1.a("PA", b"0123456789")
t1.b("A")
t1.a("FA")
t1.b("A")
t1.b("FA")
t1.a("A")
u(1, 0.50)
t2 = Tcp(cap, sport=40902, dport=80, isn_a=920_000, isn_b=960_000)
t2.a("S", options=syn_options(), at=0.60)
t2.b("RA", seq=0, ack=920_001)
t3 = Tcp(cap, sport=40903, dport=80, isn_a=930_000, isn_b=970_000)
t3.handshake(opts_a=syn_options(), opts_b=syn_options(), at=0.70)
t3.a("R")
cap.add(IP(src=A4, dst=B4) / ICMP(type=8, id=0x1901, seq=1) / Raw(b"ping"), at=0.80, frm="a")
cap.add(IP(src=B4, dst=A4) / ICMP(type=0, id=0x1901, seq=1) / Raw(b"ping"), at=0.81, frm="b")
u(1, 2.30)
u(2, 2.60)
t1.nxt["a"] += 500_000
t1.a("S", options=syn_options(), at=2.80)
t3.a("A", at=3.20)
cap.write("table-events.pcap")
