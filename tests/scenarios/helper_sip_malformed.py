"""SIP helper, IPv4: malformed SIP and SDP on one signalling flow. The helper
drops what it cannot parse (reason "nf_ct_sip: dropping packet: ..."); every
INVITE first removes the flow's media expectations, even when its SDP is
then rejected. Content-Length is only used over TCP: on UDP a wrong one is
ignored.

A = 192.0.2.1:5060 -> B = 198.51.100.2:5060 (entry 1), C = 203.0.113.7.

 f1  A OPTIONS without CSeq          NEW, accepted (OPTIONS has no handler, CSeq is
                                     not looked for)
 f2  B "SIP/2.0 200 OK" (OPTIONS)    ESTABLISHED/REPLY
 f3  A INVITE without CSeq           DROP "cannot parse cseq"
 f4  A INVITE, "CSeq: abc INVITE"    DROP "cannot parse cseq"
 f5  A INVITE, Content-Length: 9999  EXP_NEW udp 198.51.100.2:0 > 192.0.2.1:49170, :49171
 f6  A INVITE, Content-Length: abc   EXP_DESTROY 49171, 49170; EXP_NEW :49172, :49173
 f7  A INVITE, c=IN IP6 2001:db8::1 only   EXP_DESTROY 49173, 49172, then DROP "cannot
                                     parse SDP message"
 f8  A INVITE, no c= line            DROP "cannot parse SDP message"
 f9  A INVITE, c= only in the media section   EXP_NEW :49178, :49179
 f10 A INVITE, m=audio 0             accepted, EXP_DESTROY 49179, 49178, nothing new
                                     (port 0 = inactive stream)
 f11 A INVITE, m=audio 80            DROP "wrong port 80" (< 1024)
 f12 A INVITE, m=audio 70000         DROP "wrong port 70000"
 f13 A INVITE, c= 203.0.113.7        accepted, no expectation (not the sender's address)
 f14 A INVITE (CSeq 10), m=application 5000   accepted, no expectation (only audio,
                                     video, image)
 f15 A INVITE (CSeq 11), session c=C, media c=A   EXP_NEW :49182, :49183 (the media
                                     c= overrides the session one)
 f16 B "SIP/2.0 abc OK"              DROP "cannot get code"
 f17 B "SIP/2.0 200 OK" without CSeq DROP "cannot parse cseq"
 f18 B "SIP/2.0 180 Ringing", CSeq 9 INVITE    accepted (no SDP)
 f19 B "SIP/2.0 486 Busy Here", CSeq 9 INVITE  accepted; 9 is not the last INVITE's
                                     CSeq: the expectations stay
 f20 A CANCEL (CSeq 11)              accepted, no effect (no CANCEL handler)
 f21 B "SIP/2.0 487 Request Terminated", CSeq 11 INVITE   EXP_DESTROY 49183, 49182
 f22 A "invite sip:..." (lower case) EXP_NEW :49186, :49187 (methods match in any case)
 f23 B "SIP/2.0 20" (10 bytes)       accepted: shorter than "SIP/2.0 200" is not parsed
All frames are ESTABLISHED (f1 NEW); none changes the entry otherwise.
"""
from common import A4, B4, Capture
from common_helper import C4, Udp, sdp, sip, sip_headers

cap = Capture()
s = Udp(cap, A4, B4, 5060, 5060)
CT = "Content-Type: application/sdp"


def inv(cseq, body, **kw):
    hdrs = sip_headers(A4, B4, 5060, f"{cseq} INVITE", extra=[CT])
    return sip("INVITE sip:bob@198.51.100.2 SIP/2.0", hdrs, body, **kw)


def resp(line, cseq="10 INVITE"):
    hdrs = [f"Via: SIP/2.0/UDP {A4}:5060;branch=z9hG4bK1", "From: <sip:alice@192.0.2.1>;tag=1",
            "To: <sip:bob@198.51.100.2>;tag=2", "Call-ID: call-1@a"]
    if cseq:
        hdrs.append(f"CSeq: {cseq}")
    return sip(line, hdrs)


nocseq = [h for h in sip_headers(A4, B4, 5060, "x") if not h.startswith("CSeq")]
s.a(sip("OPTIONS sip:bob@198.51.100.2 SIP/2.0", nocseq))                       # no CSeq, OPTIONS
s.b(resp("SIP/2.0 200 OK", "1 OPTIONS"))                                        # the entry is replied
s.a(sip("INVITE sip:bob@198.51.100.2 SIP/2.0", nocseq + [CT], sdp(A4, 49170)))  # no CSeq, INVITE
s.a(sip("INVITE sip:bob@198.51.100.2 SIP/2.0", sip_headers(A4, B4, 5060, "abc INVITE"),
        sdp(A4, 49170)))                                                       # CSeq not a number
s.a(inv(1, sdp(A4, 49170), content_length=9999))                              # Content-Length too big
s.a(inv(2, sdp(A4, 49172), content_length="abc"))                              # Content-Length junk
s.a(inv(3, sdp("2001:db8::1", 49174)))                                         # c=IN IP6 on IPv4
s.a(inv(4, sdp(A4, 49176, session_c=False)))                                   # no c= at all
s.a(inv(5, sdp(A4, 49178, session_c=False, media_c=b"c=IN IP4 192.0.2.1")))    # media c= only
s.a(inv(6, sdp(A4, 0)))                                                        # m= port 0
s.a(inv(7, sdp(A4, 80)))                                                       # m= port 80
s.a(inv(8, sdp(A4, 70000)))                                                    # m= port 70000
s.a(inv(9, sdp(C4, 49180)))                                                    # c= a third party
s.a(inv(10, sdp(A4, 49184, media="application")))                             # unknown media type
s.a(inv(11, sdp(C4, 49182, media_c=b"c=IN IP4 192.0.2.1")))                    # media c= overrides
s.b(resp("SIP/2.0 abc OK"))                                                    # no status code
s.b(resp("SIP/2.0 200 OK", cseq=None))                                         # response without CSeq
s.b(resp("SIP/2.0 180 Ringing", "9 INVITE"))                                   # 1xx, other CSeq
s.b(resp("SIP/2.0 486 Busy Here", "9 INVITE"))                                 # error, not the last INVITE
s.a(sip("CANCEL sip:bob@198.51.100.2 SIP/2.0", sip_headers(A4, B4, 5060, "11 CANCEL")))
s.b(resp("SIP/2.0 487 Request Terminated", "11 INVITE"))                       # error for the last INVITE
s.a(sip("invite sip:bob@198.51.100.2 SIP/2.0", sip_headers(A4, B4, 5060, "12 INVITE", extra=[CT]),
        sdp(A4, 49186)))                                                       # lower-case method
s.b(b"SIP/2.0 20")                                                             # 10 bytes
cap.write("helper-sip-malformed.pcap")
