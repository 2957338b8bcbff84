"""FTP helper, IPv4: malformed PORT and EPRT commands from the client. Which
ones are dropped, which ones are accepted without an expectation, and which
ones open a hole to a port nobody wrote.

Control A = 192.0.2.1:40022 -> B = 198.51.100.2:21. After the handshake, "220"
and "USER" (f5, the first client segment, is never parsed) every command asks
one question. When the helper drops a command (NF_DROP at confirm time:
`dropped: true`, reason "nf_ct_ftp: dropping packet: partial matching of
`PORT'" / "... `EPRT'") it does NOT record the sequence number after it, so
the client's next command is sent at the SAME sequence number (the dropped
bytes never reached the server) and the server does not answer. Since the
recorded kernel (6.18) has no range checks in try_number()/get_port(), numbers
above 255 / 65535 are not errors: octets are OR-ed into the address, ports
wrap modulo 65536.

 f1-f6  handshake, B "220", A "USER", B "331"
 f7  "PORT 192,0,2,300,19,137"       accepted, no expectation: 2<<8|300 makes the
                                     address 192.0.3.44, not the client's (loose=0)
 f9  "PORT 192,0,2,1,256,137"        EXP_NEW 198.51.100.2:0 > 192.0.2.1:137
                                     ((256<<8|137) & 0xffff = 137)
 f11 "PORT  192,..." (two spaces)    DROP (partial matching of `PORT')
 f12 "PORT 192,0,2,1,19,137" + LF    DROP: the terminator must be CR
 f13 "PORT 192,0,2,1,19,137" (no line end)   DROP
 f14 five numbers                    DROP
 f15 seven numbers                   DROP
 f16 "PORT192,0,2,1,19,137" (no space)       DROP
 f17 "PORT 192,0,2,1,0,0"            port 0 accepted: EXP_DESTROY of 137 (max_expected
                                     1), EXP_NEW 198.51.100.2:0 > 192.0.2.1:0
 f19 B:20 -> A:0 SYN, f20 SYN/ACK    RELATED (entry 2, master 1), ESTABLISHED/REPLY
 f21 "port 192,0,2,1,19,139"         lower case is fine: EXP_NEW ... 192.0.2.1:5003
 f23 "EPRT |3|192.0.2.1|5005|"       DROP (partial matching of `EPRT')
 f24 "EPRT |2|2001:db8::1|5005|"     DROP: family 2 on an IPv4 connection
 f25 "EPRT 1|192.0.2.1|5005|"        DROP: the delimiter may not be a digit
 f26 "EPRT |1|192.0.2.1|0|"          DROP: EPRT port 0 is an error (PORT's is not)
 f27 "EPRT |1|192.0.2.1|70000|"      EXP_NEW ... 192.0.2.1:4464 (70000 - 65536),
                                     evicting 5003
 f29 "EPRT |1|192.0.2.256|5005|"     accepted, no expectation (address 192.0.3.0)
 f31 "EPRT |1|192.0.2|5005|"         DROP: three octets
 f32 "EPRT x1x192.0.2.1x5006x"       any non-digit printable delimiter works:
                                     EXP_NEW ... 192.0.2.1:5006, evicting 4464
 f34 B:20 -> A:5006 SYN, f35 SYN/ACK RELATED (entry 3)
 f36 "PORT 192,0,2,1,19,144 " + CRLF DROP: a trailing space is not the terminator
 f37 "PORT 192,0,2,1,19,145" at the same sequence number: parsed, EXP_NEW ...:5009
     (still there at the end: expect.txt)
Frames not listed (f8, f10, f18, f22, f28, f30, f33, f38) are B's "200 ok":
ESTABLISHED/REPLY.
All frames are ESTABLISHED or RELATED; verdict is ACCEPT even for the dropped
ones (the helper runs in nf_confirm, after kernel-replay's POSTROUTING log).
"""
from common import A4, B4, Capture
from common_helper import Conn

cap = Capture()
c = Conn(cap, A4, B4, 40022, 21, isn_a=1_100_000, isn_b=2_100_000)
c.open()
c.b(b"220 ready\r\n")
c.a(b"USER anonymous\r\n")
c.b(b"331 password\r\n")


def bad(cmd):
    """A command the helper is expected to drop: the next one reuses its seq."""
    s = c.nxt["a"]
    c.a(cmd)
    c.rewind("a", s)


def ok(cmd, reply=b"200 ok\r\n"):
    c.a(cmd)
    c.b(reply)


ok(b"PORT 192,0,2,300,19,137\r\n")           # octet 300
ok(b"PORT 192,0,2,1,256,137\r\n")            # port byte 256
bad(b"PORT  192,0,2,1,19,137\r\n")           # two spaces
bad(b"PORT 192,0,2,1,19,137\n")              # LF only, no CR
bad(b"PORT 192,0,2,1,19,137")                # no line end at all
bad(b"PORT 192,0,2,1,19\r\n")                # five numbers
bad(b"PORT 192,0,2,1,19,137,1\r\n")          # seven numbers
bad(b"PORT192,0,2,1,19,137\r\n")             # no space
ok(b"PORT 192,0,2,1,0,0\r\n")                # port 0
Conn(cap, B4, A4, 20, 0, isn_a=500_000, isn_b=600_000).syn()
ok(b"port 192,0,2,1,19,139\r\n")             # lower case (5003)
bad(b"EPRT |3|192.0.2.1|5005|\r\n")          # family 3
bad(b"EPRT |2|2001:db8::1|5005|\r\n")        # family 2 on an IPv4 connection
bad(b"EPRT 1|192.0.2.1|5005|\r\n")           # delimiter is a digit
bad(b"EPRT |1|192.0.2.1|0|\r\n")             # port 0
ok(b"EPRT |1|192.0.2.1|70000|\r\n")          # port > 65535
ok(b"EPRT |1|192.0.2.256|5005|\r\n")         # octet 256
bad(b"EPRT |1|192.0.2|5005|\r\n")            # three octets
ok(b"EPRT x1x192.0.2.1x5006x\r\n")           # delimiter 'x'
Conn(cap, B4, A4, 20, 5006, isn_a=510_000, isn_b=610_000).syn()
bad(b"PORT 192,0,2,1,19,144 \r\n")           # trailing space before CR
ok(b"PORT 192,0,2,1,19,145\r\n")             # a good one at the same seq (5009)
cap.write("helper-ftp-v4-malformed-port.pcap")
