"""IRC helper: malformed and forged DCC SEND commands. The address and port are
read with simple_strtoul (decimal, stops at the first non-digit, no sign),
the address is then truncated to 32 bits and the port to 16 bits; the DCC is
"forged" (no expectation, only a rate-limited kernel warning, no drop) when
the address is not the client's own or the port is 0.

A = 192.0.2.1:40668 (3221225985) -> B = 198.51.100.2:6667, C = 203.0.113.7.
Each frame is "PRIVMSG bob :^ADCC SEND <name> <address> <port> 1234^A" CRLF
from A (^A = byte 0x01) unless said otherwise.

 f1-f5  handshake, "NICK alice", welcome
 f6  address = B's (3325256706)               forged: no expectation
 f7  address = C's                            forged
 f8  address "192.0.2.1" (dotted)             forged (reads 192, then port 0)
 f9  address 2^32 + 3221225985                EXP_NEW tcp 0.0.0.0:0 > 192.0.2.1:5001
                                              (truncated to 32 bits)
 f10 address 2^64 + 3221225985                EXP_NEW ...:5002 (wraps in 64 bits too)
 f11 port 0                                   forged
 f12 port 65536                               forged (16 bits: 0)
 f13 port 70539                               EXP_NEW ...:5003 (70539 - 65536)
 f14 port "5004x"                             EXP_NEW ...:5004 (junk after it ignored)
 f15 port "-1"                                forged (0)
 f16 address "0xC0000201"                     forged (decimal only: 0)
 f17 file name "my file.txt"                  forged (the address is read from "file.txt")
 f18 three blanks before the port             EXP_NEW ...:5007
 f19 the DCC without a line end               no expectation (needs a LF)
 f20 CRLF alone                               nothing
 f21 "PRIVMSG bob :^ADCC SEND f 32212", f22 "25985 5009 1^A" CRLF   split over two
                                              segments: no expectation (no state is kept
                                              between segments)
 f23 C:40010 -> A:5003 SYN, f24 SYN/ACK       RELATED (entry 2, master 1)
No frame is dropped; all are ESTABLISHED except f1 (NEW) and f23 (RELATED).
"""
from common import A4, B4, Capture
from common_helper import C4, Conn, dcc_ip

IP = dcc_ip(A4)
cap = Capture()
c = Conn(cap, A4, B4, 40668, 6667, isn_a=3_100_000, isn_b=4_100_000)
c.open()
c.a(b"NICK alice\r\n")
c.b(b":irc.example 001 alice :Welcome\r\n")


def send(ip, port, name=b"file.txt"):
    ip = ip if isinstance(ip, bytes) else b"%d" % ip
    port = port if isinstance(port, bytes) else b"%d" % port
    c.a(b"PRIVMSG bob :\x01DCC SEND " + name + b" " + ip + b" " + port + b" 1234\x01\r\n")


send(dcc_ip(B4), 5000)                     # the server's address
send(dcc_ip(C4), 5000)                     # a third party's address
send(b"192.0.2.1", 5000)                   # dotted quad
send(IP + (1 << 32), 5001)                 # 2^32 + address
send(IP + (1 << 64), 5002)                 # 2^64 + address
send(IP, 0)                                # port 0
send(IP, 65536)                            # port 65536
send(IP, 65536 + 5003)                     # port 70539
send(IP, b"5004x")                         # junk after the port
send(IP, b"-1")                            # negative port
send(b"0xC0000201", 5005)                  # hexadecimal address
send(IP, 5006, b"my file.txt")             # a space in the file name
send(IP, b"  5007")                        # extra blanks before the port
c.a(b"PRIVMSG bob :\x01DCC SEND f %d 5008 1\x01" % IP)     # no newline
c.a(b"\r\n")
c.a(b"PRIVMSG bob :\x01DCC SEND f 32212")                 # split over two segments
c.a(b"25985 5009 1\x01\r\n")
Conn(cap, C4, A4, 40010, 5003, isn_a=100_000, isn_b=110_000).syn()  # the port-70539 one
cap.write("helper-irc-malformed.pcap")
