"""PPTP helper (tcp/1723, IPv4 only): a call and its GRE, Call-Clear-Request,
Call-Disconnect-Notify, and a second and third call on the same control
connection. Each GRE v1 packet carries the PEER's call id; the source key of
its tuple comes from the keymap the helper adds with the expectations.

PNS A = 192.0.2.1:40723 -> PAC B = 198.51.100.2:1723. GRE = enhanced GRE
(K and S bits, protocol 0x880b) with a 24-byte PPP payload.

 f1-f3  handshake                            entry 1, helper pptp
 f4  A Start-Control-Connection-Request      ESTABLISHED (session requested)
 f5  B Start-Control-Connection-Reply (ok)   ESTABLISHED/REPLY (session confirmed)
 f6  A Outgoing-Call-Request, call id 0x1111
 f7  B Outgoing-Call-Reply, call id 0x2222, peer 0x1111, connected
                                             EXP_NEW gre 192.0.2.1:4369 > 198.51.100.2:8738
                                             and gre 198.51.100.2:8738 > 192.0.2.1:4369
                                             (keys as port numbers: 0x1111, 0x2222)
 f8  GRE A -> B call id 0x2222               RELATED (entry 2, master 1, [EXPECTED]):
                                             BOTH expectations are destroyed (the other
                                             direction by pptp_expectfn), "NEW 2 timeout 30"
 f9  GRE B -> A call id 0x1111               ESTABLISHED/REPLY, timeout 30
 f10 GRE A -> B                              ESTABLISHED, ASSURED, timeout 180: the GRE
                                             sysctls, not the helper's 10 min / 5 h
 f11 GRE A -> B call id 0x3333               NEW (entry 3, srckey 0x0): wrong call id
 f12 A Echo-Request                          nothing
 f13 A Call-Clear-Request 0x1111             nothing (only the call state changes)
 f14 GRE A -> B 0x2222                       ESTABLISHED, entry 2
 f15 B Call-Disconnect-Notify 0x2222         "DESTROY 2": the call's GRE entry is killed
                                             and the keymap removed
 f16 GRE A -> B 0x2222                       NEW (entry 4, srckey 0x0)
 f17 GRE B -> A 0x1111                       NEW (entry 5, srckey 0x0): not entry 4's reply
 f18 A Outgoing-Call-Request 0x1112, f19 B Reply 0x2223 / 0x1112
                                             EXP_NEW x2 (4370 / 8739)
 f20 GRE A -> B 0x2223                       RELATED (entry 6), f21 GRE B -> A 0x1112
                                             ESTABLISHED/REPLY
 f22 A Outgoing-Call-Request 0x1114, f23 B Reply 0x2225 / 0x1114 while call 2 is up
                                             EXP_NEW x2 then EXP_DESTROY x2: the keymap
                                             slot is taken, one call per control connection
 f24 GRE A -> B 0x2225                       NEW (entry 7, srckey 0x0)
table.txt prints GRE entries as "gre 47 <t> timeout=30, stream_timeout=180
src=... dst=... srckey=0x1112 dstkey=0x2223 ..." (entry 6).
"""
from common import A4, B4, Capture
from common_helper import (Conn, gre_pkt, pptp_ccrq, pptp_cdn, pptp_echo_req, pptp_ocrp,
                           pptp_ocrq, pptp_sccrp, pptp_sccrq)

cap = Capture()
c = Conn(cap, A4, B4, 40723, 1723, isn_a=6_000_000, isn_b=7_000_000)
c.open()
c.a(pptp_sccrq())
c.b(pptp_sccrp())
c.a(pptp_ocrq(0x1111))
c.b(pptp_ocrp(0x2222, 0x1111))
gre_pkt(cap, A4, B4, 0x2222, 1)            # PNS -> PAC carries the PAC's call id
gre_pkt(cap, B4, A4, 0x1111, 1)            # PAC -> PNS carries the PNS's call id
gre_pkt(cap, A4, B4, 0x2222, 2)
gre_pkt(cap, A4, B4, 0x3333, 3)            # wrong call id
c.a(pptp_echo_req())
c.a(pptp_ccrq(0x1111))                     # Call-Clear-Request
gre_pkt(cap, A4, B4, 0x2222, 4)
c.b(pptp_cdn(0x2222))                      # Call-Disconnect-Notify
gre_pkt(cap, A4, B4, 0x2222, 5)
gre_pkt(cap, B4, A4, 0x1111, 2)
c.a(pptp_ocrq(0x1112, 2))                  # a second call, left up
c.b(pptp_ocrp(0x2223, 0x1112))
gre_pkt(cap, A4, B4, 0x2223, 1)
gre_pkt(cap, B4, A4, 0x1112, 1)
c.a(pptp_ocrq(0x1114, 3))                  # a third call while the second is up
c.b(pptp_ocrp(0x2225, 0x1114))
gre_pkt(cap, A4, B4, 0x2225, 1)
cap.write("helper-pptp-call.pcap")
