"""Protocols without a tracker of their own: the generic tracker.

The generic tuple is (addresses, protocol) only, nothing of the L4 header;
generic_packet() refreshes nf_conntrack_generic_timeout (recorded with 2 s,
600 s by default) and never sets ASSURED. This kernel (6.18) has no DCCP
tracker (CONFIG_NF_CT_PROTO_DCCP is gone and /proc/sys/net/netfilter has no
nf_conntrack_dccp_* entries), so DCCP is generic too. IPv6: the kernel skips
extension headers (hop-by-hop, routing, destination options, AH, fragment)
with ipv6_skip_exthdr() to find the protocol, so UDP behind AH is UDP; a
packet whose chain ends in No Next Header (59) has no protocol at all.
A = 192.0.2.1, B = 198.51.100.2; IPv6 A = 2001:db8::1, B = 2001:db8:1::2.

 f1  A->B IPv4 protocol 253                 NEW, entry 1 (unknown 253, timeout 2)
 f2  B->A protocol 253                      ESTABLISHED/REPLY, SEEN_REPLY
 f3  A->B protocol 253                      ESTABLISHED, SEEN_REPLY, never ASSURED
 f4  IPv6 A->B next header 253              NEW, entry 2
 f5  IPv6 B->A next header 253              ESTABLISHED/REPLY
 f6  A->B IPv4 AH (51) carrying UDP         NEW, entry 3: generic protocol 51 (IPv4 AH
                                            is not looked through)
 f7  B->A AH, other SPI                     ESTABLISHED/REPLY (SPI not in the tuple)
 f8  A->B IPv4 ESP (50) SPI 0x2000          NEW, entry 4
 f9  B->A ESP SPI 0x3000                    ESTABLISHED/REPLY
 f10 IPv6 A->B ESP                          NEW, entry 5
 f11 IPv6 A->B AH + UDP 48001->7701         NEW, entry 6: udp (AH skipped)
 f12 IPv6 B->A UDP 7701->48001 without AH   ESTABLISHED/REPLY, entry 6
 f13 A->B IPv4 protocol 0                   NEW, entry 7 (unknown 0)
 f14 IPv6 A->B next header 59 (no next header)        INVALID (no protocol found)
 f15 IPv6 A->B hop-by-hop, then 59                    INVALID
 f16 A->B DCCP (33) Request 48002->7702     NEW, entry 8, generic (no DCCP tracker)
 f17 B->A DCCP Response 7702->48002         ESTABLISHED/REPLY
 f18 A->B DCCP 48003->7703 (other ports)    ESTABLISHED, entry 8: ports not tracked
 f19 A->B IPv4 protocol 41 (6in4)           NEW, entry 9
 f20 A->B IPv4 protocol 4 (IPIP)            NEW, entry 10
 f21 IPv6 A->B next header 4 (IPv4 in IPv6) NEW, entry 11
 f22 A->B IPv4 protocol 255                 NEW, entry 12
 -- 2.5 s pause: every generic entry (timeout 2) expires --
 f23 A->B protocol 253                      NEW, entry 13 (entry 1 expired)
 f24 B->A IPv4 ESP                          NEW/ORIGINAL, entry 14 in B->A direction
                                            (entry 4 expired; no direction memory)
"""
import struct

from common import A4, B4, A6, B6, Capture, ipv4, ipv6, udp, ext_ah, ext_opts, esp

cap = Capture()


def v4(proto, payload, frm="a"):
    src, dst = (A4, B4) if frm == "a" else (B4, A4)
    cap.add(ipv4(src, dst, proto, payload), frm=frm)


def v6(nh, payload, frm="a"):
    src, dst = (A6, B6) if frm == "a" else (B6, A6)
    cap.add(ipv6(src, dst, nh, payload), frm=frm)


def dccp(sport, dport, typ, seq=1):
    """DCCP generic header with 48-bit sequence numbers (X=1), data offset 4
    (16 bytes, so the Request's service code fits), checksum 0."""
    b = struct.pack(">HHBBH", sport, dport, 4, 0, 0)
    b += bytes([(typ << 1) | 1, 0]) + seq.to_bytes(6, "big")
    return b + struct.pack(">I", 0x00000050)   # service code


v4(253, b"exp-253-a")                                            # f1
v4(253, b"exp-253-b", "b")                                       # f2
v4(253, b"exp-253-c")                                            # f3
v6(253, b"exp6-253-a")                                           # f4
v6(253, b"exp6-253-b", "b")                                      # f5
v4(51, ext_ah(17, spi=0x1001) + udp(A4, B4, 48010, 7710, b"behind ah"))          # f6
v4(51, ext_ah(17, spi=0x1002) + udp(B4, A4, 7710, 48010, b"behind ah"), "b")     # f7
v4(50, esp(0x2000))                                              # f8
v4(50, esp(0x3000), "b")                                         # f9
v6(50, esp(0x4000))                                              # f10
v6(51, ext_ah(17, spi=0x1003) + udp(A6, B6, 48001, 7701, b"udp behind ah"))      # f11
v6(17, udp(B6, A6, 7701, 48001, b"udp, no ah"), "b")             # f12
v4(0, b"protocol-zero")                                          # f13
v6(59, b"")                                                      # f14
v6(0, ext_opts(59))                                              # f15
v4(33, dccp(48002, 7702, 0))                                     # f16 Request
v4(33, dccp(7702, 48002, 1), "b")                                # f17 Response
v4(33, dccp(48003, 7703, 0))                                     # f18
v4(41, ipv6(A6, B6, 59, b""))                                    # f19
v4(4, ipv4("192.0.2.101", "198.51.100.102", 253, b"inner"))               # f20
v6(4, ipv4("192.0.2.101", "198.51.100.102", 253, b"inner"))               # f21
v4(255, b"reserved-255")                                         # f22
cap.wait(2.5)
v4(253, b"exp-253-d")                                            # f23
v4(50, esp(0x3000, seq=2), "b")                                  # f24
cap.write("generic-protocols.pcap")
