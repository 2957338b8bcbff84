"""FTP helper, IPv4: the four commands it parses (PORT, EPRT from the client;
227, 229 from the server), each used by a data connection, and the rule that
the first data segment of each direction is never parsed.

Control A = 192.0.2.1:40021 -> B = 198.51.100.2:21 (ftp helper, loose=0).
Data connections are SYN + SYN/ACK. Default sysctls.

 f1-f3  control handshake                  NEW, ESTABLISHED, entry 1 (helper ftp)
 f4  B "220 ready"                         ESTABLISHED/REPLY (first reply segment)
 f5  A "PORT 192,0,2,1,19,137" (5001)      no expectation: the client's FIRST data
                                           segment is never parsed (seq_aft_nl is
                                           empty until a segment ending in LF)
 f6  B "200 ok"
 f7  A "PORT 192,0,2,1,19,138" (5002)      EXP_NEW tcp 198.51.100.2:0 > 192.0.2.1:5002
 f8  B "200 ok"
 f9  B:20 -> A:5001 SYN                    NEW, entry 2 (nothing expected 5001)
 f10 A:5001 SYN/ACK                        ESTABLISHED/REPLY
 f11 B:20 -> A:5002 SYN                    RELATED, status [EXPECTED], master 1, no
                                           helper; EXP_DESTROY then NEW 3 SYN_SENT
 f12 A:5002 SYN/ACK                        ESTABLISHED/REPLY [EXPECTED, SEEN_REPLY]
 f13 A "EPRT |1|192.0.2.1|5003|"           EXP_NEW 198.51.100.2:0 > 192.0.2.1:5003
 f14 B "200 ok"
 f15 B:20 -> A:5003 SYN, f16 SYN/ACK       RELATED (entry 4, master 1), ESTABLISHED/REPLY
 f17 A "PASV"
 f18 B "227 Entering Passive Mode (198,51,100,2,19,140)."
                                           EXP_NEW 192.0.2.1:0 > 198.51.100.2:5004
                                           (source = the client, any port)
 f19 A:40100 -> B:5004 SYN, f20 SYN/ACK    RELATED (entry 5), ESTABLISHED/REPLY
 f21 A "EPSV"
 f22 B "229 Entering Extended Passive Mode (|||5005|)"
                                           EXP_NEW 192.0.2.1:0 > 198.51.100.2:5005
 f23 A:40101 -> B:5005 SYN, f24 SYN/ACK    RELATED (entry 6), ESTABLISHED/REPLY
 f25 A "PASV"
 f26 B "227 ... (198,51,100,2,19,142)."    EXP_NEW 192.0.2.1:0 > 198.51.100.2:5006, still
                                           there at the end: expect.txt
                                           "299 l3proto = 2 proto=6 src=192.0.2.1
                                           dst=198.51.100.2 sport=0 dport=5006 ftp"
Every data connection's first packet is RELATED/ORIGINAL and consumes its
expectation (EXP_DESTROY comes before the NEW event); table.txt shows the
expected connections as ordinary lines (no EXPECTED mark, no helper). The
control entry shows 300 s (nf_conntrack_tcp_timeout_unacknowledged: the last
segment was not acknowledged), not 432000.
"""
from common import A4, B4, Capture
from common_helper import Conn

cap = Capture()
c = Conn(cap, A4, B4, 40021, 21, isn_a=1_000_000, isn_b=2_000_000)
c.open()
c.b(b"220 ready\r\n")
c.a(b"PORT 192,0,2,1,19,137\r\n")
c.b(b"200 ok\r\n")
c.a(b"PORT 192,0,2,1,19,138\r\n")
c.b(b"200 ok\r\n")
Conn(cap, B4, A4, 20, 5001, isn_a=300_000, isn_b=400_000).syn()
Conn(cap, B4, A4, 20, 5002, isn_a=310_000, isn_b=410_000).syn()
c.a(b"EPRT |1|192.0.2.1|5003|\r\n")
c.b(b"200 ok\r\n")
Conn(cap, B4, A4, 20, 5003, isn_a=320_000, isn_b=420_000).syn()
c.a(b"PASV\r\n")
c.b(b"227 Entering Passive Mode (198,51,100,2,19,140).\r\n")
Conn(cap, A4, B4, 40100, 5004, isn_a=330_000, isn_b=430_000).syn()
c.a(b"EPSV\r\n")
c.b(b"229 Entering Extended Passive Mode (|||5005|)\r\n")
Conn(cap, A4, B4, 40101, 5005, isn_a=340_000, isn_b=440_000).syn()
c.a(b"PASV\r\n")
c.b(b"227 Entering Passive Mode (198,51,100,2,19,142).\r\n")
cap.write("helper-ftp-v4-commands.pcap")
