"""-m state with nested user chains and RETURN (rules_state_user_chain.v4,
kernel-replay --rules). FORWARD (policy DROP): RELATED,ESTABLISHED accept,
INVALID drop, LAN -> from_lan, udp/514 accept, -> last_resort, tcp accept.
from_lan: NEW -> services, icmp accept, RETURN, (tcp accept: never reached).
services: tcp/80 accept, tcp/8080 RETURN, udp/53 accept, (tcp/8080 accept:
never reached). last_resort: tcp/8443 `! --state NEW` accept, tcp/8443
RETURN, tcp/8080 DROP. Complements oracle-fixtures/rules/state-match-user-
chain-*: two levels of chains, an early RETURN, a rule after the jump that
sees the packets coming back, a fall-through to a later accept.

A = 192.0.2.1 (LAN), B = 198.51.100.2. Path in [brackets].
 f1-f3  A -> B:80 handshake      NEW [FORWARD > from_lan > services: tcp/80
                                 ACCEPT], then ESTABLISHED (first rule)
 f4, f5 data                     ESTABLISHED, ACCEPT
 f6     A -> B:8080 SYN          NEW [services RETURN (early) > from_lan:
                                 not icmp, RETURN > FORWARD: not 514 >
                                 last_resort: tcp/8080 DROP]. The later
                                 `services tcp/8080 ACCEPT` is never reached.
 f7, f8 UDP A -> B:53, reply     NEW [services udp/53 ACCEPT], ESTABLISHED
 f9, f10 ping A -> B, reply      NEW [services: no match, falls off the end =
                                 implicit RETURN > from_lan icmp ACCEPT]
 f11    UDP A -> B:514           NEW [services end > from_lan RETURN >
                                 FORWARD udp/514 ACCEPT]
 f12    UDP B -> A:514           NEW, not from the LAN [FORWARD udp/514 ACCEPT]
 f13    ping B -> A              NEW [last_resort: nothing > FORWARD: not tcp >
                                 policy DROP]
 f14    TCP B -> A:80 SYN        NEW [last_resort: nothing, falls off >
                                 FORWARD tcp ACCEPT]: the rule after the jump
                                 to last_resort accepts it
 f15    A -> B:8443 bare ACK     NEW (loose pickup) [services, from_lan RETURN,
                                 last_resort: `! --state NEW` no, tcp/8443
                                 RETURN > FORWARD tcp ACCEPT], entry 7
                                 ESTABLISHED timeout 300
 f16    B:8443 -> A data         ESTABLISHED/REPLY (first rule)
 f17    A -> B:8443 SYN+FIN      INVALID "invalid tcp flag combination", DROP
 f18    B:8443 -> A SYN/ACK      INVALID "invalid new", DROP
 f19-f21 close of the 80 flow    ESTABLISHED (FIN_WAIT, LAST_ACK, TIME_WAIT)
Counters: RELATED,ESTABLISHED 10, INVALID 2, -> from_lan 6, udp/514 2,
-> last_resort 4, FORWARD tcp 2, policy 1 (f13); from_lan: -> services 6,
icmp 1, RETURN 3, tcp 0; services: 80 1, 8080 RETURN 1, 53 1, 8080 accept
0; last_resort: `! NEW` 0, 8443 RETURN 1, 8080 DROP 1.
"""
from common import A4, B4, Capture, icmp4, ipv4
from common_helper import Conn, Udp

cap = Capture()


def echo(src, dst, typ, ident, seq, frm):
    return cap.add(ipv4(src, dst, 1, icmp4(typ, 0, ident, seq, b"ping-data-0123456")), frm=frm)


web = Conn(cap, A4, B4, 41080, 80, isn_a=1_000_000, isn_b=2_000_000)
web.open()                                                    # f1-f3
web.a(b"GET / HTTP/1.0\r\n\r\n")                              # f4
web.b(b"HTTP/1.0 200 OK\r\n\r\n")                             # f5
alt = Conn(cap, A4, B4, 41081, 8080, isn_a=3_000_000)
alt.seg("a", "S")                                             # f6 8080: services RETURN
dns = Udp(cap, A4, B4, 41053, 53)
dns.a(b"query")                                               # f7
dns.b(b"answer")                                              # f8
echo(A4, B4, 8, 0x51, 1, "a")                                 # f9  icmp from lan
echo(B4, A4, 0, 0x51, 1, "b")                                 # f10
syslog = Udp(cap, A4, B4, 41514, 514)
syslog.a(b"<13>lan syslog")                                   # f11 from_lan RETURN -> 514
Udp(cap, B4, A4, 42514, 514).a(b"<13>wan syslog")             # f12 from outside
echo(B4, A4, 8, 0x52, 1, "b")                                 # f13 icmp from outside
Conn(cap, B4, A4, 42080, 80, isn_a=4_000_000).seg("a", "S")   # f14 tcp from outside
mid = Conn(cap, A4, B4, 41443, 8443, isn_a=5_000_000, isn_b=6_000_000)
mid.seg("a", "A", ack=6_000_000)                              # f15 8443 mid-stream ACK (NEW)
mid.seg("b", "PA", b"reply")                                  # f16 its reply
Conn(cap, A4, B4, 41444, 8443, isn_a=7_000_000).seg("a", "SF")  # f17 INVALID
syn_ack = Conn(cap, B4, A4, 8443, 41445, isn_a=8_000_000)
syn_ack.seg("a", "SA", ack=123)                               # f18 INVALID (SYN/ACK first)
web.close()                                                   # f19-f21
cap.write("rules-state-user-chain.pcap")
