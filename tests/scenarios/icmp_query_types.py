"""ICMP (IPv4) query/reply types, default sysctls.

The ICMP tuple is (type, code, id); the reply tuple swaps addresses and maps
the type 8<->0, 13<->14, 15<->16, 17<->18 keeping the code. A new entry can
only be created by 8, 13, 15, 17 (valid_new). Types > 18 are INVALID
"invalid icmp type"; a header shorter than 8 bytes is "short packet"; other
non-error types (9, 10, 1 ...) have no inverse, so no entry: INVALID without a
reason. A = 192.0.2.1, B = 198.51.100.2, R = 203.0.113.9.

 f1  A->B echo request id 0x0101 code 0          NEW, entry 1
 f2  B->A echo reply id 0x0101                   ESTABLISHED/REPLY, SEEN_REPLY
 f3  B->A the same reply again (duplicate)       ESTABLISHED/REPLY (entry kept)
 f4  A->B echo request seq 2, same id            ESTABLISHED/ORIGINAL
 f5  A->B echo request id 0x0102 code 5          NEW, entry 2 (type 8 code 5)
 f6  B->A echo reply id 0x0102 code 0            INVALID: code is in the tuple
 f7  B->A echo reply id 0x0102 code 5            ESTABLISHED/REPLY, entry 2
 f8  A->B echo request id 0x0102 code 0          NEW, entry 3 (differs by code)
 f9  B->A echo request id 0x0101 (B pings A with
     the id of entry 1)                          NEW, entry 4 (type 8 != reply type 0)
 f10 A->B timestamp request (13) id 0x0201       NEW, entry 5
 f11 B->A timestamp reply (14)                   ESTABLISHED/REPLY
 f12 A->B information request (15) id 0x0301    NEW, entry 6
 f13 B->A information reply (16)                 ESTABLISHED/REPLY
 f14 A->B address mask request (17) id 0x0401   NEW, entry 7
 f15 B->A address mask reply (18)                ESTABLISHED/REPLY
 f16 B->A echo reply id 0x0501, no request       INVALID (no reason logged)
 f17 B->A timestamp reply id 0x0502, no request  INVALID
 f18 R->A router advertisement (9)              INVALID (no inverse type)
 f19 A->R router solicitation (10)              INVALID
 f20 A->B type 42                                INVALID "invalid icmp type"
 f21 A->B type 19                                INVALID "invalid icmp type"
 f22 A->B type 1 (unassigned, <= 18)             INVALID (no reason)
 f23 A->B echo request, ICMP header 4 bytes      INVALID "short packet"
 f24 A->B echo request, ICMP header 6 bytes (id
     present, sequence missing)                  INVALID "short packet"
 f25 A->B echo id 0x0601                         NEW, entry 8
 f26 A->B echo id 0x0602 (same hosts)            NEW, entry 9
 f27 B->A echo reply id 0x0602                   ESTABLISHED/REPLY, entry 9
 f28 B->A echo reply id 0x0601                   ESTABLISHED/REPLY, entry 8
 f29 B->A echo reply id 0x0101, 4-byte header on
     the existing entry 1                        INVALID "short packet"
 f30 IPv6 packet carrying ICMP (next header 1)
     echo request                                INVALID (ICMP tracker refuses
                                                 non-IPv4), no entry
"""
from common import A4, B4, R4, A6, B6, Capture, ipv4, ipv6, icmp4

cap = Capture()
D = b"icmp-query-data!"


def a2b(msg, src=A4, dst=B4, frm="a"):
    cap.add(ipv4(src, dst, 1, msg), frm=frm)


def b2a(msg):
    a2b(msg, B4, A4, "b")


a2b(icmp4(8, 0, 0x0101, 1, D))              # f1
b2a(icmp4(0, 0, 0x0101, 1, D))              # f2
b2a(icmp4(0, 0, 0x0101, 1, D))              # f3
a2b(icmp4(8, 0, 0x0101, 2, D))              # f4
a2b(icmp4(8, 5, 0x0102, 1, D))              # f5
b2a(icmp4(0, 0, 0x0102, 1, D))              # f6
b2a(icmp4(0, 5, 0x0102, 1, D))              # f7
a2b(icmp4(8, 0, 0x0102, 1, D))              # f8
b2a(icmp4(8, 0, 0x0101, 1, D))              # f9
a2b(icmp4(13, 0, 0x0201, 1, bytes(12)))     # f10 originate/receive/transmit
b2a(icmp4(14, 0, 0x0201, 1, bytes(12)))     # f11
a2b(icmp4(15, 0, 0x0301, 1))                # f12
b2a(icmp4(16, 0, 0x0301, 1))                # f13
a2b(icmp4(17, 0, 0x0401, 1, bytes(4)))      # f14
b2a(icmp4(18, 0, 0x0401, 1, bytes.fromhex("ffffff00")))  # f15
b2a(icmp4(0, 0, 0x0501, 1, D))              # f16
b2a(icmp4(14, 0, 0x0502, 1, bytes(12)))     # f17
# router advertisement: 1 address, entry size 2, lifetime 1800; R4 pref 0
cap.add(ipv4(R4, A4, 1, icmp4(9, 0, rest=bytes.fromhex("01020708"),
                               data=bytes.fromhex("cb007109") + bytes(4))), frm="r")   # f18
cap.add(ipv4(A4, R4, 1, icmp4(10, 0, rest=bytes(4))), dst_mac="02:00:00:00:09:01")  # f19
a2b(icmp4(42, 0, 0x0701, 1, D))             # f20
a2b(icmp4(19, 0, 0x0702, 1, D))             # f21
a2b(icmp4(1, 0, 0x0703, 1, D))              # f22
a2b(icmp4(8, 0, 0x0704, 1)[:4])             # f23
a2b(icmp4(8, 0, 0x0705, 1)[:6])             # f24
a2b(icmp4(8, 0, 0x0601, 1, D))              # f25
a2b(icmp4(8, 0, 0x0602, 1, D))              # f26
b2a(icmp4(0, 0, 0x0602, 1, D))              # f27
b2a(icmp4(0, 0, 0x0601, 1, D))              # f28
b2a(icmp4(0, 0, 0x0101, 3)[:4])             # f29
cap.add(ipv6(A6, B6, 1, icmp4(8, 0, 0x0801, 1, D)))   # f30
cap.write("icmp-query-types.pcap")
