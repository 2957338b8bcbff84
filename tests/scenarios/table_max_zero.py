"""nf_conntrack_max=0 means "no limit", not "no entries" (__nf_conntrack_alloc
tests `nf_conntrack_max && count > nf_conntrack_max`). Recorded with
--set nf_conntrack_max=0 (default buckets); sysctl.conf shows
nf_conntrack_max = 0.

A = 192.0.2.1, B = 198.51.100.2.
 f1-f20  t=0.00-0.19 UDP A:42101..42120 -> B:7921     NEW, entries 1-20
 f21-f23 t=0.20 TCP A:42201 -> B:80 handshake         entry 21, ASSURED
 f24     t=0.30 ICMP echo A -> B                      NEW, entry 22
 f25     t=0.31 protocol 253 A -> B                   NEW, entry 23
Final table: 23 entries.
"""
from scapy.all import IP, UDP, ICMP, Raw
from common import A4, B4, Capture, Tcp, syn_options, ipv4

cap = Capture()
for n in range(20):
    cap.add(IP(src=A4, dst=B4) / UDP(sport=42101 + n, dport=7921) / Raw(b"z"), at=0.01 * n, frm="a")
c = Tcp(cap, sport=42201, dport=80, isn_a=421_000, isn_b=921_000)
c.handshake(opts_a=syn_options(), opts_b=syn_options(), at=0.20)
cap.add(IP(src=A4, dst=B4) / ICMP(type=8, id=0x2101, seq=1) / Raw(b"ping"), at=0.30, frm="a")
cap.add(ipv4(A4, B4, 253, b"g"), at=0.31, frm="a")
cap.write("table-max-zero.pcap")
