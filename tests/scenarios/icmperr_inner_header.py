"""ICMP errors (IPv4) whose quoted IPv4 header is odd. conntrack reads the
quoted addresses at fixed offsets 12..19, the protocol at 9, and the ports
at ihl*4 (ipv4_get_l4proto: only "ihl*4 beyond the packet" is refused),
never checking ihl >= 5, the version, the total length or the checksum; a
quote with a non-zero fragment offset is refused (INVALID, no reason).
A = 192.0.2.1, B = 198.51.100.2. Errors are B -> A port unreachable.
Default sysctls.

 f1  UDP A:45001 -> B:53           NEW entry 1
 f2  UDP A:50739 -> B:25602        NEW entry 2 (50739.25602 = 0xc633.0x6402 = the
                                   bytes of B's address 198.51.100.2)
 f3  UDP A:16384 -> B:28           NEW entry 3 (0x4000 = the first two bytes of an
                                   IPv4 header with ihl 0 and tos 0; 28 = its tot_len)
 quotes of A:45001 -> B:53 (IP header + 8 bytes) with:
 f4  4 NOP options (ihl 6)         RELATED/REPLY, entry 1
 f5  ihl 4                         RELATED/REPLY, entry 2 (!): ports read at offset 16
 f6  ihl 0, tot_len 28             RELATED/REPLY, entry 3 (!): ports read at offset 0
 f7  ihl 15 but only 28 bytes      INVALID (ports beyond the quote)
 f8  ihl 15 with 40 bytes of options, then the UDP header   RELATED/REPLY, entry 1
 f9  MF set, offset 0              RELATED/REPLY, entry 1 (first fragment is fine)
 f10 offset 8 (x8 bytes), MF set   INVALID
 f11 offset 1, DF set              INVALID
 f12 version nibble 6 (0x65)       RELATED/REPLY (entry 1; kernel-replay cannot name
                                   it: it parses the quote as IPv6)
 f13 tot_len 1000, bad header checksum, TTL 0   RELATED/REPLY, entry 1
 f14 reserved flag (0x8000) set    RELATED/REPLY, entry 1
 f15 protocol 6 (TCP), same ports  INVALID (no TCP entry)
"""
import struct

from common import A4, B4, Capture, ipv4, udp
from common_l4 import Sender

cap = Capture()
n = Sender(cap)
q = ipv4(A4, B4, 17, udp(A4, B4, 45001, 53, b"inner-header"))
cap.add(q)
n.v4(A4, B4, 17, udp(A4, B4, 50739, 25602, b"magic ports 1"))
n.v4(A4, B4, 17, udp(A4, B4, 16384, 28, b"magic ports 2"))
u8 = udp(A4, B4, 45001, 53, b"inner-header")[:8]


def quote(**kw):
    return ipv4(A4, B4, kw.pop("proto", 17), u8, **kw)


def err(quoted):
    n.err4(B4, A4, 3, 3, quoted)


err(quote(options=b"\x01" * 4))                         # f4
h = bytearray(quote()); h[0] = 0x44; err(bytes(h))      # f5
h = bytearray(quote()); h[0] = 0x40; err(bytes(h))      # f6 (tot_len is 28 already)
h = bytearray(quote()); h[0] = 0x4F; err(bytes(h))      # f7
err(quote(options=b"\x01" * 40))                        # f8
err(quote(flags_frag=0x2000))                           # f9
err(quote(flags_frag=0x2008))                           # f10
err(quote(flags_frag=0x4001))                           # f11
h = bytearray(quote()); h[0] = 0x65; err(bytes(h))      # f12
err(quote(tot_len=1000, csum=0xBEEF, ttl=0))            # f13
err(quote(flags_frag=0x8000))                           # f14
err(quote(proto=6))                                     # f15
cap.write("icmperr-inner-header.pcap")
