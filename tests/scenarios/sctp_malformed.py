"""SCTP: malformed packets and chunk bundling rules (do_basic_checks) on an
established association. A = 192.0.2.1:5801 (tag 0x0a0a0801), B =
198.51.100.2:5801 (tag 0x0b0b0801). Default sysctls (no CRC check).
do_basic_checks walks the chunks by their length fields (rounded up to 4),
reading only each 4-byte chunk header; it rejects a zero length, COOKIE_ECHO
/ COOKIE_ACK not first, and anything after INIT / INIT_ACK /
SHUTDOWN_COMPLETE, with the reason "do_basic_checks failed. chunk num N,
type T, len L flag F" where L is the raw big-endian length printed as a
little-endian number (28 -> 7168).

 f1-f4   handshake                          ... ESTABLISHED, ASSURED
 f5      A SCTP header of 8 bytes           INVALID "nf_ct_proto_132: nf_ct_sctp: short packet"
 f6      A SCTP header of 2 bytes           INVALID, no reason (no ports: no tuple)
 f7      A common header only, no chunk     INVALID, no reason
 f8      A DATA with chunk length 0         INVALID "do_basic_checks failed. chunk num 0,
                                            type 0, len 0 flag 0"
 f9      A DATA with chunk length 2         ESTABLISHED (only 0 is refused)
 f10     A DATA with length 1000 > packet   ESTABLISHED (lengths are not checked
                                            against the packet)
 f11     A DATA + 3 trailing bytes          ESTABLISHED (too short for a chunk header:
                                            the walk stops)
 f12     A DATA + INIT (vtag 0)             INVALID "... chunk num 1, type 1, len 7168 flag 1"
 f13     A INIT + DATA (vtag 0)             INVALID "... chunk num 1, type 0, len 4352 flag 1"
 f14     A DATA + COOKIE_ECHO               INVALID "... chunk num 1, type 10, len 9216 flag 0"
 f15     A COOKIE_ECHO + DATA               ESTABLISHED (COOKIE_ECHO first: allowed)
 f16     A DATA + SHUTDOWN_COMPLETE         INVALID "... chunk num 1, type 14, len 1024 flag 1"
 f17     B SACK + COOKIE_ACK                INVALID "... chunk num 1, type 11, len 1024 flag 0"
 f18     A DATA + SACK + DATA               ESTABLISHED
 f19     A DATA (odd length 19, padded) + SACK   ESTABLISHED
 f20     A DATA length 17 unpadded + SACK   INVALID "... chunk num 1, type 16, len 0 flag 0"
                                            (the walk lands at offset 20, inside the SACK)
 f21     A INIT_ACK with no init header     INVALID, no reason
 f22     A :5802 INIT with no init header (new tuple)   INVALID, no entry, no reason
 f23     A SACK + SHUTDOWN                  ESTABLISHED, SHUTDOWN_SENT, 3
"""
import struct

from common import Capture
from common_l4 import (Sctp, INIT, INIT_ACK, DATA, chunk, c_data, c_sack, c_init, c_cookie_echo,
                       c_cookie_ack, c_shutdown_complete, c_shutdown, sctp, ip_packet)

cap = Capture()
s = Sctp(cap, sport=5801, dport=5801, tag_a=0x0A0A0801, tag_b=0x0B0B0801)
s.handshake()
A, B = s.addr["a"], s.addr["b"]
full = sctp(5801, 5801, s.tag["b"])
cap.add(ip_packet(A, B, 132, full[:8]))                                   # f5
cap.add(ip_packet(A, B, 132, full[:2]))                                   # f6
s.send("a", b"")                                                          # f7
t = s.tsn["a"]
s.send("a", chunk(DATA, 3, struct.pack(">IHHI", t, 0, 0, 0) + b"len0", length=0))    # f8
s.send("a", chunk(DATA, 3, struct.pack(">IHHI", t, 0, 0, 0) + b"len2", length=2))    # f9
s.send("a", chunk(DATA, 3, struct.pack(">IHHI", t, 0, 0, 0) + b"long", length=1000))  # f10
s.send("a", c_data(t, b"trailer") + b"\x01\x02\x03")                        # f11
s.send("a", c_data(t, b"x") + c_init(0x0A0A0802, 1), vtag=0)             # f12
s.send("a", c_init(0x0A0A0802, 1) + c_data(t, b"x"), vtag=0)             # f13
s.send("a", c_data(t, b"x") + c_cookie_echo())                            # f14
s.send("a", c_cookie_echo() + c_data(t, b"x"))                            # f15
s.send("a", c_data(t, b"x") + c_shutdown_complete())                      # f16
s.send("b", c_sack(t) + c_cookie_ack())                                   # f17
s.send("a", c_data(t, b"1") + c_sack(s.tsn["b"] - 1) + c_data(t + 1, b"2"))   # f18
s.send("a", c_data(t, b"odd") + c_sack(s.tsn["b"] - 1))                   # f19 (19 bytes + pad)
s.send("a", chunk(DATA, 3, struct.pack(">IHHI", t, 0, 0, 0) + b"z", pad=False) + c_sack(1))  # f20
s.send("a", chunk(INIT_ACK))                                              # f21
Sctp(cap, sport=5802, dport=5802).send("a", chunk(INIT), vtag=0)          # f22
s.send("a", c_sack(s.tsn["b"] - 1) + c_shutdown(s.tsn["b"] - 1))          # f23
cap.write("sctp-malformed.pcap")
