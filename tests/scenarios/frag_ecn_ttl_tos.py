"""ECN, TOS/traffic class, TTL/hop limit and DF differing between the fragments
of one datagram (IPv4, IPv6; default sysctls).

Reassembly ORs one bit per fragment's ECN codepoint into the queue
(ip4_frag_ecn / ip6_frag_ecn) and looks the set up in ip_frag_ecn_table when
the datagram completes: Not-ECT mixed with any ECT/CE codepoint is invalid
(0xff) and the whole datagram is dropped at that moment (IPv4: ip_frag_reasm
fails; IPv6: nf_ct_frag6_reasm fails and the frame is "stolen"); CE with
ECT(0)/ECT(1) gives CE on the reassembled packet; other mixes leave the
header as it is. Nothing else is compared: the reassembled header (TOS, TTL,
DF...) is the one of the fragment at offset 0, whatever the arrival order
(IPv4 DF is set on the result only if the largest fragment had DF). See
reassembled.jsonl for the bytes conntrack got. Each datagram: its own UDP
flow, 40 bytes, a = [0,16) M=1, b = [16,40) last, in the order given.
ECN: N = Not-ECT (0), 1 = ECT(1), 0 = ECT(0), CE (3).

 per family (v4 f1-f21 A4 192.0.2.1 -> B4 198.51.100.2, TOS byte;
             v6 f22-f40 A6 2001:db8::1 -> B6 2001:db8:1::2, traffic class):
 E1 a ECT(0), b ECT(0)                 NEW, reassembled ECT(0)
 E2 a N, b ECT(0)                      invalid mix: dropped on completion, never seen
 E3 a ECT(0), b CE                     NEW, reassembled CE
 E4 a CE, b N                          dropped
 E5 a ECT(0), b ECT(1)                 NEW, header of a (ECT(0)) kept
 E6 a ECT(1), b [16,24) CE, c [24,40) ECT(0)    NEW, reassembled CE
 E7 b DSCP 0 first, then a DSCP 46 (EF)         NEW, reassembled DSCP 46 (from a)
 E8 b TTL 200 first, then a TTL 3               NEW, reassembled TTL 3
 v4 only:
 E9  a DF, b DF                        NEW, reassembled with DF
 E10 a DF, b without                   NEW (DF cleared: the largest fragment, b, had none)
 v6 only:
 E9' a flow label 0x12345, b flow label 0x54321 NEW (flow label of a)
"""
from common import A4, B4, A6, B6, Capture, udp
from common_frag import frag4, frag6, pattern

cap = Capture()
N, E1_, E0, CE = 0, 1, 2, 3


def dg(fam, k, parts):
    """parts: list of (off, end, dict of header fields)."""
    src, dst = (A4, B4) if fam == 4 else (A6, B6)
    seg = udp(src, dst, 42100 + k + (50 if fam == 6 else 0), 5490, pattern(32, k))
    ident = (0x2100 if fam == 4 else 0x7100) + k
    cap.wait(0.01)
    for off, end, f in parts:
        more = end < 40
        if fam == 4:
            cap.add(frag4(src, dst, 17, seg[off:end], off, more, ident, tos=f.get("tos", 0),
                          ttl=f.get("ttl", 64), df=f.get("df", False)))
        else:
            raw = frag6(src, dst, 17, seg[off:end], off, more, ident, tclass=f.get("tos", 0),
                        hlim=f.get("ttl", 64))
            if "flow" in f:
                first = int.from_bytes(raw[:4], "big") | f["flow"]
                raw = first.to_bytes(4, "big") + raw[4:]
            cap.add(raw)


for fam in (4, 6):
    A, B = (0, 16), (16, 40)
    dg(fam, 1, [A + ({"tos": E0},), B + ({"tos": E0},)])
    dg(fam, 2, [A + ({"tos": N},), B + ({"tos": E0},)])
    dg(fam, 3, [A + ({"tos": E0},), B + ({"tos": CE},)])
    dg(fam, 4, [A + ({"tos": CE},), B + ({"tos": N},)])
    dg(fam, 5, [A + ({"tos": E0},), B + ({"tos": E1_},)])
    dg(fam, 6, [A + ({"tos": E1_},), (16, 24, {"tos": CE}), (24, 40, {"tos": E0})])
    dg(fam, 7, [B + ({"tos": 0},), A + ({"tos": 46 << 2},)])
    dg(fam, 8, [B + ({"ttl": 200},), A + ({"ttl": 3},)])
    if fam == 4:
        dg(fam, 9, [A + ({"df": True},), B + ({"df": True},)])
        dg(fam, 10, [A + ({"df": True},), B + ({},)])
    else:
        dg(fam, 9, [A + ({"flow": 0x12345},), B + ({"flow": 0x54321},)])

cap.write("frag-ecn-ttl-tos.pcap")
