"""8-byte fragments, IPv4 and IPv6 (default sysctls).

Every piece is 8 bytes (the smallest non-final fragment), the last one may be
shorter. Neither defrag limits the number of fragments nor cares what the
first fragment holds (IPv4: not at all; IPv6: the first fragment must hold
the whole upper-layer header, which for UDP / ICMPv6 is exactly 8 bytes).
Conntrack sees only the reassembled datagram.

 v4 (A 192.0.2.1 -> B 198.51.100.2)
 f1-f7   UDP A:40401 -> B:5320, 56 bytes in 7 x 8, in order, id 0x1201   f7 NEW (entry 1)
 f8-f12  TCP SYN A:40402 -> B:80 (40-byte header) in 5 x 8: the first fragment
         holds only the ports and the sequence number            f12 NEW SYN_SENT (entry 2)
 f13-f19 UDP A:40403 -> B:5320 in 7 x 8, order 7,1,5,3,2,6,4      f19 NEW (entry 3)
 f20-f24 ICMP echo id 0x0b01, 33 bytes: 4 x 8 + a 1-byte last fragment
                                                                  f24 NEW (entry 4)
 v6 (A 2001:db8::1 -> B 2001:db8:1::2)
 f25-f31 UDP A:40404 -> B:5320 in 7 x 8, in order, id 0x6201      f31 NEW (entry 5)
 f32-f38 UDP A:40405 -> B:5320 in 7 x 8, order 7,1,5,3,2,6,4      f38 NEW (entry 6)
 f39-f43 ICMPv6 echo id 0x0b02, 33 bytes: 4 x 8 + 1               f43 NEW (entry 7)
 f44-f45 B -> A ICMPv6 echo reply, 33 bytes in 8 + 25             f45 ESTABLISHED/REPLY
"""
from common import A4, B4, A6, B6, Capture, udp, tcp, icmp4, icmp6, syn_options
from common_frag import send4, send6, pattern

cap = Capture()
E7 = (8,) * 6
SHUF = [7, 1, 5, 3, 2, 6, 4]

send4(cap, A4, B4, 17, udp(A4, B4, 40401, 5320, pattern(48)), E7, 0x1201)
send4(cap, A4, B4, 6, tcp(A4, B4, 40402, 80, 7000, 0, "S", options=syn_options(ts=5)),
      (8,) * 4, 0x1202, gap=0.01)
send4(cap, A4, B4, 17, udp(A4, B4, 40403, 5320, pattern(48, 1)), E7, 0x1203, SHUF, gap=0.01)
send4(cap, A4, B4, 1, icmp4(8, 0, 0x0b01, 1, pattern(25, 2)), (8,) * 4, 0x1204, gap=0.01)

send6(cap, A6, B6, 17, udp(A6, B6, 40404, 5320, pattern(48)), E7, 0x6201, gap=0.01)
send6(cap, A6, B6, 17, udp(A6, B6, 40405, 5320, pattern(48, 1)), E7, 0x6202, SHUF, gap=0.01)
send6(cap, A6, B6, 58, icmp6(A6, B6, 128, 0, 0x0b02, 1, pattern(25, 2)), (8,) * 4, 0x6203,
      gap=0.01)
send6(cap, B6, A6, 58, icmp6(B6, A6, 129, 0, 0x0b02, 1, pattern(25, 2)), (8,), 0x7203,
      frm="b", gap=0.01)

cap.write("frag-tiny.pcap")
