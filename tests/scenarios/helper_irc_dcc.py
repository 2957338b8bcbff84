"""IRC helper (tcp/6667, IPv4 only): the DCC commands it understands. Only
client -> server segments (ORIGINAL direction) of an established connection
are looked at, every segment (no sequence bookkeeping as in ftp). After
leading blanks/CR/LF the segment must start with "PRIVMSG " (any case); the
first " :" must be followed by "^ADCC " (^A = byte 0x01) and one of SEND, CHAT, MOVE, TSEND,
SCHAT (exact case), then a word, the address as a decimal number, the port;
a LF must follow somewhere in the segment. Only the first DCC of a segment
counts. The expectation is "any address, any port -> client:port".

A = 192.0.2.1:40667 (3221225985) -> B = 198.51.100.2:6667, C = 203.0.113.7.

 f1-f3  handshake                         entry 1, helper irc
 f4  A "NICK alice" CRLF "USER ..."       nothing
 f5  B ":irc.example 001 alice ..."
 f6  A "PRIVMSG bob :^ADCC SEND file.txt 3221225985 5000 1234^A"
                                          EXP_NEW tcp 0.0.0.0:0 > 192.0.2.1:5000
 f7  C:40001 -> A:5000 SYN, f8 SYN/ACK    RELATED (entry 2, master 1): from anybody
 f9  A "PRIVMSG bob :^ADCC CHAT chat 3221225985 5001^A"   EXP_NEW ...:5001
 f10 B:40002 -> A:5001 SYN, f11 SYN/ACK   RELATED (entry 3)
 f12 C:40003 -> A:5002 SYN                NEW (entry 4), unannounced port
 f13 B ":bob!b@h PRIVMSG alice :^ADCC SEND f 3221225985 5003 1^A"   server -> client:
                                          not parsed
 f14 A "NOTICE bob :^ADCC SEND ... 5004"  no expectation (not PRIVMSG)
 f15 A "privmsg bob :^ADCC SEND ... 5005" EXP_NEW ...:5005 (PRIVMSG in any case)
 f16 A "PRIVMSG bob :^Adcc send ... 5006" no expectation (DCC/SEND are case-sensitive)
 f17 A "... DCC MOVE ... 5007"            EXP_NEW ...:5007
 f18 A "... DCC TSEND ... 5008"           EXP_NEW ...:5008
 f19 A "... DCC SCHAT chat ... 5009"      EXP_NEW ...:5009
 f20 A "... DCC RESUME file.txt 5000 100" no expectation
 f21 A "PRIVMSG bob :hello :^ADCC SEND ... 5010"   no: only the first " :" is tried
 f22 A "PING :x" CRLF "PRIVMSG ... 5011"  no: the segment does not start with PRIVMSG
 f23 A " " CRLF "PRIVMSG ... 5012"        EXP_NEW ...:5012 (leading blanks skipped)
 f24 A two DCC SENDs (5013, 5014) in one segment   EXP_NEW ...:5013 only
All frames are ESTABLISHED except f1 (NEW), f7/f10 (RELATED) and f12 (NEW).
expect.txt at the end: six lines "... l3proto = 2 proto=6 src=0.0.0.0
dst=192.0.2.1 sport=0 dport=50xx irc" (the unknown source prints as 0.0.0.0).
"""
from common import A4, B4, Capture
from common_helper import C4, Conn, dcc_ip

IP = dcc_ip(A4)          # 3221225985
cap = Capture()
c = Conn(cap, A4, B4, 40667, 6667, isn_a=3_000_000, isn_b=4_000_000)
c.open()
c.a(b"NICK alice\r\nUSER alice 0 * :Alice\r\n")
c.b(b":irc.example 001 alice :Welcome\r\n")


def dcc(kind, port, arg=b"file.txt", verb=b"PRIVMSG", head=b""):
    return head + verb + b" bob :\x01DCC " + kind + b" " + arg + b" %d %d 1234\x01\r\n" % (IP, port)


c.a(dcc(b"SEND", 5000))
Conn(cap, C4, A4, 40001, 5000, isn_a=100_000, isn_b=110_000).syn()     # from a third party
c.a(b"PRIVMSG bob :\x01DCC CHAT chat %d 5001\x01\r\n" % IP)
Conn(cap, B4, A4, 40002, 5001, isn_a=120_000, isn_b=130_000).syn()     # from the server
Conn(cap, C4, A4, 40003, 5002, isn_a=140_000, isn_b=150_000).seg("a", "S")   # unannounced port
c.b(b":bob!b@h PRIVMSG alice :\x01DCC SEND f %d 5003 1\x01\r\n" % IP)   # server -> client
c.a(dcc(b"SEND", 5004, verb=b"NOTICE"))
c.a(dcc(b"SEND", 5005, verb=b"privmsg"))
c.a(b"PRIVMSG bob :\x01dcc send file.txt %d 5006 1\x01\r\n" % IP)
c.a(dcc(b"MOVE", 5007))
c.a(dcc(b"TSEND", 5008))
c.a(b"PRIVMSG bob :\x01DCC SCHAT chat %d 5009\x01\r\n" % IP)
c.a(b"PRIVMSG bob :\x01DCC RESUME file.txt 5000 100\x01\r\n")
c.a(b"PRIVMSG bob :hello :\x01DCC SEND f %d 5010 1\x01\r\n" % IP)
c.a(b"PING :x\r\n" + dcc(b"SEND", 5011))
c.a(dcc(b"SEND", 5012, head=b" \r\n"))
c.a(dcc(b"SEND", 5013) + dcc(b"SEND", 5014))
cap.write("helper-irc-dcc.pcap")
