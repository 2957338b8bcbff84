"""Broken IPv6 headers, recorded with kernel-replay's defaults (no
--pad-truncated): what reaches conntrack at all?

br_validate_ipv6() drops, before any IP hook, a frame shorter than 40 bytes,
version != 6, a leading hop-by-hop header with bad TLVs or a misused jumbo
option (nf_ip6_check_hbh_len), and a payload length larger than the data;
otherwise it trims the packet to 40 + payload length. A payload length of 0
is not a jumbogram unless a jumbo option says so: the packet is cut to its
40-byte header. Hop limit, traffic class and flow label are not looked at.
Each anomaly uses a fresh tuple A:520xx -> B:8101 followed by a good packet.
A = 2001:db8::1, B = 2001:db8:1::2.

 f1  52001 payload length 40 > 21 bytes present     null (dropped before the IP hooks)
 f2  52001 good                                     NEW, entry 1
 f3  52002 payload length 21, 11 trailing bytes after it   NEW, entry 2 (trimmed)
 f4  52002 payload length 10 cuts the UDP datagram (UDP length 21)
                                                    INVALID "truncated/malformed packet"
 f5  52003 IPv6 header with version 4 (ethertype 0x86dd)   null
 f6  52003 a real IPv4 packet in ethertype 0x86dd   null
 f7  52003 good                                     NEW, entry 3
 f8  52004 payload length 0, next header UDP, 21 bytes of UDP present
                                                    INVALID (trimmed to the bare header:
                                                    no ports, no reason)
 f9  52004 payload length 0, hop-by-hop without a jumbo option + UDP: the
     bridge's PREROUTING check cuts it to 40 bytes (the HBH is gone); it
     reaches the IP PREROUTING hooks (no conntrack event: no entry is made)
     and then br_nf_forward_ip() validates it a second time, where
     nf_ip6_check_hbh_len() cannot pull the 8 HBH bytes: dropped before
     FORWARD, so ctstate null, verdict DROP (no verdict recorded). The same
     with --no-helpers (checked by hand): it is not the ip6tables rules.
 f10 52004 hop-by-hop with a jumbo option but payload length != 0   null
 f11 52004 good                                     NEW, entry 4
 f12 52005 pcap caplen < len: 44 of 74 bytes captured      null (truncated)
 f13 52005 a 30-byte frame (less than an IPv6 header)      null
 f14 52005 good                                     NEW, entry 5
 f15 52001 hop limit 0, traffic class 0xb8, flow label 0x12345   NEW, entry 1 (same entry)
 f16 B->A reply of 52001 with payload length 40 > data     null (no SEEN_REPLY)
 f17 B->A reply of 52001, good                      ESTABLISHED/REPLY, SEEN_REPLY
"""
import struct

from common import A4, B4, A6, B6, Capture, ipv4, ipv6, udp, ETH_IP6

cap = Capture()
PL = b"v6-anomaly-13"   # 13 bytes: UDP 21, packet 61


def seg(sport, frm="a"):
    src, dst, sp, dp = (A6, B6, sport, 8101) if frm == "a" else (B6, A6, 8101, sport)
    return udp(src, dst, sp, dp, PL)


def good(sport):
    cap.add(ipv6(A6, B6, 17, seg(sport)))


cap.add(ipv6(A6, B6, 17, seg(52001), plen=40))                    # f1
good(52001)                                                       # f2
cap.add(ipv6(A6, B6, 17, seg(52002)), pad=b"trailing!!!")         # f3
cap.add(ipv6(A6, B6, 17, seg(52002), plen=10))                    # f4
cap.add(ipv6(A6, B6, 17, seg(52003), version=4))                  # f5
cap.add(ipv4(A4, B4, 17, udp(A4, B4, 52003, 8101, PL)), ethertype=ETH_IP6)   # f6
good(52003)                                                       # f7
cap.add(ipv6(A6, B6, 17, seg(52004), plen=0))                     # f8
hbh = bytes([17, 0, 1, 4, 0, 0, 0, 0])                            # HBH, PadN only
cap.add(ipv6(A6, B6, 0, hbh + seg(52004), plen=0))                # f9
jumbo = bytes([17, 0, 0xC2, 4]) + struct.pack(">I", 8 + 21)       # jumbo option, len 29
cap.add(ipv6(A6, B6, 0, jumbo + seg(52004)))                      # f10
good(52004)                                                       # f11
# (a longer datagram than f14's, so that the captured 44 bytes differ from
# f14's first 44: kernel-replay matches frames to kernel records by prefix)
full = ipv6(A6, B6, 17, udp(A6, B6, 52005, 8101, PL * 2))
cap.add(full[:44], wirelen=14 + len(full))                        # f12
cap.add(full[:30])                                                # f13
good(52005)                                                       # f14
cap.add(ipv6(A6, B6, 17, seg(52001), hlim=0, tclass=0xb8, flow=0x12345))   # f15
cap.add(ipv6(B6, A6, 17, seg(52001, "b"), plen=40), frm="b")      # f16
cap.add(ipv6(B6, A6, 17, seg(52001, "b")), frm="b")               # f17
cap.write("ipv6-header-anomalies.pcap")
