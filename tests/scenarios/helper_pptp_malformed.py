"""PPTP helper: control messages out of order, cut short, from the wrong side
or with a wrong cookie/type; a call whose first GRE packet comes from the
PAC; an expectation pair left pending. The helper never drops a packet: what
it does not like it ignores (NF_ACCEPT).

PNS A = 192.0.2.1:40724 -> PAC B = 198.51.100.2:1723 (entry 1).

 f1-f3  handshake                                   entry 1, helper pptp
 f4  A Start-Control-Connection-Request, magic 0x1a2b3c4e   ignored (not a control
                                                    packet)
 f5  B Start-Control-Connection-Reply               ignored (no request seen)
 f6  A Outgoing-Call-Request 0x1111                 ignored (no session)
 f7  B Outgoing-Call-Reply 0x2222 / 0x1111          no expectation
 f8  GRE A -> B 0x2222                              NEW (entry 2)
 f9  A Start-Control-Connection-Request             session requested
 f10 B the Reply cut to 100 bytes                   ignored (shorter than the message)
 f11 B Start-Control-Connection-Reply               session confirmed
 f12 A Outgoing-Call-Request cut to 60 bytes        ignored
 f13 B Outgoing-Call-Reply 0x2222 / 0x1111          no expectation (no call requested)
 f14 A Outgoing-Call-Request 0x1111
 f15 B Reply with peer call id 0x9999               no expectation (not the PNS's id)
 f16 B Reply 0x2222 / 0x1111, result 2 (error)      no expectation, call state reset
 f17 A Outgoing-Call-Request 0x1113, length field 0 accepted: the length field is not
                                                    checked
 f18 B Reply 0x2224 / 0x1113 with packet type 2     ignored (management message)
 f19 B Reply 0x2224 / 0x1113                        EXP_NEW gre 192.0.2.1:4371 >
                                                    198.51.100.2:8740 and the reverse
 f20 GRE B -> A 0x1113 (the PAC first)              RELATED (entry 3, master 1): the
                                                    entry's original direction is B -> A
 f21 GRE A -> B 0x2224                              ESTABLISHED/REPLY
 f22 B Start-Control-Connection-Request             ignored (only the PNS may send it)
 f23 B Outgoing-Call-Request 0x5555                 ignored
 f24-f26 second control connection A:40725 -> B:1723 (entry 4), f27-f30
     Start-Control-Connection Request/Reply, Outgoing-Call Request 0x1115 / Reply 0x2226
                                                    EXP_NEW x2, left at the end:
                                                    expect.txt "300 l3proto = 2 proto=47
                                                    src=192.0.2.1 dst=198.51.100.2
                                                    srckey=0x1115 dstkey=0x2226 pptp"
                                                    and the reverse
"""
from common import A4, B4, Capture
from common_helper import (Conn, gre_pkt, pptp_ctrl, pptp_ocrp, pptp_ocrq, pptp_sccrp,
                           pptp_sccrq)

cap = Capture()
c = Conn(cap, A4, B4, 40724, 1723, isn_a=6_100_000, isn_b=7_100_000)
c.open()
bad_magic = pptp_sccrq()
bad_magic = bad_magic[:4] + b"\x1a\x2b\x3c\x4e" + bad_magic[8:]
c.a(bad_magic)                                   # wrong magic cookie
c.b(pptp_sccrp())                                # reply without a (seen) request
c.a(pptp_ocrq(0x1111))                           # call request without a session
c.b(pptp_ocrp(0x2222, 0x1111))
gre_pkt(cap, A4, B4, 0x2222, 1)
c.a(pptp_sccrq())                                # the real request
c.b(pptp_sccrp()[:100])                          # reply cut to 100 bytes
c.b(pptp_sccrp())
c.a(pptp_ocrq(0x1111)[:60])                      # call request cut to 60 bytes
c.b(pptp_ocrp(0x2222, 0x1111))
c.a(pptp_ocrq(0x1111))
c.b(pptp_ocrp(0x2222, 0x9999))                   # wrong peer call id
c.b(pptp_ocrp(0x2222, 0x1111, result=2))         # call failed
c.a(b"\x00\x00" + pptp_ocrq(0x1113, 2)[2:])      # length field 0
mgmt = pptp_ocrp(0x2224, 0x1113)
c.b(mgmt[:2] + b"\x00\x02" + mgmt[4:])           # packet type 2 (management)
c.b(pptp_ocrp(0x2224, 0x1113))
gre_pkt(cap, B4, A4, 0x1113, 1)                  # the PAC sends first
gre_pkt(cap, A4, B4, 0x2224, 1)
c.b(pptp_sccrq())                                # a Start-Control-Connection-Request from the PAC
c.b(pptp_ctrl(7, pptp_ocrq(0x5555)[12:]))        # an Outgoing-Call-Request from the PAC
c2 = Conn(cap, A4, B4, 40725, 1723, isn_a=6_200_000, isn_b=7_200_000)   # a second control
c2.open()                                                                # connection, its call
c2.a(pptp_sccrq())                                                       # left expected
c2.b(pptp_sccrp())
c2.a(pptp_ocrq(0x1115))
c2.b(pptp_ocrp(0x2226, 0x1115))
cap.write("helper-pptp-malformed.pcap")
