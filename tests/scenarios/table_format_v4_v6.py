"""One entry of every non-TCP line shape, so that table.txt
(/proc/net/nf_conntrack right after the last frame) shows how each protocol
and state is printed: udp, udplite, icmp, icmpv6, gre, generic ("unknown"),
in IPv4 and IPv6, unreplied ([UNREPLIED] after the original tuple), replied,
and ASSURED ([ASSURED] after the reply tuple). Default sysctls.
A = 192.0.2.1 / 2001:db8::1, B = 198.51.100.2 / 2001:db8:1::2.

 f1  UDP4 A:53001->B:9001          NEW, entry 1
 f2  UDP4 reply                    ESTABLISHED/REPLY, SEEN_REPLY
 f3  UDP4 A:53002->B:9002          NEW, entry 2 (stays unreplied)
 f4  UDP6 A:53003->B:9003          NEW, entry 3
 f5  UDP6 reply                    ESTABLISHED/REPLY
 f6  UDP6 A:53004->B:9004          NEW, entry 4 (unreplied)
 f7  ICMP echo id 0x1001           NEW, entry 5
 f8  ICMP echo reply               ESTABLISHED/REPLY
 f9  ICMP echo id 0x1002           NEW, entry 6 (unreplied)
 f10 ICMP timestamp id 0x1005      NEW, entry 7
 f11 ICMP timestamp reply          ESTABLISHED/REPLY
 f12 ICMPv6 echo id 0x1003         NEW, entry 8
 f13 ICMPv6 echo reply             ESTABLISHED/REPLY
 f14 ICMPv6 echo id 0x1004         NEW, entry 9 (unreplied)
 f15 ICMPv6 node information query NEW, entry 10 (unreplied)
 f16 IPv4 protocol 253             NEW, entry 11
 f17 IPv4 protocol 253 reply       ESTABLISHED/REPLY
 f18 IPv4 ESP                      NEW, entry 12 (unreplied)
 f19 IPv6 protocol 253             NEW, entry 13
 f20 IPv6 protocol 253 reply       ESTABLISHED/REPLY
 f21 GREv0 IPv4 A->B               NEW, entry 14
 f22 GREv0 IPv4 B->A               ESTABLISHED/REPLY
 f23 GREv0 IPv6 A->B               NEW, entry 15 (unreplied)
 f24 GREv1 (PPTP) call id 0xbeef   NEW, entry 16 (unreplied, no PPTP helper)
 f25 UDP-Lite IPv4 A:53005->B:9005 NEW, entry 17
 f26 UDP-Lite reply                ESTABLISHED/REPLY
 f27 UDP-Lite IPv4 A->B            ESTABLISHED, ASSURED (no 2 s rule)
 f28 UDP-Lite IPv6 A:53006->B:9006 NEW, entry 18 (unreplied)
 f29 GREv0 IPv4 A->B (t=2.6 s)     ESTABLISHED, ASSURED (gre stream timeout)
 f30 UDP4 A:53001->B:9001 (t=2.6 s) ESTABLISHED, ASSURED (2 s after creation)
"""
import struct

from common import A4, B4, A6, B6, Capture, ipv4, ipv6, udp, icmp4, icmp6

cap = Capture()


def v4(proto, payload, frm="a", **kw):
    src, dst = (A4, B4) if frm == "a" else (B4, A4)
    cap.add(ipv4(src, dst, proto, payload), frm=frm, **kw)


def v6(nh, payload, frm="a", **kw):
    src, dst = (A6, B6) if frm == "a" else (B6, A6)
    cap.add(ipv6(src, dst, nh, payload), frm=frm, **kw)


def u4(sp, dp, frm="a", proto=17, **kw):
    src, dst = (A4, B4) if frm == "a" else (B4, A4)
    v4(proto, udp(src, dst, sp, dp, b"table-format", proto=proto), frm, **kw)


def u6(sp, dp, frm="a", proto=17):
    src, dst = (A6, B6) if frm == "a" else (B6, A6)
    v6(proto, udp(src, dst, sp, dp, b"table-format", proto=proto), frm)


def e6(typ, ident, frm="a", rest=None, data=b"fmt"):
    src, dst = (A6, B6) if frm == "a" else (B6, A6)
    v6(58, icmp6(src, dst, typ, 0, ident, 1, data, rest=rest), frm)


GRE0_INNER = ipv4("192.0.2.201", "198.51.100.202", 253, b"inner")
gre0 = struct.pack(">HH", 0, 0x0800) + GRE0_INNER
gre1 = bytes.fromhex("3001880b0004beef00000001") + b"\xff\x03\xc0\x21"  # K+S, v1, PPP

u4(53001, 9001)                                  # f1
u4(9001, 53001, "b")                             # f2
u4(53002, 9002)                                  # f3
u6(53003, 9003)                                  # f4
u6(9003, 53003, "b")                             # f5
u6(53004, 9004)                                  # f6
v4(1, icmp4(8, 0, 0x1001, 1, b"fmt"))            # f7
v4(1, icmp4(0, 0, 0x1001, 1, b"fmt"), "b")       # f8
v4(1, icmp4(8, 0, 0x1002, 1, b"fmt"))            # f9
v4(1, icmp4(13, 0, 0x1005, 1, bytes(12)))        # f10
v4(1, icmp4(14, 0, 0x1005, 1, bytes(12)), "b")   # f11
e6(128, 0x1003)                                  # f12
e6(129, 0x1003, "b")                             # f13
e6(128, 0x1004)                                  # f14
e6(139, 0, rest=bytes.fromhex("00030000"), data=b"nonce-ni" + bytes(16))   # f15
v4(253, b"generic-v4")                           # f16
v4(253, b"generic-v4", "b")                      # f17
v4(50, struct.pack(">II", 0x6000, 1) + bytes(16))   # f18
v6(253, b"generic-v6")                           # f19
v6(253, b"generic-v6", "b")                      # f20
v4(47, gre0)                                     # f21
v4(47, gre0, "b")                                # f22
v6(47, struct.pack(">HH", 0, 0x86DD) + ipv6("2001:db8:9::1", "2001:db8:9::2", 59))  # f23
v4(47, gre1)                                     # f24
u4(53005, 9005, proto=136)                       # f25
u4(9005, 53005, "b", proto=136)                  # f26
u4(53005, 9005, proto=136)                       # f27
u6(53006, 9006, proto=136)                       # f28
v4(47, gre0, at=2.6)                             # f29
u4(53001, 9001)                                  # f30
cap.write("table-format-v4-v6.pcap")
