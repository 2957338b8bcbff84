"""An nft host firewall for both families (local_nft.nft, table inet host):
input policy drop: iif lo; ct state established,related; invalid drop;
untracked accept; echo requests; tcp dport @tcp_services {80, 8080} ct state
new; udp ct state new -> jump udp_in (udp/7 accept, udp/9 `reject` (default:
icmpx port-unreachable), udp/10 v4 `reject with icmp host-prohibited` / v6
`reject with icmpv6 addr-unreachable`, counter return); tcp/81 `reject with
tcp reset`; tcp/82 `reject with icmpx admin-prohibited`; a final counter.
output policy accept: `ct direction reply` counter accept; daddr
@blocked_out {192.0.2.11} `reject with icmp admin-prohibited`; tcp/25
`reject with tcp reset`. Static neighbours (no NDP).

 f1-f4    ping v4 and v6: NEW (entries 1, 2), replies ESTABLISHED/REPLY
 f5-f15   HTTP over IPv4 to :80 (entry 3) ... TIME_WAIT
 f16, f17 [2001:db8::1]:8080 in the set, no listener: NEW accepted (entry 4),
          the stack's RST/ACK ESTABLISHED/REPLY, DESTROY 4
 f18-f21  UDP echo v4, v6: jump udp_in, accept (entries 5, 6)
 f22, f23 v4 udp/9 `reject`: ICMP type 3 code 3, RELATED/REPLY; ECONNREFUSED
 f24, f25 v6 udp/9 `reject`: ICMPv6 type 1 code 4 (icmpx port-unreachable);
          ECONNREFUSED
 f26, f27 v4 udp/10 host-prohibited: ICMP type 3 code 10; EHOSTUNREACH
 f28, f29 v6 udp/10 addr-unreachable: ICMPv6 type 1 code 3; the connected UDP
          socket reports nothing (timeout)
 f30, f31 v4 tcp/81 tcp reset: RST/ACK RELATED/REPLY; ECONNREFUSED
 f32-f35  v6 tcp/82 icmpx admin-prohibited: ICMPv6 type 1 code 1 twice (the
          first is a soft error for connect(), the SYN is retransmitted
          after 1 s), then EACCES
 f36      v4 udp/123: udp_in returns (counter return), input's last counter,
          policy drop
 f37-f47  the firewall's own HTTP client to 192.0.2.10:80 (entry 7): output
          packets NEW / ESTABLISHED ORIGINAL, replies in ESTABLISHED/REPLY
 L48-L50  firewall -> 192.0.2.11:80, output `reject with icmp admin-prohibited`:
          SYN NEW DROP in OUTPUT; ICMP type 3 code 13 192.0.2.1 > 192.0.2.1 over
          lo RELATED/REPLY; connect() EHOSTUNREACH
 L51-L53  firewall -> [2001:db8::10]:25, `reject with tcp reset`: RST/ACK over
          lo RELATED/REPLY; ECONNREFUSED
All REJECT answers (wire and lo) pass the output chain as ct direction reply:
its `ct direction reply` counter (19) counts every answer of the firewall's
services, its ICMP/RST rejections and the two looped-back REJECT answers; the
last output counter (6) is the firewall's own client (original direction).
"""
CLI4, CLI4B, FW4 = "192.0.2.10", "192.0.2.11", "192.0.2.1"
CLI6, FW6 = "2001:db8::10", "2001:db8::1"
TOPOLOGY = {"ipv6": True, "dynamic_nd6": False}
RULES = {"nft": "local_nft.nft"}
SERVICES = [
    ("fw", "tcp-server", {"addr": "::", "port": 80}),
    ("fw", "udp-echo", {"addr": "::", "port": 7}),
    ("cli", "tcp-server", {"addr": "0.0.0.0", "port": 80}),
]
STEPS = [
    ("cli", "ping", {"dst": FW4, "ident": 0x4001}),
    ("cli", "ping", {"dst": FW6, "ident": 0x4002}),
    ("cli", "tcp", {"dst": FW4, "port": 80, "sport": 44080}),
    ("cli", "tcp", {"dst": FW6, "port": 8080, "sport": 44088}),
    ("cli", "udp", {"dst": FW4, "port": 7, "sport": 44007, "send": "echo v4"}),
    ("cli", "udp", {"dst": FW6, "port": 7, "sport": 44017, "send": "echo v6"}),
    ("cli", "udp", {"dst": FW4, "port": 9, "sport": 44009}),
    ("cli", "udp", {"dst": FW6, "port": 9, "sport": 44019}),
    ("cli", "udp", {"dst": FW4, "port": 10, "sport": 44010}),
    ("cli", "udp", {"dst": FW6, "port": 10, "sport": 44020}),
    ("cli", "tcp", {"dst": FW4, "port": 81, "sport": 44081}),
    ("cli", "tcp", {"dst": FW6, "port": 82, "sport": 44082}),
    ("cli", "udp", {"dst": FW4, "port": 123, "sport": 44123, "timeout": 0.5}),
    ("fw", "tcp", {"dst": CLI4, "port": 80, "sport": 44180}),
    ("fw", "tcp", {"dst": CLI4B, "port": 80, "sport": 44181}),
    ("fw", "tcp", {"dst": CLI6, "port": 25, "sport": 44125}),
]
