"""SCTP CRC32c verification with nf_conntrack_checksum=1 (sctp_error():
checked in PREROUTING only when the skb's checksum is not already
validated: CHECKSUM_NONE, as for these injected frames). The CRC is checked
before anything else but the 12-byte header length; reason
"nf_ct_proto_132: nf_ct_sctp: bad CRC". A = 192.0.2.1:6001 (tag 0x0a0a1001),
B = 198.51.100.2:6001 (tag 0x0b0b1001); IPv6 A = 2001:db8::1,
B = 2001:db8:1::2 (:6002).

 f1  A INIT, CRC wrong (correct ^ 0x5a5a5a5a)   INVALID "bad CRC", no entry
 f2  A INIT, CRC zero                 INVALID "bad CRC" (no "no checksum" value)
 f3  A INIT, CRC stored big-endian    INVALID "bad CRC"
 f4  A INIT, CRC correct (stored least significant byte first, RFC 9260 app. A)
                                      NEW, CLOSED
 f5  B INIT_ACK, CRC wrong            INVALID "bad CRC"
 f6  B INIT_ACK, correct              ESTABLISHED/REPLY, COOKIE_WAIT
 f7  A COOKIE_ECHO, f8 B COOKIE_ACK   COOKIE_ECHOED, ESTABLISHED (ASSURED)
 f9  A DATA, CRC wrong                INVALID "bad CRC"
 f10 A DATA correct                   ESTABLISHED
 f11 A DATA, CRC wrong and wrong vtag INVALID "bad CRC" (CRC first, no tag reason)
 f12 A 8-byte SCTP header             INVALID "nf_ct_sctp: short packet" (before the CRC)
 f13 IPv6 A INIT, CRC wrong           INVALID "bad CRC"
 f14 IPv6 A INIT, correct             NEW, CLOSED
 f15 IPv6 B INIT_ACK, correct         ESTABLISHED/REPLY, COOKIE_WAIT
 f16 A DATA with CRC 0x00000001       INVALID "bad CRC"
"""
import struct

from common import A6, B6, Capture
from common_l4 import Sctp, c_init, c_data, sctp, crc32c, ip_packet

cap = Capture()
s = Sctp(cap, sport=6001, dport=6001, tag_a=0x0A0A1001, tag_b=0x0B0B1001)
s.init("a", csum="bad")
s.init("a", csum="zero")
raw = sctp(6001, 6001, 0, c_init(s.tag["a"], s.tsn["a"]), csum="zero")
s.send("a", c_init(s.tag["a"], s.tsn["a"]), vtag=0, csum=crc32c(raw))   # big-endian
s.init("a")
s.init_ack("b", csum="bad")
s.init_ack("b")
s.cookie_echo("a")
s.cookie_ack("b")
s.send("a", c_data(s.tsn["a"], b"bad crc"), csum="bad")
s.data("a", b"good crc")
s.send("a", c_data(s.tsn["a"], b"bad crc+vtag"), csum="bad", vtag=0x12345678)
cap.add(ip_packet(s.addr["a"], s.addr["b"], 132, sctp(6001, 6001, s.tag["b"])[:8]))
s6 = Sctp(cap, a=A6, b=B6, sport=6002, dport=6002, tag_a=0x0A0A1002, tag_b=0x0B0B1002)
s6.init("a", csum="bad")
s6.init("a")
s6.init_ack("b")
s.send("a", c_data(s.tsn["a"], b"adler"), csum=1)
cap.write("sctp-checksum-on.pcap")
