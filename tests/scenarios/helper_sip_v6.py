"""SIP helper over IPv6: SDP "c=IN IP6", media RELATED, an IPv4 c= line, and
another spelling of the same address.

A = [2001:db8::1]:5060 -> B = [2001:db8:1::2]:5060.

 f1  A INVITE, c=IN IP6 2001:db8::1, m=audio 49170   NEW (entry 1, helper sip, timeout
                                      3600); EXP_NEW udp 2001:db8:1::2:0 > 2001:db8::1:49170
                                      and :49171
 f2  B "SIP/2.0 200 OK", c=IN IP6 2001:db8:1::2, m=audio 3456   ESTABLISHED/REPLY;
                                      EXP_NEW udp 2001:db8::1:0 > 2001:db8:1::2:3456, :3457
 f3  [B]:3456 -> [A]:49170            RELATED (entry 2, master 1)
 f4  [A]:49170 -> [B]:3456            ESTABLISHED/REPLY
 f5  A INVITE (CSeq 2), c=IN IP4 192.0.2.1   the INVITE first removes the three media
                                      expectations left (EXP_DESTROY x3), then DROP
                                      "cannot parse SDP message" (an IPv6 flow looks for
                                      "IN IP6 " only)
 f6  A INVITE (CSeq 3), c=IN IP6 2001:DB8:0::1   EXP_NEW ...:49174, :49175 (addresses are
                                      compared as binary); expect.txt at the end:
                                      "180 l3proto = 10 proto=17 src=2001:0db8:0001:...:0002
                                      dst=2001:0db8:0000:...:0001 sport=0 dport=49174 sip/audio"
"""
from common import A6, B6, Capture
from common_helper import Udp, sdp, sip, sip_headers, udp_pkt

cap = Capture()
s = Udp(cap, A6, B6, 5060, 5060)
CT = "Content-Type: application/sdp"
s.a(sip("INVITE sip:bob@[2001:db8:1::2] SIP/2.0", sip_headers(A6, B6, 5060, "1 INVITE", extra=[CT]),
        sdp(A6, 49170)))
s.b(sip("SIP/2.0 200 OK", [f"Via: SIP/2.0/UDP [{A6}]:5060;branch=z9hG4bK1",
                            "From: <sip:alice@[2001:db8::1]>;tag=1", "To: <sip:bob@[2001:db8:1::2]>;tag=2",
                            "Call-ID: call-1@a", "CSeq: 1 INVITE", CT], sdp(B6, 3456)))
udp_pkt(cap, B6, A6, 3456, 49170)
udp_pkt(cap, A6, B6, 49170, 3456)
s.a(sip("INVITE sip:bob@[2001:db8:1::2] SIP/2.0", sip_headers(A6, B6, 5060, "2 INVITE", extra=[CT]),
        sdp("192.0.2.1", 49172)))                                  # c=IN IP4 on IPv6
s.a(sip("INVITE sip:bob@[2001:db8:1::2] SIP/2.0", sip_headers(A6, B6, 5060, "3 INVITE", extra=[CT]),
        sdp("2001:DB8:0::1", 49174)))                              # other spelling of A
cap.write("helper-sip-v6.pcap")
