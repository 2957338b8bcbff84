"""IPv6 host firewall with real neighbour discovery (local_ipv6.v6): INPUT
policy DROP; lo; RELATED,ESTABLISHED; INVALID drop; ICMPv6 UNTRACKED accept
(that is neighbour discovery); NEW echo request; tcp/80 NEW with SYN only;
udp/7; REJECT tcp/81 icmp6-adm-prohibited, tcp/82 tcp-reset, udp/9
icmp6-port-unreachable, udp/10 icmp6-adm-prohibited; OUTPUT ACCEPT except
tcp/25 REJECT tcp-reset. fw0 2001:db8::1 + fe80::1, lo 2001:db8:1::1;
client 2001:db8::10 + fe80::10; no static IPv6 neighbours here (DAD, RS off;
delay_first_probe_time 60 s, so no later probes).

 f1, f2   NS from the client (to ff02::1:ff00:1) and the firewall's NA: both
          UNTRACKED, the NS accepted by the UNTRACKED rule, the NA out by the
          OUTPUT policy; no entry
 f3, f4   ping 2001:db8::1: NEW (entry 1), reply ESTABLISHED/REPLY
 f5, f6   ping 2001:db8:1::1 (lo address): the same (entry 2)
 f7-f17   HTTP to [2001:db8::1]:80: entry 3, SYN_SENT ... TIME_WAIT
 f18, f19 UDP echo: entry 4
 f20-f23  tcp/81 REJECT icmp6-adm-prohibited: SYN NEW DROP, ICMPv6 type 1
          code 1 out RELATED/REPLY, generated during the hooks; the first one
          reaches the client while connect() holds the socket (soft error), so
          the SYN is retransmitted 1 s later: NEW DROP again, second ICMPv6;
          only then EACCES (the same in every run)
 f24, f25 tcp/82 REJECT tcp-reset: RST/ACK RELATED/REPLY; ECONNREFUSED
 f26, f27 udp/9: ICMPv6 type 1 code 4 RELATED/REPLY; ECONNREFUSED
 f28, f29 udp/10: ICMPv6 type 1 code 1 RELATED/REPLY; EACCES
 f30-f32  tcp/83 policy DROP: 3 SYNs (0, 1, 2 s), NEW DROP; timeout
 f33-f43  the firewall connects to [2001:db8::10]:80: OUTPUT NEW (entry 5),
          replies come in ESTABLISHED/REPLY, TIME_WAIT at the end
 L44-L46  firewall -> :25, REJECT tcp-reset in OUTPUT: SYN NEW DROP in OUTPUT,
          RST/ACK over lo RELATED/REPLY (OUTPUT/POSTROUTING, then INPUT -i lo);
          connect() ECONNREFUSED
 f44, f45 firewall -> [2001:db8::10]:8080 (closed): SYN out NEW (entry 6), the
          client's RST/ACK in ESTABLISHED/REPLY: DESTROY 6 at once
Counters: INPUT policy 3 (f30-f32); -i lo 1 (the looped RST); RELATED,
ESTABLISHED 11; UNTRACKED 1 (the NS); echo 2; tcp/80 1; udp/7 1; REJECT 81
2, 82 1, 9 1, 10 1; OUTPUT tcp/25 REJECT 1, OUTPUT policy 22 (every frame
sent, the NA and the REJECT answers included, plus the looped RST).
"""
CLI, FW, FW_LO = "2001:db8::10", "2001:db8::1", "2001:db8:1::1"
TOPOLOGY = {"ipv6": True, "dynamic_nd6": True}
RULES = {"v6": "local_ipv6.v6"}
SERVICES = [
    ("fw", "tcp-server", {"addr": "::", "port": 80}),
    ("fw", "udp-echo", {"addr": "::", "port": 7}),
    ("cli", "tcp-server", {"addr": "::", "port": 80}),
]
STEPS = [
    ("cli", "ping", {"dst": FW, "ident": 0x3001}),
    ("cli", "ping", {"dst": FW_LO, "ident": 0x3002}),
    ("cli", "tcp", {"dst": FW, "port": 80, "sport": 43080}),
    ("cli", "udp", {"dst": FW, "port": 7, "sport": 43007, "send": "echo me"}),
    ("cli", "tcp", {"dst": FW, "port": 81, "sport": 43081}),
    ("cli", "tcp", {"dst": FW, "port": 82, "sport": 43082}),
    ("cli", "udp", {"dst": FW, "port": 9, "sport": 43009}),
    ("cli", "udp", {"dst": FW, "port": 10, "sport": 43010}),
    ("cli", "tcp", {"dst": FW, "port": 83, "sport": 43083, "timeout": 2.5}),
    ("fw", "tcp", {"dst": CLI, "port": 80, "sport": 43180}),
    ("fw", "tcp", {"dst": CLI, "port": 25, "sport": 43125}),
    ("fw", "tcp", {"dst": CLI, "port": 8080, "sport": 43188}),
]
