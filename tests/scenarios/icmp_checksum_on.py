"""ICMP / ICMPv6 checksum verification with nf_conntrack_checksum=1.

icmp_error() verifies the ICMP checksum before anything else but the
8-byte header check ("bad hw icmp checksum"); icmpv6_error() likewise
("ICMPv6 checksum failed"), and does so before deciding that neighbour
discovery is UNTRACKED. ICMP has no "no checksum" value: 0 is just wrong.
A = 192.0.2.1, B = 198.51.100.2; IPv6 A = 2001:db8::1, B = 2001:db8:1::2.

 f1  A->B echo id 0x0b01, bad checksum        INVALID "bad hw icmp checksum"
 f2  A->B the same, good checksum             NEW, entry 1
 f3  B->A echo reply, bad checksum            INVALID
 f4  B->A echo reply, good                    ESTABLISHED/REPLY, SEEN_REPLY
 f5  A->B echo seq 2, checksum 0              INVALID "bad hw icmp checksum"
 f6  A:46001->B:7501 UDP (good checksum)      NEW, entry 2
 f7  B->A port unreachable quoting f6, bad ICMP checksum
                                              INVALID "bad hw icmp checksum"
 f8  the same with a good checksum            RELATED/REPLY, entry 2
 f9  IPv6 A->B echo id 0x0b02, bad checksum   INVALID "ICMPv6 checksum failed"
 f10 IPv6 A->B the same, good                 NEW, entry 3
 f11 IPv6 B->A echo reply, bad                INVALID
 f12 IPv6 B->A echo reply, good               ESTABLISHED/REPLY
 f13 IPv6 neighbour solicitation, bad checksum  INVALID (checked before UNTRACKED)
 f14 the same, good checksum                  UNTRACKED
 f15 IPv6 A->B echo seq 2, checksum 0         INVALID "ICMPv6 checksum failed"
"""
from common import (A4, B4, A6, B6, LL_A, LL_B, MAC_A, Capture, ipv4, ipv6, icmp4, icmp6,
                    udp, addr_bytes)

cap = Capture()
D = b"checksummed-icmp"


def v4(msg, frm="a"):
    src, dst = (A4, B4) if frm == "a" else (B4, A4)
    cap.add(ipv4(src, dst, 1, msg), frm=frm)


def v6(typ, ident, seq, frm="a", csum="auto"):
    src, dst = (A6, B6) if frm == "a" else (B6, A6)
    cap.add(ipv6(src, dst, 58, icmp6(src, dst, typ, 0, ident, seq, D, csum=csum)), frm=frm)


v4(icmp4(8, 0, 0x0b01, 1, D, csum="bad"))                 # f1
v4(icmp4(8, 0, 0x0b01, 1, D))                             # f2
v4(icmp4(0, 0, 0x0b01, 1, D, csum="bad"), "b")            # f3
v4(icmp4(0, 0, 0x0b01, 1, D), "b")                        # f4
v4(icmp4(8, 0, 0x0b01, 2, D, csum="zero"))                # f5
udp_pkt = ipv4(A4, B4, 17, udp(A4, B4, 46001, 7501, b"is anyone there?"))
cap.add(udp_pkt)                                          # f6
quote = udp_pkt[:28]
v4(icmp4(3, 3, rest=bytes(4), data=quote, csum="bad"), "b")   # f7
v4(icmp4(3, 3, rest=bytes(4), data=quote), "b")               # f8
v6(128, 0x0b02, 1, csum="bad")                            # f9
v6(128, 0x0b02, 1)                                        # f10
v6(129, 0x0b02, 1, "b", csum="bad")                       # f11
v6(129, 0x0b02, 1, "b")                                   # f12
sol = "ff02::1:ff00:b"
ns_opt = bytes([1, 1]) + bytes.fromhex(MAC_A.replace(":", ""))
for c in ("bad", "auto"):                                 # f13, f14
    cap.add(ipv6(LL_A, sol, 58, icmp6(LL_A, sol, 135, 0, rest=bytes(4),
                                      data=addr_bytes(LL_B) + ns_opt, csum=c), hlim=255),
            dst_mac="33:33:ff:00:00:0b")
v6(128, 0x0b02, 2, csum="zero")                           # f15
cap.write("icmp-checksum-on.pcap")
