"""-g (goto) against -j (jump) (rules_goto.v4, kernel-replay --rules).
FORWARD (policy DROP): RELATED,ESTABLISHED accept; tcp -j tcp_in; udp
-g udp_in; icmp -g icmp_in; then tcp/7, tcp/22, udp/7, icmp ACCEPT.
tcp_in: tcp/22 -g ssh_gate, tcp/80 accept, tcp/7 RETURN, tcp/22 DROP.
ssh_gate: from .1 accept, from .2 RETURN (.3: falls off the end).
udp_in: udp/53 accept, udp/7 RETURN. icmp_in: echo request from the LAN.
The question: where does a RETURN (or the end of a chain) go? After a goto,
the chain that did the goto is no longer on the stack: RETURN from ssh_gate
goes back to FORWARD after `-j tcp_in` (not into tcp_in); RETURN from a chain
entered by -g from the base chain ends in the base chain's policy.

Client A = 192.0.2.1 (also .2, .3), server B = 198.51.100.2.
 f1  .1 -> B:22 SYN     tcp_in -g ssh_gate: ACCEPT (entry 1)
 f2  .2 -> B:22 SYN     ssh_gate RETURN -> FORWARD after `-j tcp_in`: udp/icmp
                        no, tcp/7 no, tcp/22 ACCEPT. Had RETURN gone back into
                        tcp_in, its `tcp/22 DROP` would have dropped it.
 f3  .3 -> B:22 SYN     ssh_gate falls off the end: the same, ACCEPT
 f4, f5 .1 -> B:80 SYN, SYN/ACK   tcp_in ACCEPT; ESTABLISHED (first rule)
 f6  .1 -> B:7 SYN      tcp_in RETURN -> FORWARD tcp/7 ACCEPT
 f7  UDP -> B:53        -g udp_in: ACCEPT
 f8  UDP -> B:7         -g udp_in RETURN: back to FORWARD's caller = the hook:
                        policy DROP (FORWARD's `udp/7 ACCEPT` is never reached)
 f9  UDP -> B:123       udp_in falls off the end: policy DROP
 f10 ping .1 -> B       -g icmp_in ACCEPT
 f11 ping B -> .1       icmp_in falls off: policy DROP, not FORWARD's `icmp
                        ACCEPT`
 f12 .1 -> B:443 SYN    tcp_in falls off (implicit RETURN of a -j): FORWARD
                        goes on, no rule matches: policy DROP
All dropped frames are NEW, no entry. Counters: FORWARD policy 4 (f8, f9,
f11, f12), -j tcp_in 6, -g udp_in 3, -g icmp_in 2, FORWARD tcp/7 1, tcp/22 2,
udp/7 0, icmp 0; tcp_in: -g ssh_gate 3, 80 1, 7 RETURN 1, 22 DROP 0;
ssh_gate: .1 accept 1, .2 RETURN 1.
"""
from common import A4, B4, Capture, icmp4, ipv4
from common_helper import Conn, Udp

A2, A3 = "192.0.2.2", "192.0.2.3"
cap = Capture()


def echo(src, dst, typ, ident, seq, frm):
    return cap.add(ipv4(src, dst, 1, icmp4(typ, 0, ident, seq, b"ping-data-0123456")), frm=frm)


def syn(src, sport, dport, isn):
    return Conn(cap, src, B4, sport, dport, isn_a=isn).seg("a", "S")


syn(A4, 43022, 22, 1_000_000)      # f1 ssh from .1: tcp_in -g ssh_gate ACCEPT
syn(A2, 43023, 22, 1_100_000)      # f2 ssh from .2: ssh_gate RETURN -> FORWARD after -j tcp_in
syn(A3, 43024, 22, 1_200_000)      # f3 ssh from .3: ssh_gate falls off the end -> same
web = Conn(cap, A4, B4, 43080, 80, isn_a=2_000_000, isn_b=2_500_000)
web.syn()                          # f4, f5 tcp_in ACCEPT, reply ESTABLISHED
syn(A4, 43007, 7, 3_000_000)       # f6 tcp 7: tcp_in RETURN -> FORWARD tcp 7 ACCEPT
Udp(cap, A4, B4, 43053, 53).a(b"query")     # f7 udp_in ACCEPT
Udp(cap, A4, B4, 43107, 7).a(b"echo me")    # f8 udp 7: udp_in RETURN -> policy DROP
Udp(cap, A4, B4, 43123, 123).a(b"ntp")      # f9 udp_in falls off -> policy DROP
echo(A4, B4, 8, 0x61, 1, "a")      # f10 icmp_in ACCEPT
echo(B4, A4, 8, 0x62, 1, "b")      # f11 icmp_in falls off -> policy (not FORWARD -p icmp ACCEPT)
syn(A4, 43443, 443, 4_000_000)     # f12 tcp_in falls off (implicit return) -> FORWARD ... policy
cap.write("rules-goto.pcap")
