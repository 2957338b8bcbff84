"""A stateful forward firewall, three ways, on one capture: the classic
-m conntrack ruleset (rules-conntrack-forward: rules_conntrack_forward.v4,
policy DROP, ESTABLISHED,RELATED accept, INVALID drop, NEW by port from the
LAN), the same policy with more constructs (rules-forward-chains:
rules_forward_chains.v4: --ctdir, a SYN check on NEW tcp, a user chain ending
in RETURN, REJECT tcp-reset / icmp-port-unreachable instead of the silent
policy) and that ruleset in nft (rules-nft-forward: rules_nft_forward.nft:
ct state, ct direction, named sets, jump/return, reject). Bridged, so only
FORWARD matters; kernel-replay's default helper rules match nothing here.

A = 192.0.2.1 (LAN 192.0.2.0/24), B = 198.51.100.2, R = 203.0.113.9.
"classic" | "chains" (= "nft": every frame got the same verdict, the nft
counters equal the iptables ones rule for rule).
 f1-f3  A:40080 -> B:80 handshake   NEW ACCEPT (entry 1), ESTABLISHED/REPLY,
                                    ESTABLISHED | same
 f4, f5 GET / response              ESTABLISHED both ways, ACCEPT | same
 f6     A:40025 -> B:25 SYN         NEW, DROP by the policy | DROP by REJECT
                                    tcp-reset (silent on the bridge: it has no
                                    address or route, nothing is sent)
 f7     its retransmission (1 s)    NEW again (f6 left no entry), DROP | DROP
 f8     B:25 SYN/ACK anyway         INVALID "nf_ct_proto_6: invalid new" (a
                                    SYN/ACK cannot create an entry), DROP | DROP
 f9     B:50022 -> A:22 SYN         NEW from outside, DROP | DROP (REJECT)
 f10    A:40443 -> B:443 bare ACK   NEW (loose pickup: an ACK is NEW too),
                                    ACCEPT, entry 2 ESTABLISHED timeout 300 |
                                    DROP by the `! --syn` NEW rule (no entry)
 f11    B:443 -> A data             ESTABLISHED/REPLY of entry 2, ACCEPT |
                                    NEW/ORIGINAL (a new B->A pickup), DROP by
                                    the `! --syn` rule
 f12, f13 UDP A -> B:53, reply      NEW ACCEPT, ESTABLISHED/REPLY | same
 f14    UDP A -> B:123              NEW, DROP | DROP (REJECT port-unreach)
 f15    UDP B:123 -> A reply        NEW/ORIGINAL (f14 left nothing: the reply
                                    starts its own flow), DROP | DROP
 f16, f17 ping A -> B, reply        NEW ACCEPT, ESTABLISHED/REPLY | same
 f18    ping B -> A                 NEW, DROP | DROP
 f19    B: port unreach quoting f12 RELATED/REPLY of the DNS entry, ACCEPT | same
                                    (ct direction reply)
 f20    R: time exceeded quoting f4 RELATED/REPLY of entry 1 (any source may
                                    send it), ACCEPT | same
 f21    A: port unreach quoting f13 RELATED/ORIGINAL (an error travelling in
        (B's reply)                 the original direction), ACCEPT |
                                    DROP: RELATED only with --ctdir REPLY; it
                                    is not NEW, so it falls to the REJECT
 f22    B: port unreach quoting f14 INVALID (quotes a flow without entry), DROP
 f23    A -> B:80 seq 10^7 ahead    INVALID "SEQ is over upper bound 1065555
                                    (over the window of the receiver)", DROP
 f24    A:40666 -> B:80 SYN+FIN     INVALID "invalid tcp flag combination", DROP
 f25-f27 FIN, FIN, ACK of entry 1   ESTABLISHED, FIN_WAIT, LAST_ACK, TIME_WAIT
 f28, f29 A:40022 -> B:22 SYN, SYN/ACK  NEW ACCEPT, ESTABLISHED/REPLY SYN_RECV
 f30    A RST                       ESTABLISHED/ORIGINAL, CLOSE timeout 10
Counters (classic): ESTABLISHED,RELATED 15, INVALID 4, tcp ports 3, udp 53 1,
icmp 1, policy 6. Chains / nft: ESTABLISHED 11, RELATED+reply 2, INVALID 4,
`! --syn` NEW 2, jump lan_out 7 (accept tcp 2, udp 1, icmp 1; RETURN 3),
REJECT tcp-reset 3, REJECT icmp 4, policy 0. table.txt: classic 5 entries
(with the 443 pickup), chains/nft 4.
"""
from common import A4, B4, R4, Capture, icmp4, ipv4
from common_helper import Conn, Udp
from common_l4 import icmp4_err

cap = Capture()


def echo(src, dst, typ, ident, seq, frm):
    return cap.add(ipv4(src, dst, 1, icmp4(typ, 0, ident, seq, b"ping-data-0123456")), frm=frm)


def err(src, dst, typ, code, quote, frm):
    return cap.add(ipv4(src, dst, 1, icmp4_err(typ, code, quote[:28])), frm=frm)


web = Conn(cap, A4, B4, 40080, 80, isn_a=1_000_000, isn_b=2_000_000)
web.open()                                                   # f1-f3
get = web.a(b"GET / HTTP/1.0\r\n\r\n")                       # f4
web.b(b"HTTP/1.0 200 OK\r\n\r\nhello")                       # f5
smtp = Conn(cap, A4, B4, 40025, 25, isn_a=3_000_000, isn_b=4_000_000)
smtp.seg("a", "S")                                           # f6
smtp.seg("a", "S", seq=3_000_000, gap=1.0)                   # f7 retransmission
smtp.seg("b", "SA")                                          # f8 SYN/ACK anyway
Conn(cap, B4, A4, 50022, 22, isn_a=5_000_000).seg("a", "S")  # f9 outside -> inside
tls = Conn(cap, A4, B4, 40443, 443, isn_a=6_000_000, isn_b=7_000_000)
tls.seg("a", "A", ack=7_000_000)                             # f10 mid-stream ACK
tls.seg("b", "PA", b"tls-record")                            # f11 reply data
dns = Udp(cap, A4, B4, 40053, 53)
q = dns.a(b"dns-query")                                      # f12
r = dns.b(b"dns-answer")                                     # f13
ntp = Udp(cap, A4, B4, 40123, 123)
nq = ntp.a(b"ntp-request")                                   # f14
ntp.b(b"ntp-reply")                                          # f15
echo(A4, B4, 8, 0x77, 1, "a")                                # f16
echo(B4, A4, 0, 0x77, 1, "b")                                # f17
echo(B4, A4, 8, 0x99, 1, "b")                                # f18
err(B4, A4, 3, 3, bytes(q)[14:], "b")                        # f19 port unreach quoting f12
err(R4, A4, 11, 0, bytes(get)[14:], "r")                     # f20 time exceeded quoting f4
err(A4, B4, 3, 3, bytes(r)[14:], "a")                        # f21 A's port unreach quoting f13
err(B4, A4, 3, 3, bytes(nq)[14:], "b")                       # f22 quoting the dropped f14
web.seg("a", "PA", b"far-ahead", seq=1_000_000 + 10_000_000, advance=False)  # f23 out of window
Conn(cap, A4, B4, 40666, 80, isn_a=8_000_000).seg("a", "SF")  # f24 SYN+FIN
web.seg("a", "FA")                                           # f25
web.seg("b", "FA")                                           # f26
web.seg("a", "A")                                            # f27
ssh = Conn(cap, A4, B4, 40022, 22, isn_a=9_000_000, isn_b=9_500_000)
ssh.syn()                                                    # f28, f29
ssh.seg("a", "R")                                            # f30
cap.write("rules-conntrack-forward.pcap")
