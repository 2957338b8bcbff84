"""FTP helper, IPv4: addresses and directions. A PORT/227 naming another
address, commands in the wrong direction, who may open the data connection,
two control connections asking for the same data port, and the master's RST.

Control 1 A = 192.0.2.1:40025 -> B = 198.51.100.2:21 (entry 1), C =
203.0.113.7 a third party. Default sysctls, nf_conntrack_ftp loose=0.

 f1-f6  handshake, "220", "USER", "331"
 f7  A "PORT 203,0,113,7,19,137" (C)        accepted, NO expectation (the address
                                            must be the sender's own with loose=0;
                                            nothing is logged)
 f9  B:20 -> C:5001 SYN                     NEW (entry 2)
 f10 A "PORT 198,51,100,2,19,138" (B)       no expectation either
 f12 B "PORT 192,0,2,1,19,139"              PORT from the server: not looked for in
                                            the reply direction, no expectation
 f13 A "227 Entering Passive Mode (198,51,100,2,19,140)."   227 from the client: the
                                            same, ignored
 f14 A "PORT 192,0,2,1,19,141"              EXP_NEW tcp 198.51.100.2:0 > 192.0.2.1:5005
 f16 C:20 -> A:5005 SYN                     NEW (entry 3): the source address is B's
 f17 B:20 -> A:5099 SYN                     NEW (entry 4): wrong port
 f18 A:5005 -> B:20 SYN                     NEW (entry 5): reversed direction
 f19 B:2020 -> A:5005 SYN                   RELATED (entry 6, master 1): the source port
                                            is a wildcard (sport=0 in the expectation)
 f20 SYN/ACK, f21 ACK                       ESTABLISHED/REPLY, then ESTABLISHED with
                                            [EXPECTED, SEEN_REPLY, ASSURED]
 f22 B:2021 -> A:5005 SYN                   NEW (entry 7): the expectation was used up
 f23-f28 control 2 A:40026 -> B:21 (entry 8): handshake, "220", "USER", "331"
 f29 control 1 "PORT 192,0,2,1,19,142"      EXP_NEW ... 192.0.2.1:5006 master 1
 f31 control 2 "PORT 192,0,2,1,19,142"      the same tuple for another master:
                                            DROP, "nf_ct_ftp: dropping packet: cannot
                                            add expectation" (-EBUSY)
 f32 control 2 "PORT 192,0,2,1,19,143" (same seq)   EXP_NEW ...:5007 master 8
 f34 control 1 RST                          CLOSE, timeout 10: the master lives on, and
                                            so does its expectation
 f35 B:20 -> A:5006 SYN                     RELATED (entry 9, master 1, whose state is
                                            CLOSE)
 f36 A -> B:2020 data on entry 6            ESTABLISHED/REPLY: a data connection does
                                            not depend on its master
Frames not listed are B's "200 ok" answers (ESTABLISHED/REPLY). At the end
expect.txt holds control 2's 5007 expectation. The expectation timeout
(5 * 60 s, ftp_exp_policy) has no sysctl or writable module parameter, so
expiry is not recorded here.
"""
from common import A4, B4, Capture
from common_helper import C4, Conn

cap = Capture()
c = Conn(cap, A4, B4, 40025, 21, isn_a=1_400_000, isn_b=2_400_000)
c.open()
c.b(b"220 ready\r\n")
c.a(b"USER anonymous\r\n")
c.b(b"331 password\r\n")
c.a(b"PORT 203,0,113,7,19,137\r\n")                 # third-party address
c.b(b"200 ok\r\n")
Conn(cap, B4, C4, 20, 5001, isn_a=100_000, isn_b=110_000).seg("a", "S")
c.a(b"PORT 198,51,100,2,19,138\r\n")                # the server's own address
c.b(b"200 ok\r\n")
c.b(b"PORT 192,0,2,1,19,139\r\n")                   # PORT from the server
c.a(b"227 Entering Passive Mode (198,51,100,2,19,140).\r\n")   # 227 from the client
c.a(b"PORT 192,0,2,1,19,141\r\n")                   # good: 5005
c.b(b"200 ok\r\n")
Conn(cap, C4, A4, 20, 5005, isn_a=120_000, isn_b=130_000).seg("a", "S")      # from C
Conn(cap, B4, A4, 20, 5099, isn_a=140_000, isn_b=150_000).seg("a", "S")      # wrong port
Conn(cap, A4, B4, 5005, 20, isn_a=160_000, isn_b=170_000).seg("a", "S")      # reversed
d = Conn(cap, B4, A4, 2020, 5005, isn_a=180_000, isn_b=190_000)              # B, not port 20
d.open()
Conn(cap, B4, A4, 2021, 5005, isn_a=200_000, isn_b=210_000).seg("a", "S")    # again
# a second control connection from A asks for the same data port
c2 = Conn(cap, A4, B4, 40026, 21, isn_a=1_500_000, isn_b=2_500_000)
c2.open()
c2.b(b"220 ready\r\n")
c2.a(b"USER anonymous\r\n")
c2.b(b"331 password\r\n")
c.a(b"PORT 192,0,2,1,19,142\r\n")                   # 5006 for control 1
c.b(b"200 ok\r\n")
s = c2.nxt["a"]
c2.a(b"PORT 192,0,2,1,19,142\r\n")                  # 5006 again, control 2
c2.a(b"PORT 192,0,2,1,19,143\r\n", seq=s)           # 5007 instead
c2.b(b"200 ok\r\n")
# control 1 is reset; its expectation, its data connection
c.rst("a")
Conn(cap, B4, A4, 20, 5006, isn_a=220_000, isn_b=230_000).seg("a", "S")
d.b(b"data after the master's RST\n")
cap.write("helper-ftp-v4-dataconn.pcap")
