"""TFTP helper (udp/69), IPv4 and IPv6. Every packet of the master is looked at
(any direction, also the first, NEW one); opcode 1 or 2 in the first two
payload bytes creates the expectation "server address, any port -> client
address and port" (nothing else of the request is checked). max_expected is
1, but one master can only ever ask for the same tuple, so a second request
replaces the expectation.

A = 192.0.2.1, B = 198.51.100.2 (server), C = 203.0.113.7; IPv6 A =
2001:db8::1, B = 2001:db8:1::2. Default sysctls.

 f1  A:40069 -> B:69 RRQ               NEW (entry 1, helper tftp); EXP_NEW udp
                                       198.51.100.2:0 > 192.0.2.1:40069 (the EXP_NEW event
                                       comes before the master's NEW event)
 f2  B:50001 -> A:40069 DATA 1         RELATED (entry 2, master 1), [EXPECTED]: the
                                       server may answer from any port
 f3  A -> B:50001 ACK 1                ESTABLISHED/REPLY (the master stays UNREPLIED)
 f4  A:40070 -> B:69 WRQ               NEW (entry 3); EXP_NEW ... > 192.0.2.1:40070
 f5  C:50002 -> A:40070 ACK 0          NEW (entry 4): another address is not expected
 f6  B:69 -> A:40070 ACK 0             ESTABLISHED/REPLY of the master (entry 3); the
                                       expectation stays
 f7  B:50003 -> A:40070 ACK 0          RELATED (entry 5, master 3)
 f8  A:40071 -> B:69, 1 byte           NEW, no expectation (no opcode)
 f9  A:40072 -> B:69, 00 01 only  NEW (entry 7); EXP_NEW ... > 192.0.2.1:40072
 f10 A:40073 -> B:69, no payload       NEW, no expectation
 f11-f15 A -> B:69 DATA, ACK, ERROR, opcode 6 (OACK), opcode 0x0101    NEW each, no
                                       expectation
 f16 A:40072 -> B:69 RRQ (second request on entry 7)   EXP_DESTROY + EXP_NEW of the
                                       same tuple
 f17 B:69 -> A:40072 RRQ (an RRQ from the server)      ESTABLISHED/REPLY; parsed as
                                       well: EXP_DESTROY + EXP_NEW again
 f18 [A]:40079 -> [B]:69 RRQ (IPv6)    NEW (entry 14); EXP_NEW udp 2001:db8:1::2:0 >
                                       2001:db8::1:40079
 f19 [B]:50004 -> [A]:40079 DATA 1     RELATED (entry 15, master 14)
 f20 [A] -> [B]:50004 ACK 1            ESTABLISHED/REPLY
 f21 B:50005 -> A:40069 DATA 2         NEW (entry 16): f2 used the expectation up
 f22 [A]:40080 -> [B]:69 WRQ           NEW; EXP_NEW, left at the end
At the end expect.txt has two lines, e.g. "299 l3proto = 2 proto=17
src=198.51.100.2 dst=192.0.2.1 sport=0 dport=40072 tftp" (timeout 5 * 60 s,
not configurable).
"""
from common import A4, A6, B4, B6, Capture
from common_helper import (C4, Udp, tftp_ack, tftp_data, tftp_error, tftp_rrq, tftp_wrq,
                           udp_pkt)

cap = Capture()
m1 = Udp(cap, A4, B4, 40069, 69)
m1.a(tftp_rrq())                                             # RRQ
udp_pkt(cap, B4, A4, 50001, 40069, tftp_data(1))              # reply from another server port
udp_pkt(cap, A4, B4, 40069, 50001, tftp_ack(1))
m2 = Udp(cap, A4, B4, 40070, 69)
m2.a(tftp_wrq())                                             # WRQ
udp_pkt(cap, C4, A4, 50002, 40070, tftp_ack(0))               # from another address
m2.b(tftp_ack(0))                                            # from port 69 itself
udp_pkt(cap, B4, A4, 50003, 40070, tftp_ack(0))               # from another server port
Udp(cap, A4, B4, 40071, 69).a(b"\x00")                       # 1 byte
m4 = Udp(cap, A4, B4, 40072, 69)
m4.a(b"\x00\x01")                                            # opcode only
Udp(cap, A4, B4, 40073, 69).a(b"")                           # no payload
Udp(cap, A4, B4, 40074, 69).a(tftp_data(1))                  # DATA to port 69
Udp(cap, A4, B4, 40075, 69).a(tftp_ack(1))                   # ACK
Udp(cap, A4, B4, 40076, 69).a(tftp_error())                  # ERROR
Udp(cap, A4, B4, 40077, 69).a(b"\x00\x06blksize\x00512\x00")  # OACK (6)
Udp(cap, A4, B4, 40078, 69).a(b"\x01\x01boot\x00octet\x00")  # opcode 0x0101
m4.a(tftp_rrq())                                             # second RRQ, same master
m4.b(tftp_rrq(b"reverse"))                                   # an RRQ from the server
m6 = Udp(cap, A6, B6, 40079, 69)
m6.a(tftp_rrq())                                             # IPv6 RRQ
udp_pkt(cap, B6, A6, 50004, 40079, tftp_data(1))
udp_pkt(cap, A6, B6, 40079, 50004, tftp_ack(1))
udp_pkt(cap, B4, A4, 50005, 40069, tftp_data(2))              # after the expectation was used
Udp(cap, A6, B6, 40080, 69).a(tftp_wrq())                    # IPv6 WRQ, left expected
cap.write("helper-tftp.pcap")
