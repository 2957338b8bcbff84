"""Timestamps (--set nf_conntrack_timestamp=1): what table.txt and events.txt
show. Recorded twice: `table-timestamp` (--set nf_conntrack_timestamp=1
--set nf_conntrack_generic_timeout=1) and `table-timestamp-acct` (the same
plus --set nf_conntrack_acct=1, for the order of the fields).

The start stamp is taken when the entry is confirmed (the first packet,
wall-clock ns); /proc prints `delta-time=<whole seconds since start>` after
mark= and zone=, before use=. The stop stamp is taken when the entry is
deleted; for an entry reaped after it expired, stop is moved back to the
expiry moment (nf_ct_delete: stop -= time since expiry).

A = 192.0.2.1, B = 198.51.100.2. Margins: every entry is >= 0.2 s away from a
whole second at the table read (right after f12, t=4.5).
 f1  t=0.00 UDP A:41501 -> B:7701   NEW entry 1
 f2  t=0.50 protocol 253 A -> B     NEW entry 2 (generic, timeout 1: expires at 1.5)
 f3  t=1.00 UDP A:41501 -> B:7701 again   (a refresh does not move start)
 f4  t=1.30 UDP A:41502 -> B:7702   NEW entry 3
 f5  t=2.00 ICMP echo A -> B id 0x1501, f6 t=2.01 echo reply   entry 4
 f7  t=3.00 protocol 253 A -> B again   reaps entry 2 (expired 1.5 s ago):
                                    DESTROY 2, NEW entry 5
 f8-f10 t=3.20 TCP A:40501 -> B:80 handshake   entry 6
 f11 t=3.50 UDP A:41501 -> B:7701   refresh of entry 1
 f12 t=4.30 UDP A:41503 -> B:7703   NEW entry 7
Table (read right after f12, t~4.3): delta-time=4 (entry 1: a refresh does
not move start), 3 (entry 3), 2 (4), 1 (6), 0 (7), e.g. `... [UNREPLIED]
src=... mark=0 zone=0 delta-time=4 use=2`; with acct=1 the packets=/bytes=
pairs come after each tuple as usual and delta-time still right before use=.
Entry 5 (generic, from t=3.0) died at 4.0 and is reaped by the table read
(not listed; its DESTROY is among f12's events). events.txt (conntrack -E)
prints `delta-time=N` in DESTROY lines only: entry 2's DESTROY at t=3.0 says
delta-time=1, not 2 (stop = its expiry at 1.5, not the reaping time),
entry 5's also 1.
"""
from scapy.all import IP, UDP, ICMP, Raw
from common import A4, B4, Capture, Tcp, syn_options, ipv4

cap = Capture()


def u(sport, dport, at):
    cap.add(IP(src=A4, dst=B4) / UDP(sport=sport, dport=dport) / Raw(b"ts"), at=at, frm="a")


u(41501, 7701, 0.00)
cap.add(ipv4(A4, B4, 253, b"generic"), at=0.50, frm="a")
u(41501, 7701, 1.00)
u(41502, 7702, 1.30)
cap.add(IP(src=A4, dst=B4) / ICMP(type=8, id=0x1501, seq=1) / Raw(b"ping"), at=2.00, frm="a")
cap.add(IP(src=B4, dst=A4) / ICMP(type=0, id=0x1501, seq=1) / Raw(b"ping"), at=2.01, frm="b")
cap.add(ipv4(A4, B4, 253, b"generic"), at=3.00, frm="a")
c = Tcp(cap, sport=40501, dport=80, isn_a=150_000, isn_b=550_000)
c.handshake(opts_a=syn_options(), opts_b=syn_options(), at=3.20)
u(41501, 7701, 3.50)
u(41503, 7703, 4.30)
cap.write("table-timestamp.pcap")
