"""Broken IPv4 headers, recorded with kernel-replay's defaults (no
--fix-ip-checksum, no --pad-truncated): what reaches conntrack at all?

br_validate_ipv4() drops, before any IP hook, a packet with ihl < 5,
version != 4, a header longer than the data, a bad header checksum, a total
length larger than the data or smaller than ihl*4; otherwise it trims the
packet to its total length (Ethernet padding / trailing bytes removed) before
conntrack. TTL and the reserved flag are not looked at. Each anomaly uses a
fresh UDP tuple A:510xx -> B:8001 and is followed by a good packet of the
same tuple: NEW with a new entry shows the bad one left nothing.
A = 192.0.2.1, B = 198.51.100.2.

 f1  51001 bad header checksum                       null (dropped before the IP hooks)
 f2  51001 good                                      NEW, entry 1
 f3  51002 pcap caplen < len: 24 of 41 IP bytes captured      null (truncated)
 f4  51002 good                                      NEW, entry 2
 f5  51003 total length 60 > 41 bytes present (caplen = len)  null
 f6  51003 good                                      NEW, entry 3
 f7  51004 total length 33 < frame: 16 bytes of Ethernet padding after it
                                                     NEW, entry 4 (trimmed)
 f8  51004 total length 30 cuts the UDP datagram (UDP length 13, 2 of the 5
     payload bytes inside the total length, the rest after it)
                                                     INVALID "truncated/malformed packet"
                                                     (trimmed before conntrack)
 f9  51005 total length 16 < ihl*4                   null
 f10 51005 good                                      NEW, entry 5
 f11 51006 total length 0                            null
 f12 51006 ihl 4                                     null
 f13 51006 ihl 15 but only a 20-byte header and 13 bytes of data   null
 f14 51006 good                                      NEW, entry 6
 f15 51007 IPv4 header with version 6 (ethertype 0x0800)   null
 f16 51007 a real IPv6 packet in ethertype 0x0800    null
 f17 51007 good                                      NEW, entry 7
 f18 51008 TTL 0                                     NEW, entry 8
 f19 51008 TTL 1                                     NEW, entry 8
 f20 B->A reply of 51008 with a bad header checksum  null (no SEEN_REPLY)
 f21 B->A reply of 51008, TTL 0, good checksum       ESTABLISHED/REPLY, SEEN_REPLY
 f22 51009 reserved ("evil") flag bit set            NEW, entry 9
 f23 51010 pcap caplen < len, but only Ethernet padding is missing (the
     whole IP packet is in the capture)              NEW, entry 10
"""
from common import A4, B4, A6, B6, Capture, ipv4, ipv6, udp, ETH_IP

cap = Capture()
PL = b"anomaly"   # 7 bytes: IP total length 35


def seg(sport, payload=PL, frm="a"):
    src, dst, sp, dp = (A4, B4, sport, 8001) if frm == "a" else (B4, A4, 8001, sport)
    return udp(src, dst, sp, dp, payload)


def good(sport):
    cap.add(ipv4(A4, B4, 17, seg(sport)))


cap.add(ipv4(A4, B4, 17, seg(51001), csum=0xdead))                    # f1
good(51001)                                                           # f2
full = ipv4(A4, B4, 17, seg(51002, b"x" * 13))                        # 41 bytes
cap.add(full[:24], wirelen=14 + len(full))                            # f3
good(51002)                                                           # f4
cap.add(ipv4(A4, B4, 17, seg(51003, b"x" * 13), tot_len=60))          # f5
good(51003)                                                           # f6
p = ipv4(A4, B4, 17, seg(51004, b"12345"))                            # 33 bytes
cap.add(p, pad=bytes(16))                                             # f7
cap.add(ipv4(A4, B4, 17, seg(51004, b"12345"), tot_len=30))           # f8
cap.add(ipv4(A4, B4, 17, seg(51005), tot_len=16))                     # f9
good(51005)                                                           # f10
cap.add(ipv4(A4, B4, 17, seg(51006), tot_len=0))                      # f11
cap.add(ipv4(A4, B4, 17, seg(51006), ihl=4))                          # f12
cap.add(ipv4(A4, B4, 17, seg(51006)[:13], ihl=15, tot_len=33))        # f13
good(51006)                                                           # f14
cap.add(ipv4(A4, B4, 17, seg(51007), version=6))                      # f15
cap.add(ipv6(A6, B6, 17, udp(A6, B6, 51007, 8001, PL)), ethertype=ETH_IP)   # f16
good(51007)                                                           # f17
cap.add(ipv4(A4, B4, 17, seg(51008), ttl=0))                          # f18
cap.add(ipv4(A4, B4, 17, seg(51008), ttl=1))                          # f19
cap.add(ipv4(B4, A4, 17, seg(51008, frm="b"), csum=0xbeef), frm="b")  # f20
cap.add(ipv4(B4, A4, 17, seg(51008, frm="b"), ttl=0), frm="b")        # f21
cap.add(ipv4(A4, B4, 17, seg(51009), flags_frag=0x8000))              # f22
p = ipv4(A4, B4, 17, seg(51010, b"1234"))                             # 32 bytes; 60-byte frame
cap.add(p, pad=bytes(60 - 14 - len(p))[:4], wirelen=60)               # f23
cap.write("ipv4-header-anomalies.pcap")
