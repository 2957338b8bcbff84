"""IRC helper: max_dcc_channels (8 expectations per IRC connection; the ninth
evicts the oldest), the same DCC twice, and a second IRC connection asking
for a port the first one already expects.

A = 192.0.2.1, IRC server B = 198.51.100.2:6667, C = 203.0.113.7 (also an IRC
server in f16-f20). Each DCC is "PRIVMSG bob :^ADCC SEND f 3221225985 <port> 1^A"
CRLF (^A = byte 0x01).

 f1-f3   A:40669 -> B:6667 handshake               entry 1, helper irc
 f4-f11  DCC SEND 6001 ... 6008                    EXP_NEW tcp 0.0.0.0:0 > 192.0.2.1:600x
                                                   (the very first data segment is parsed)
 f12     DCC SEND 6009                             EXP_DESTROY 6001 (the oldest), EXP_NEW 6009
 f13     C:40020 -> A:6001 SYN                     NEW (entry 2)
 f14     C:40021 -> A:6002 SYN                     RELATED (entry 3, master 1)
 f15     DCC SEND 6003 again                       EXP_DESTROY + EXP_NEW of 6003 (replaced)
 f16-f18 A:40670 -> C:6667 handshake               entry 4, helper irc
 f19     on entry 4: DCC SEND 6004                 the tuple is already expected by entry 1:
                                                   DROP, "nf_ct_irc: dropping packet: cannot
                                                   add expectation"
 f20     on entry 4, same seq: DCC SEND 6100       EXP_NEW ...:6100 master 4
expect.txt at the end: 6003-6009 (master 1) and 6100 (master 4), each
"299 l3proto = 2 proto=6 src=0.0.0.0 dst=192.0.2.1 sport=0 dport=.... irc".
"""
from common import A4, B4, Capture
from common_helper import C4, Conn, dcc_ip

IP = dcc_ip(A4)
cap = Capture()
c = Conn(cap, A4, B4, 40669, 6667, isn_a=3_200_000, isn_b=4_200_000)
c.open()


def dcc(conn, port):
    conn.a(b"PRIVMSG bob :\x01DCC SEND f %d %d 1\x01\r\n" % (IP, port))


for p in range(6001, 6010):
    dcc(c, p)
Conn(cap, C4, A4, 40020, 6001, isn_a=100_000, isn_b=110_000).seg("a", "S")
Conn(cap, C4, A4, 40021, 6002, isn_a=120_000, isn_b=130_000).seg("a", "S")
dcc(c, 6003)                                          # the same port again
c2 = Conn(cap, A4, C4, 40670, 6667, isn_a=3_300_000, isn_b=4_300_000)   # another server
c2.open()
s = c2.nxt["a"]
dcc(c2, 6004)                                         # a port connection 1 expects
c2.rewind("a", s)
dcc(c2, 6100)
cap.write("helper-irc-max-dcc.pcap")
