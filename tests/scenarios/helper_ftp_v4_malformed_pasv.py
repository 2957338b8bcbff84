"""FTP helper, IPv4: malformed 227 (PASV) and 229 (EPSV) replies from the
server.

Control A = 192.0.2.1:40023 -> B = 198.51.100.2:21; handshake, "220" (never
parsed: first server segment), "USER", "331". The client sends "PASV" or
"EPSV" before each group. When the helper drops a reply (`dropped: true`,
reason "nf_ct_ftp: dropping packet: partial matching of `227 '" / "`229 '"),
the server's next reply is sent at the same sequence number (the dropped
bytes never reached the client). 227 is parsed RFC 1123 style: from the first
digit after "227 ", six comma-separated numbers ended by any other character
(no parentheses needed); 229 wants "(" then three equal delimiters, a port,
the delimiter.

 f7  A "PASV"
 f8  B "227 Entering Passive Mode" (no numbers)          DROP
 f9  B "227 ... (198,51,100,2,19,300)."                  accepted: EXP_NEW
                                                         192.0.2.1:0 > 198.51.100.2:4908
                                                         (19<<8 | 300 = 0x132c)
 f10 A "PASV"
 f11 B "227 Entering Passive Mode 1 (198,...)."          DROP: the numbers start at the
                                                         first digit ("1 (")
 f12 B "227 =198,51,100,2,19,141" (same seq)             EXP_DESTROY 4908, EXP_NEW :5005
 f13 A:40200 -> B:5005 SYN, f14 SYN/ACK                  RELATED (entry 2, master 1)
 f15 A "PASV"
 f16 B "227 ... (198,51,100,2,19,142" (no ')')           accepted: EXP_NEW :5006
 f17 A "EPSV"
 f18 B "229 ... (|||0|)"                                 DROP: port 0
 f19 B "229 ... |||5008|" (no '(')                       DROP
 f20 B "229 ... (||5008|)" (two delimiters)              DROP
 f21 B "229 ... (|||99999|)"                             accepted: EXP_DESTROY 5006,
                                                         EXP_NEW :34463 (99999 - 65536)
 f22 A "EPSV"
 f23 B "229 ... (1115008|)" (digit delimiter)            DROP
 f24 B "229 ... (!!!5009!)" (same seq)                   EXP_DESTROY 34463, EXP_NEW :5009
 f25 A:40201 -> B:5009 SYN, f26 SYN/ACK                  RELATED (entry 3)
 f27 A "EPSV"
 f28 B "229 ... (|||5010|" (no ')')                      accepted: EXP_NEW :5010 (left
                                                         at the end, expect.txt)
 f29 A "PASV"
 f30 B "227-Entering Passive Mode (...)" (multi-line)    not "227 ": no match, accepted
The expectations of 227/229 have the client as source (any port) and the
server as destination.
"""
from common import A4, B4, Capture
from common_helper import Conn

cap = Capture()
c = Conn(cap, A4, B4, 40023, 21, isn_a=1_200_000, isn_b=2_200_000)
c.open()
c.b(b"220 ready\r\n")
c.a(b"USER anonymous\r\n")
c.b(b"331 password\r\n")


def bad(reply):
    s = c.nxt["b"]
    c.b(reply)
    c.rewind("b", s)


c.a(b"PASV\r\n")
bad(b"227 Entering Passive Mode\r\n")                               # no numbers
c.b(b"227 Entering Passive Mode (198,51,100,2,19,300).\r\n")        # port byte 300
c.a(b"PASV\r\n")
bad(b"227 Entering Passive Mode 1 (198,51,100,2,19,141).\r\n")     # a digit before the numbers
c.b(b"227 =198,51,100,2,19,141\r\n")                               # no parentheses (RFC 1123)
Conn(cap, A4, B4, 40200, 5005, isn_a=700_000, isn_b=800_000).syn()
c.a(b"PASV\r\n")
c.b(b"227 Entering Passive Mode (198,51,100,2,19,142\r\n")         # no closing parenthesis
c.a(b"EPSV\r\n")
bad(b"229 Entering Extended Passive Mode (|||0|)\r\n")              # port 0
bad(b"229 Entering Extended Passive Mode |||5008|\r\n")             # no '('
bad(b"229 Entering Extended Passive Mode (||5008|)\r\n")            # two delimiters
c.b(b"229 Entering Extended Passive Mode (|||99999|)\r\n")          # port > 65535
c.a(b"EPSV\r\n")
bad(b"229 Entering Extended Passive Mode (1115008|)\r\n")          # digit delimiter
c.b(b"229 Entering Extended Passive Mode (!!!5009!)\r\n")           # delimiter '!'
Conn(cap, A4, B4, 40201, 5009, isn_a=710_000, isn_b=810_000).syn()
c.a(b"EPSV\r\n")
c.b(b"229 Entering Extended Passive Mode (|||5010|\r\n")            # no ')'
c.a(b"PASV\r\n")
c.b(b"227-Entering Passive Mode (198,51,100,2,19,147)\r\n")        # '-' continuation, not "227 "
cap.write("helper-ftp-v4-malformed-pasv.pcap")
