"""Fragments whose reassembled datagram conntrack finds INVALID (IPv4, IPv6).

Defrag does not look at the transport header: every datagram below reassembles
fine, and conntrack then judges the whole datagram on the fragment that
completed it (the earlier fragments are "completed by" it and share its
verdict: ACCEPT, INVALID packets are not dropped without rules). Reasons are
the L4 trackers' usual nf_log messages. Each datagram in 2 fragments cut at 16 (TCP: at 24, so that an IPv6 first
fragment holds the whole 20-byte TCP header).

 IPv4 A4 192.0.2.1 -> B4 198.51.100.2
 f1, f2   UDP length field 200, 48 bytes of UDP      f2 INVALID "truncated/malformed packet"
 f3, f4   UDP length field 4                         f4 INVALID "truncated/malformed packet"
 f5, f6   UDP length field 20 < 48 bytes              f6 NEW (a shorter UDP length is fine)
 f7, f8   TCP SYN+FIN                                 f8 INVALID "invalid tcp flag combination"
 f9, f10  TCP data offset 15 (60-byte header) in a 40-byte segment
                                                      f10 INVALID "truncated packet"
 f11, f12 ICMP type 42                                f12 INVALID "invalid icmp type"
 IPv6 A6 2001:db8::1 -> B6 2001:db8:1::2: the same six, f13-f24 (ICMPv6 type 200 in
 place of ICMP 42: INVALID without reason)
"""
from common import A4, B4, A6, B6, Capture, udp, tcp, icmp4, icmp6
from common_frag import send4, send6, pattern

cap = Capture()
for fam in (4, 6):
    src, dst = (A4, B4) if fam == 4 else (A6, B6)
    send = send4 if fam == 4 else send6
    base = 0x1b00 if fam == 4 else 0x6b00
    sp = 41400 if fam == 4 else 41410
    dgs = [
        (17, udp(src, dst, sp + 1, 5420, pattern(40), length=200)),
        (17, udp(src, dst, sp + 2, 5420, pattern(40), length=4)),
        (17, udp(src, dst, sp + 3, 5420, pattern(40), length=20)),
        (6, tcp(src, dst, sp + 4, 80, 100, 0, "SF", data=pattern(20))),
        (6, tcp(src, dst, sp + 5, 80, 100, 0, "S", data=pattern(20), doff=15)),
        ((1, icmp4(42, 0, 0x0c01, 1, pattern(24))) if fam == 4 else
         (58, icmp6(src, dst, 200, 0, 0x0c01, 1, pattern(24)))),
    ]
    for k, (proto, seg) in enumerate(dgs, start=1):
        send(cap, src, dst, proto, seg, (24,) if proto == 6 else (16,), base + k, gap=0.01)

cap.write("frag-invalid-reassembled.pcap")
