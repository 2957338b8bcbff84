"""UDP and ICMP behind IPv4 options (default sysctls).

The bridge's IPv4 checks (br_validate_ipv4) look at version, ihl, header
checksum and total length but do not parse options ("We should really parse
IP options here..."), and conntrack just starts the L4 header at ihl*4. So
options, even malformed ones the IP stack would refuse, change nothing; the
tuple does not contain them. Header checksums are correct everywhere.
A = 192.0.2.1, B = 198.51.100.2, R = 203.0.113.9.

 UDP A:50001 -> B:7901:
 f1  4 x NOP (ihl 6)                                   NEW, entry 1
 f2  B->A reply without options                        ESTABLISHED/REPLY, SEEN_REPLY
 f3  record route (7), 2 slots                         ESTABLISHED
 f4  timestamp (68), 2 slots                           ESTABLISHED
 f5  router alert (148)                                ESTABLISHED
 f6  ihl 15: record route with 9 slots (40 option bytes)   ESTABLISHED
 f7  malformed: option length 0                        ESTABLISHED (not parsed)
 f8  malformed: option length 30 > 8 option bytes      ESTABLISHED (not parsed)
 f9  strict source route (137) via R                   ESTABLISHED (not acted upon)
 f10 loose source route (131) via R                    ESTABLISHED
 f11 options, then only 4 bytes of UDP                 INVALID "short packet"
 f12 ihl 15 and total length 60: options, no UDP at all    INVALID (no tuple)
 ICMP echo id 0x0e01:
 f13 A->B echo request with record route               NEW, entry 2
 f14 B->A echo reply with record route                 ESTABLISHED/REPLY
 f15 B->A port unreachable, outer header with router alert, quoting
     A:50001->B:7901 whose quoted header has NOP options (ihl 6)
                                                       RELATED/REPLY, entry 1
 f16 A->B echo request with timestamp option           ESTABLISHED, entry 2
"""
from common import A4, B4, R4, Capture, ipv4, udp, icmp4, addr_bytes

cap = Capture()
NOPS = b"\x01" * 4
RR2 = bytes([7, 11, 4]) + bytes(8)                    # + EOL pad
TS2 = bytes([68, 12, 5, 0]) + bytes(8)
RA = bytes([148, 4, 0, 0])
RR9 = bytes([7, 39, 4]) + bytes(36)                   # + 1 EOL = 40
BAD0 = bytes([7, 0, 4, 0])
BAD30 = bytes([68, 30, 5, 0]) + bytes(4)
SSRR = bytes([137, 7, 4]) + addr_bytes(R4) + b"\x01"
LSRR = bytes([131, 7, 4]) + addr_bytes(R4) + b"\x01"


def u(opts, frm="a", cut=None):
    src, dst, sp, dp = (A4, B4, 50001, 7901) if frm == "a" else (B4, A4, 7901, 50001)
    seg = udp(src, dst, sp, dp, b"ip-options")
    if cut is not None:
        seg = seg[:cut]
    cap.add(ipv4(src, dst, 17, seg, options=opts), frm=frm)


u(NOPS)              # f1
u(b"", "b")          # f2
u(RR2)               # f3
u(TS2)               # f4
u(RA)                # f5
u(RR9)               # f6
u(BAD0)              # f7
u(BAD30)             # f8
u(SSRR)              # f9
u(LSRR)              # f10
u(NOPS, cut=4)       # f11
cap.add(ipv4(A4, B4, 17, b"", options=RR9))            # f12
cap.add(ipv4(A4, B4, 1, icmp4(8, 0, 0x0e01, 1, b"rr-ping"), options=RR2))               # f13
cap.add(ipv4(B4, A4, 1, icmp4(0, 0, 0x0e01, 1, b"rr-ping"), options=RR2), frm="b")      # f14
orig = ipv4(A4, B4, 17, udp(A4, B4, 50001, 7901, b"ip-options"), options=NOPS)
cap.add(ipv4(B4, A4, 1, icmp4(3, 3, rest=bytes(4), data=orig[:24 + 8]), options=RA), frm="b")  # f15
cap.add(ipv4(A4, B4, 1, icmp4(8, 0, 0x0e01, 2, b"ts-ping"), options=TS2))               # f16
cap.write("ipv4-options.pcap")
