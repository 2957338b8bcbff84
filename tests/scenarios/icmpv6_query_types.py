"""ICMPv6 informational types, redirects and unknown types, default sysctls.

icmpv6_error(): a header shorter than 8 bytes is "short packet"; MLD
(130/131/132/143), RS/RA/NS/NA (133-136) and multicast router discovery
(151/152) are UNTRACKED; a redirect (137) with code 0 must come from a
link-local source with hop limit 255 ("invalid saddr or hoplimit for
redirect") and carry options ("redirect without options"), and if its first
option is a redirected header (type 4) the quoted packet is looked up like an
ICMP error's; other types < 128 are errors. Queries: the tuple is (type, code,
id), only 128 and 139 can create an entry, 128<->129 and 139<->140.
A = 2001:db8::1, B = 2001:db8:1::2, R = fe80::9 (router, link-local).

 f1  A->B echo request id 0x0c01            NEW, entry 1
 f2  B->A echo reply                        ESTABLISHED/REPLY, SEEN_REPLY
 f3  A->B echo request code 3 id 0x0c02     NEW, entry 2
 f4  B->A echo reply code 0 id 0x0c02       INVALID (code is in the tuple)
 f5  B->A echo reply code 3 id 0x0c02       ESTABLISHED/REPLY, entry 2
 f6  A->B node information query (139)      NEW, entry 3 (id = the Qtype field)
 f7  B->A node information reply (140)      ESTABLISHED/REPLY
 f8  B->A echo reply id 0x0c03, no request  INVALID
 f9  B->A NI reply, no query (other Qtype)  INVALID
 f10 R->ff02::1 MLDv1 query (130)          UNTRACKED
 f11 A->ff02::... MLDv1 report (131)        UNTRACKED
 f12 A->ff02::2 MLDv1 done (132)            UNTRACKED
 f13 A->ff02::16 MLDv2 report (143)         UNTRACKED
 f14 A->ff02::2 router solicitation (133)   UNTRACKED
 f15 R->ff02::1 router advertisement (134)  UNTRACKED
 f16 A->solicited-node NS (135)             UNTRACKED
 f17 B->A neighbour advertisement (136)     UNTRACKED
 f18 A:47001->B:7601 UDP                    NEW, entry 4
 f19 R->A redirect (137), hop limit 255, redirected-header option quoting f18
                                            RELATED/REPLY (entry 4; packets.jsonl names no
                                            entry: the harness only decodes types 1-4)
 f20 the same with hop limit 64             INVALID "invalid saddr or hoplimit for redirect"
 f21 the same from a global source (2001:db8:2::9)   INVALID (same reason)
 f22 redirect without any option            INVALID "redirect without options"
 f23 redirect with only a target link-layer address option
                                            INVALID (no reason: not an error, no inverse)
 f24 redirect with code 1                   INVALID (no reason)
 f25 R->ff02::6a multicast router advertisement (151)   UNTRACKED
 f26 A->ff02::2 multicast router solicitation (152)     UNTRACKED
 f27 A->B unknown informational type 200    INVALID
 f28 R->A unassigned error type 100 quoting f18   RELATED/REPLY (every type < 128 is
                                                  an error; no entry named, as f19)
 f29 A->B echo request, 4-byte ICMPv6 header      INVALID "short packet"
 f30 R->ff02::1 MLDv1 query, 4-byte header        INVALID "short packet" (checked
                                                  before UNTRACKED)
 f31 IPv4 packet carrying ICMPv6 (protocol 58) echo request   INVALID
 f32 B->A echo reply code 3 id 0x0c02 again        ESTABLISHED/REPLY, entry 2
"""
from common import (A4, B4, A6, B6, LL_A, LL_B, LL_R, R6, MAC_A, MAC_R, Capture, ipv4, ipv6,
                    icmp6, udp, addr_bytes, ext_opts)

cap = Capture()
D = b"icmpv6-query"


def q(src, dst, typ, code=0, ident=0, seq=1, data=D, frm="a", hlim=64, rest=None, cut=None,
      dst_mac=None, nh_chain=None):
    msg = icmp6(src, dst, typ, code, ident, seq, data, rest=rest)
    if cut is not None:
        msg = msg[:cut]
    cap.add(ipv6(src, dst, 58, msg, hlim=hlim), frm=frm, dst_mac=dst_mac)


def mcast_mac(group):
    return "33:33:" + ":".join(f"{b:02x}" for b in addr_bytes(group)[-4:])


q(A6, B6, 128, 0, 0x0c01)                                   # f1
q(B6, A6, 129, 0, 0x0c01, frm="b")                          # f2
q(A6, B6, 128, 3, 0x0c02)                                   # f3
q(B6, A6, 129, 0, 0x0c02, frm="b")                          # f4
q(B6, A6, 129, 3, 0x0c02, frm="b")                          # f5
# node information: Qtype 2 (node name) flags 0, nonce, subject = B's address
ni_rest = bytes.fromhex("00020000")
q(A6, B6, 139, 0, rest=ni_rest, data=b"nonce123" + addr_bytes(B6))        # f6
q(B6, A6, 140, 0, rest=ni_rest, data=b"nonce123" + b"\0\0\0\0\x01b\0", frm="b")  # f7
q(B6, A6, 129, 0, 0x0c03, frm="b")                          # f8
q(B6, A6, 140, 0, rest=bytes.fromhex("00030000"), data=b"nonce999", frm="b")  # f9
mld = bytes(16)                                             # MLDv1: delay + reserved in rest
q(LL_R, "ff02::1", 130, 0, rest=bytes.fromhex("03e80000"), data=mld, frm="r", hlim=1,
  dst_mac=mcast_mac("ff02::1"))                             # f10
grp = "ff02::1:3"
q(LL_A, grp, 131, 0, rest=bytes(4), data=addr_bytes(grp), hlim=1, dst_mac=mcast_mac(grp))   # f11
q(LL_A, "ff02::2", 132, 0, rest=bytes(4), data=addr_bytes(grp), hlim=1,
  dst_mac=mcast_mac("ff02::2"))                             # f12
# MLDv2 report: 1 record, type 4 (CHANGE_TO_EXCLUDE), no sources, with HBH router alert
rec = bytes([4, 0, 0, 0]) + addr_bytes(grp)
msg = icmp6(LL_A, "ff02::16", 143, 0, rest=bytes.fromhex("00000001"), data=rec)
hbh = ext_opts(58, bytes.fromhex("05020000"))               # router alert (MLD)
cap.add(ipv6(LL_A, "ff02::16", 0, hbh + msg, hlim=1), dst_mac=mcast_mac("ff02::16"))  # f13
q(LL_A, "ff02::2", 133, 0, rest=bytes(4), hlim=255, data=b"",
  dst_mac=mcast_mac("ff02::2"))                             # f14
ra_rest = bytes.fromhex("40000708")                         # hop limit 64, lifetime 1800
q(LL_R, "ff02::1", 134, 0, rest=ra_rest, data=bytes(8) +
  bytes([1, 1]) + bytes.fromhex(MAC_R.replace(":", "")), frm="r", hlim=255,
  dst_mac=mcast_mac("ff02::1"))                             # f15
sol = "ff02::1:ff00:b"
q(LL_A, sol, 135, 0, rest=bytes(4), data=addr_bytes(LL_B) + bytes([1, 1]) +
  bytes.fromhex(MAC_A.replace(":", "")), hlim=255, dst_mac=mcast_mac(sol))   # f16
q(LL_B, LL_A, 136, 0, rest=bytes.fromhex("60000000"), data=addr_bytes(LL_B), frm="b",
  hlim=255)                                                 # f17
udp_pkt = ipv6(A6, B6, 17, udp(A6, B6, 47001, 7601, b"redirect me, please"))
cap.add(udp_pkt)                                            # f18
# redirect: reserved(4) target(16) destination(16) options
target, dest = "fe80::b2", B6
quoted = udp_pkt[:48]
rh_opt = bytes([4, (8 + len(quoted)) // 8]) + bytes(6) + quoted
assert (8 + len(quoted)) % 8 == 0
tl_opt = bytes([2, 1]) + bytes.fromhex("020000000b02")


def redirect(src=LL_R, hlim=255, code=0, opts=rh_opt):
    m = icmp6(src, A6, 137, code, rest=bytes(4), data=addr_bytes(target) + addr_bytes(dest) + opts)
    cap.add(ipv6(src, A6, 58, m, hlim=hlim), frm="r")


redirect()                                                  # f19
redirect(hlim=64)                                           # f20
redirect(src=R6)                                            # f21
redirect(opts=b"")                                          # f22
redirect(opts=tl_opt)                                       # f23
redirect(code=1)                                            # f24
q(LL_R, "ff02::6a", 151, 0, rest=bytes.fromhex("00140000"), data=b"", frm="r", hlim=1,
  dst_mac=mcast_mac("ff02::6a"))                            # f25
q(LL_A, "ff02::2", 152, 0, rest=bytes(4), data=b"", hlim=1, dst_mac=mcast_mac("ff02::2"))  # f26
q(A6, B6, 200, 0, 0x0c04)                                   # f27
m = icmp6(LL_R, A6, 100, 0, rest=bytes(4), data=udp_pkt)
cap.add(ipv6(LL_R, A6, 58, m), frm="r")                     # f28
q(A6, B6, 128, 0, 0x0c05, cut=4)                            # f29
q(LL_R, "ff02::1", 130, 0, rest=bytes(4), data=mld, frm="r", hlim=1, cut=4,
  dst_mac=mcast_mac("ff02::1"))                             # f30
cap.add(ipv4(A4, B4, 58, icmp6(A6, B6, 128, 0, 0x0c06, 1, D)))   # f31
q(B6, A6, 129, 3, 0x0c02, seq=2, frm="b")                   # f32
cap.write("icmpv6-query-types.pcap")
