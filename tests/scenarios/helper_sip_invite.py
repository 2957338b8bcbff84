"""SIP helper (udp/5060), IPv4: a call with an SDP offer and answer, media on
and off the announced ports, BYE, and a re-INVITE left pending. Defaults:
sip_direct_media=1 (media is expected only from the other signalling end to
the address in c=, which must be the sender's own), sip_timeout=3600.

A = 192.0.2.1:5060 -> B = 198.51.100.2:5060, C = 203.0.113.7. RTP/RTCP are
UDP datagrams with a 3-byte payload.

 f1  A INVITE, SDP c=IN IP4 192.0.2.1, m=audio 49170      NEW (entry 1, helper sip),
                                   "NEW 1 timeout 3600" (the helper sets sip_timeout, not
                                   udp_timeout); EXP_NEW udp 198.51.100.2:0 > 192.0.2.1:49170
                                   and :49171 (RTP port & ~1, and +1 for RTCP)
 f2  B "SIP/2.0 100 Trying"        ESTABLISHED/REPLY, timeout 3600
 f3  B "SIP/2.0 200 OK", SDP c=198.51.100.2, m=audio 3456, m=video 3458
                                   EXP_NEW udp 192.0.2.1:0 > 198.51.100.2:3456, :3457,
                                   :3458, :3459 (classes audio and video)
 f4  A ACK                         ESTABLISHED
 f5  C:3456 -> A:49170             NEW (entry 2): the source must be B
 f6  B:3456 -> A:49170             RELATED (entry 3, master 1, [EXPECTED]), udp timeout 30,
                                   no helper
 f7  A:49170 -> B:3456             ESTABLISHED/REPLY of entry 3
 f8  B:3457 -> A:49171 (RTCP)      RELATED (entry 4)
 f9  A:49172 -> B:3456             RELATED (entry 5): the source port is free
 f10 A:49174 -> B:3458 (video)     RELATED (entry 6)
 f11 B:3456 -> A:49176             NEW (entry 7): not announced
 f12 A BYE                         EXP_DESTROY of the two left (3459, 3457)
 f13 B "SIP/2.0 200 OK" (BYE)
 f14 A:49180 -> B:3457             NEW (entry 8)
 f15 A INVITE (CSeq 3), m=audio 49190    EXP_NEW ...:49190, :49191, left at the end:
                                   expect.txt "180 l3proto = 2 proto=17 src=198.51.100.2
                                   dst=192.0.2.1 sport=0 dport=49190 sip/audio" (3 * 60 s)
"""
from common import A4, B4, Capture
from common_helper import C4, Udp, sdp, sip, sip_headers, udp_pkt

cap = Capture()
s = Udp(cap, A4, B4, 5060, 5060)
H = lambda m: sip_headers(A4, B4, 5060, m, extra=["Contact: <sip:alice@192.0.2.1:5060>",
                                                   "Content-Type: application/sdp"])
R = lambda m: [f"Via: SIP/2.0/UDP {A4}:5060;branch=z9hG4bK1", "From: <sip:alice@192.0.2.1>;tag=1",
               "To: <sip:bob@198.51.100.2>;tag=2", "Call-ID: call-1@a", f"CSeq: {m}",
               "Contact: <sip:bob@198.51.100.2:5060>", "Content-Type: application/sdp"]
video = b"m=video 3458 RTP/AVP 31\r\n"
s.a(sip("INVITE sip:bob@198.51.100.2 SIP/2.0", H("1 INVITE"), sdp(A4, 49170)))
s.b(sip("SIP/2.0 100 Trying", R("1 INVITE")))
s.b(sip("SIP/2.0 200 OK", R("1 INVITE"), sdp(B4, 3456, extra_media=video)))
s.a(sip("ACK sip:bob@198.51.100.2 SIP/2.0", H("1 ACK")))
udp_pkt(cap, C4, A4, 3456, 49170)          # RTP from a third party
udp_pkt(cap, B4, A4, 3456, 49170)          # RTP B -> A's announced port
udp_pkt(cap, A4, B4, 49170, 3456)          # A's answer on the same pair
udp_pkt(cap, B4, A4, 3457, 49171)          # RTCP B -> A
udp_pkt(cap, A4, B4, 49172, 3456)          # A -> B's RTP port from another port
udp_pkt(cap, A4, B4, 49174, 3458)          # A -> B's video port
udp_pkt(cap, B4, A4, 3456, 49176)          # an unannounced port
s.a(sip("BYE sip:bob@198.51.100.2 SIP/2.0", H("2 BYE")))
s.b(sip("SIP/2.0 200 OK", R("2 BYE")))
udp_pkt(cap, A4, B4, 49180, 3457)          # B's RTCP port after BYE
s.a(sip("INVITE sip:bob@198.51.100.2 SIP/2.0", H("3 INVITE"), sdp(A4, 49190)))
cap.write("helper-sip-invite.pcap")
