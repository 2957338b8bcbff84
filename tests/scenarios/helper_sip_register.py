"""SIP helper, IPv4: REGISTER and the signalling expectation (defaults:
sip_direct_signalling=1). A REGISTER whose Contact is the sender's own
address creates a PERMANENT, INACTIVE expectation "registrar address, any
port -> contact address:port" (class signalling, 3 * 60 s); a 2xx answer
with the same CSeq and a matching Contact activates it with the answer's
expires= as its timeout; a non-2xx answer removes it. The expected
connection gets the sip helper itself.

A = 192.0.2.1:5070 -> registrar B = 198.51.100.2:5060 (entry 1); Contact
A:5062; C = 203.0.113.7.

 f1  A REGISTER CSeq 1, Contact <sip:alice@192.0.2.1:5062>, Expires: 3600
                                      NEW (entry 1, timeout 3600); EXP_NEW udp
                                      198.51.100.2:0 > 192.0.2.1:5062
 f2  B:5061 -> A:5062 INVITE          NEW (entry 2): the expectation is inactive
 f3  B "401 Unauthorized" CSeq 1      EXP_DESTROY (non-2xx)
 f4  A REGISTER CSeq 2                EXP_NEW again
 f5  B "200 OK" CSeq 1                ignored (not the last REGISTER's CSeq)
 f6  B "200 OK" CSeq 2, Contact ...;expires=2   activates it, timeout 2 s (no event)
 f7  B:5063 -> A:5062 INVITE          RELATED (entry 3, master 1, [EXPECTED]), helper sip,
                                      timeout 3600
 f8  B:5064 -> A:5062 INVITE          RELATED (entry 4): PERMANENT, it is not used up
 f9  C:5065 -> A:5062 INVITE          NEW (entry 5): only the registrar may call in.
                                      The EXP_DESTROY listed with f9 is the 2-second
                                      timeout firing during the 2.5 s pause that follows
 f10 A REGISTER CSeq 3 (2.5 s later), Contact 203.0.113.7   no expectation (third-party
                                      registration); entry 1 becomes ASSURED
 f11 B:5066 -> A:5062 INVITE          NEW (entry 6): expired
 f12 A REGISTER CSeq 4, Expires: 0    nothing
 f13 A REGISTER CSeq 5, Contact ...;expires=abc   DROP "cannot parse expires"
 f14 A REGISTER CSeq 6, Contact ...;transport=tcp   no expectation (not this flow's
                                      protocol)
 f15 A REGISTER CSeq 7 without any Expires    no expectation (expires 0)
 f16 A REGISTER CSeq 8, Contact A:5068, Expires: 3600   EXP_NEW, left at the end:
                                      expect.txt "180 l3proto = 2 proto=17
                                      src=198.51.100.2 dst=192.0.2.1 sport=0 dport=5068
                                      PERMANENT,INACTIVE sip/signalling"
"""
from common import A4, B4, Capture
from common_helper import C4, Udp, sip

cap = Capture()
s = Udp(cap, A4, B4, 5070, 5060)


def reg(cseq, contact="<sip:alice@192.0.2.1:5062>", expires="3600"):
    h = [f"Via: SIP/2.0/UDP {A4}:5070;branch=z9hG4bK{cseq}", "From: <sip:alice@example.org>;tag=1",
         "To: <sip:alice@example.org>", "Call-ID: reg-1@a", f"CSeq: {cseq} REGISTER",
         f"Contact: {contact}"]
    if expires is not None:
        h.append(f"Expires: {expires}")
    return sip("REGISTER sip:198.51.100.2 SIP/2.0", h)


def reply(line, cseq, contact="<sip:alice@192.0.2.1:5062>;expires=2"):
    h = [f"Via: SIP/2.0/UDP {A4}:5070;branch=z9hG4bK{cseq}", "From: <sip:alice@example.org>;tag=1",
         "To: <sip:alice@example.org>;tag=9", "Call-ID: reg-1@a", f"CSeq: {cseq} REGISTER"]
    if contact:
        h.append(f"Contact: {contact}")
    return sip(line, h)


def invite(src, sport):
    u = Udp(cap, src, A4, sport, 5062)
    h = [f"Via: SIP/2.0/UDP {src}:{sport};branch=z9hG4bKi{sport}",
         f"From: <sip:bob@{src}>;tag=5", "To: <sip:alice@192.0.2.1>", f"Call-ID: in-{sport}@b",
         "CSeq: 1 INVITE"]
    u.a(sip("INVITE sip:alice@192.0.2.1:5062 SIP/2.0", h))


s.a(reg(1))                                           # REGISTER, Contact A:5062
invite(B4, 5061)                                      # registrar calls before the 2xx
s.b(reply("SIP/2.0 401 Unauthorized", 1, None))       # error answer
s.a(reg(2))
s.b(reply("SIP/2.0 200 OK", 1))                       # 200 for an older CSeq
s.b(reply("SIP/2.0 200 OK", 2))                       # 200, Contact ...;expires=2
invite(B4, 5063)                                      # registrar calls in
invite(B4, 5064)                                      # again (PERMANENT)
invite(C4, 5065)                                      # a third party calls
s.a(reg(3, contact="<sip:alice@203.0.113.7:5062>"), gap=2.5)  # third-party Contact (after 2.5 s)
invite(B4, 5066)                                      # after the 2 s have passed
s.a(reg(4, expires="0"))                              # Expires: 0
s.a(reg(5, contact="<sip:alice@192.0.2.1:5062>;expires=abc"))
s.a(reg(6, contact="<sip:alice@192.0.2.1:5062;transport=tcp>"))
s.a(reg(7, contact="<sip:alice@192.0.2.1:5068>", expires=None))
s.a(reg(8, contact="<sip:alice@192.0.2.1:5068>"))   # left waiting for its answer
cap.write("helper-sip-register.pcap")
