"""FTP helper over IPv6. EPRT |2| and 229 work as in IPv4; EPRT |1| is an
error; PORT and 227 are parsed too, and because they only overwrite the FIRST
FOUR BYTES of the connection's IPv6 address before comparing, a PORT/227
whose four numbers equal the first 32 bits of the sender's address (here
2001:0db8 = 32,1,13,184) creates an expectation for the full IPv6 address.

Control A = [2001:db8::1]:40027 -> B = [2001:db8:1::2]:21; handshake, "220",
"USER", "331".

 f7  A "EPRT |2|2001:db8::1|5001|"           EXP_NEW tcp 2001:db8:1::2:0 > 2001:db8::1:5001
 f9  B:20 -> A:5001 SYN, f10 SYN/ACK         RELATED (entry 2, master 1), ESTABLISHED/REPLY
 f11 A "EPRT |1|192.0.2.1|5002|"             DROP, partial matching of `EPRT'
 f12 A "PORT 32,1,13,184,19,139" (same seq)  EXP_NEW ... > 2001:db8::1:5003 (!)
 f14 B:20 -> A:5003 SYN, f15 SYN/ACK         RELATED (entry 3)
 f16 A "PORT 192,0,2,1,19,140"               accepted, no expectation (address mismatch)
 f18 A "EPRT |2|2001:db8::99|5005|"          accepted, no expectation (third party)
 f20 A "EPRT |2|2001:db8::zz|5006|"          DROP (not an address)
 f21 A "EPRT |2|2001:DB8:0:0::1|5006|" (same seq)   another spelling of A: EXP_NEW ...:5006
 f23 B:20 -> A:5006 SYN                      RELATED (entry 4)
 f24 A "EPSV"
 f25 B "229 Entering Extended Passive Mode (|||5007|)"   EXP_NEW 2001:db8::1:0 >
                                             2001:db8:1::2:5007
 f26 A:40300 -> B:5007 SYN, f27 SYN/ACK      RELATED (entry 5)
 f28 A "PASV"
 f29 B "227 ... (198,51,100,2,19,152)."      accepted, no expectation
 f30 A "PASV"
 f31 B "227 ... (32,1,13,184,19,153)."       EXP_NEW 2001:db8::1:0 > 2001:db8:1::2:5017,
                                             left at the end: expect.txt prints
                                             "l3proto = 10" and fully expanded addresses
Frames not listed are B's "200 ok" answers (ESTABLISHED/REPLY).
"""
from common import A6, B6, Capture
from common_helper import Conn

cap = Capture()
c = Conn(cap, A6, B6, 40027, 21, isn_a=1_600_000, isn_b=2_600_000)
c.open()
c.b(b"220 ready\r\n")
c.a(b"USER anonymous\r\n")
c.b(b"331 password\r\n")
c.a(b"EPRT |2|2001:db8::1|5001|\r\n")
c.b(b"200 ok\r\n")
Conn(cap, B6, A6, 20, 5001, isn_a=100_000, isn_b=110_000).syn()
s = c.nxt["a"]
c.a(b"EPRT |1|192.0.2.1|5002|\r\n")                 # IPv4 family on IPv6
c.a(b"PORT 32,1,13,184,19,139\r\n", seq=s)          # 32.1.13.184 = 2001:0db8
c.b(b"200 ok\r\n")
Conn(cap, B6, A6, 20, 5003, isn_a=120_000, isn_b=130_000).syn()
c.a(b"PORT 192,0,2,1,19,140\r\n")
c.b(b"200 ok\r\n")
c.a(b"EPRT |2|2001:db8::99|5005|\r\n")              # third party
c.b(b"200 ok\r\n")
s = c.nxt["a"]
c.a(b"EPRT |2|2001:db8::zz|5006|\r\n")              # not an address
c.a(b"EPRT |2|2001:DB8:0:0::1|5006|\r\n", seq=s)    # same address, other spelling
c.b(b"200 ok\r\n")
Conn(cap, B6, A6, 20, 5006, isn_a=140_000, isn_b=150_000).seg("a", "S")
c.a(b"EPSV\r\n")
c.b(b"229 Entering Extended Passive Mode (|||5007|)\r\n")
Conn(cap, A6, B6, 40300, 5007, isn_a=160_000, isn_b=170_000).syn()
c.a(b"PASV\r\n")
c.b(b"227 Entering Passive Mode (198,51,100,2,19,152).\r\n")
c.a(b"PASV\r\n")
c.b(b"227 Entering Passive Mode (32,1,13,184,19,153).\r\n")
cap.write("helper-ftp-v6.pcap")
