"""Expiry timing: an entry dies `timeout` seconds after the last packet that
refreshed it (the kernel compares jiffies: dead when jiffies >= expiry; every
probe here is >= 0.3 s away from it). Which packets refresh? Recorded with
--set nf_conntrack_udp_timeout=2 --set nf_conntrack_icmp_timeout=2
--set nf_conntrack_icmpv6_timeout=2 --set nf_conntrack_generic_timeout=2
--set nf_conntrack_tcp_timeout_syn_sent=2.

A = 192.0.2.1, B = 198.51.100.2 (IPv6 2001:db8::1, 2001:db8:1::2).
 f1  t=0.00 U1 UDP A:42301 -> B:7931   NEW entry 1
 f2  t=0.01 U2 UDP A:42302 -> B:7932   NEW entry 2
 f3  t=0.02 U3 UDP over IPv6 A6:42303 -> B6:7933   NEW entry 3
 f4  t=0.03 I1 ICMP echo A -> B id 0x2301   NEW entry 4
 f5  t=0.04 G1 protocol 253 A -> B    NEW entry 5
 f6  t=0.05 T1 TCP SYN A:42306 -> B:80   NEW entry 6, SYN_SENT (timeout 2)
 f7  t=1.00 U2 with UDP length 200 (INVALID)   no refresh
 f8  t=1.70 U1 again                  NEW (still unreplied), entry 1, refreshed:
                                      now dies at 3.70
 f9  t=1.71 U2 with UDP length 200 (INVALID)   no refresh
 f10 t=1.73 I1 echo request seq 2     entry 4, refreshed: dies at 3.73
 f11 t=1.75 T1 the same SYN again     NEW, entry 6, SYN_SENT (a retransmission:
                                      accepted, but it does not refresh)
 f12 t=2.30 U2 valid                  U2 died at 2.01 (INVALID packets do not
                                      refresh): DESTROY 2, NEW entry 7
 f13 t=2.32 U3                        died at 2.02: DESTROY 3, NEW entry 8
 f14 t=2.34 G1                        died at 2.04: DESTROY 5, NEW entry 9
 f15 t=2.35 T1 SYN again              entry 6 died at 2.05 (f11 did not extend
                                      it): DESTROY 6, NEW entry 10 SYN_SENT
 f16 t=3.40 U1                        1.7 s after f8: alive, entry 1
 f17 t=4.20 I1 echo reply seq 2       2.47 s after f10: entry 4 is dead; a
                                      reply without request: INVALID (the
                                      lookup reaps entry 4: DESTROY 4)
 f18 t=5.80 U1                        2.4 s after f16: DESTROY 1, NEW entry 11
Table read right after f18: entries 7-10 (dead since ~4.3) are reaped by
the read; their DESTROY events come after the last frame and packets.jsonl
lists them among f18's events. Listed: entry 11 only (2 s left).
"""
from scapy.all import IP, IPv6, UDP, ICMP, Raw
from common import A4, B4, A6, B6, Capture, Tcp, syn_options, ipv4, udp

cap = Capture()


def u(n, at, v6=False):
    if v6:
        p = IPv6(src=A6, dst=B6) / UDP(sport=42300 + n, dport=7930 + n) / Raw(b"t%d" % n)
    else:
        p = IP(src=A4, dst=B4) / UDP(sport=42300 + n, dport=7930 + n) / Raw(b"t%d" % n)
    cap.add(p, at=at, frm="a")


def bad_u2(at):
    cap.add(ipv4(A4, B4, 17, udp(A4, B4, 42302, 7932, b"t2", length=200)), at=at, frm="a")


def echo(typ, seq, at, frm="a"):
    src, dst = (A4, B4) if frm == "a" else (B4, A4)
    cap.add(IP(src=src, dst=dst) / ICMP(type=typ, id=0x2301, seq=seq) / Raw(b"ping"), at=at, frm=frm)


u(1, 0.00)
u(2, 0.01)
u(3, 0.02, v6=True)
echo(8, 1, 0.03)
cap.add(ipv4(A4, B4, 253, b"g1"), at=0.04, frm="a")
t1 = Tcp(cap, sport=42306, dport=80, isn_a=423_000, isn_b=923_000)
t1.a("S", options=syn_options(), at=0.05, advance=False)
bad_u2(1.00)
u(1, 1.70)
bad_u2(1.71)
echo(8, 2, 1.73)
t1.a("S", options=syn_options(), at=1.75, advance=False)
u(2, 2.30)
u(3, 2.32, v6=True)
cap.add(ipv4(A4, B4, 253, b"g1"), at=2.34, frm="a")
t1.a("S", options=syn_options(), at=2.35, advance=False)
u(1, 3.40)
echo(0, 2, 4.20, frm="b")
u(1, 5.80)
cap.write("table-expiry-timing.pcap")
