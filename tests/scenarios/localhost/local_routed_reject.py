"""A router's FORWARD chain with REJECT, where the answers really leave
(local_routed_reject.v4; topology routed: cli 192.0.2.10 -- fw0 192.0.2.1
[firewall, ip_forward=1] 203.0.113.1 fw1 -- srv 203.0.113.10; captures on fw0
(replayed.pcap) and fw1 (replayed-fw1.pcap), merged by time in packets.jsonl
with `if`/`if_frame`; a forwarded packet appears twice, the egress copy with
`forwarded_from`). FORWARD policy DROP: RELATED,ESTABLISHED; INVALID drop;
fw0->fw1 NEW tcp/80, udp/7, echo request; REJECT tcp/25 tcp-reset, udp/9
icmp-port-unreachable, tcp/113 icmp-host-prohibited; anything NEW from fw1
icmp-admin-prohibited. INPUT: RELATED,ESTABLISHED, echo request.

 f1-f4    ping cli -> srv: NEW (entry 1) on fw0, the same packet out on fw1
          (PREROUTING>FORWARD>POSTROUTING), the reply likewise
 f5-f26   HTTP cli -> srv:80 (entry 2), every segment seen twice
 f27-f30  UDP echo (entry 3)
 f31, f32 cli -> srv:25 SYN: NEW, DROP in FORWARD; RST/ACK out of fw0 with the
          SERVER's address as source (203.0.113.10:25 > 192.0.2.10),
          RELATED/REPLY, through OUTPUT and POSTROUTING; no entry; client
          ECONNREFUSED
 f33, f34 udp/9: ICMP port unreachable from 192.0.2.1 (the router's address
          on the way back), RELATED/REPLY; ECONNREFUSED
 f35, f36 tcp/113: ICMP type 3 code 10 from 192.0.2.1; EHOSTUNREACH
 f37-f39  tcp/22: policy DROP, 3 SYNs, no answer; timeout
 f40, f41 srv -> cli:80 SYN: NEW, REJECT admin-prohibited: ICMP type 3 code 13
          from 203.0.113.1 out of fw1; EHOSTUNREACH
 f42, f43 ping cli -> srv with TTL 1: NEW at PREROUTING, then dropped by the
          forwarding code before the FORWARD hook (verdict DROP, no entry);
          the ICMP time exceeded from 192.0.2.1 is RELATED/REPLY
 f44-f47  pings to the router's own addresses: INPUT, NEW (entries 4, 5)
Counters: FORWARD policy 3 (f37-f39); RELATED,ESTABLISHED 12; NEW 80/7/echo
1 each; each REJECT 1; INPUT echo 2; OUTPUT policy 7 (the 5 REJECT/ICMP
answers and 2 echo replies: the router's own packets).
"""
CLI, FW, FW_SRV, SRV = "192.0.2.10", "192.0.2.1", "203.0.113.1", "203.0.113.10"
TOPOLOGY = {"ipv6": False, "routed": True}
RULES = {"v4": "local_routed_reject.v4"}
SERVICES = [
    ("srv", "tcp-server", {"addr": SRV, "port": 80}),
    ("srv", "tcp-server", {"addr": SRV, "port": 25}),
    ("srv", "udp-echo", {"addr": SRV, "port": 7}),
    ("srv", "udp-echo", {"addr": SRV, "port": 9}),
    ("cli", "tcp-server", {"addr": CLI, "port": 80}),
]
STEPS = [
    ("cli", "ping", {"dst": SRV, "ident": 0x5001}),
    ("cli", "tcp", {"dst": SRV, "port": 80, "sport": 46080}),
    ("cli", "udp", {"dst": SRV, "port": 7, "sport": 46007, "send": "echo me"}),
    ("cli", "tcp", {"dst": SRV, "port": 25, "sport": 46025}),
    ("cli", "udp", {"dst": SRV, "port": 9, "sport": 46009}),
    ("cli", "tcp", {"dst": SRV, "port": 113, "sport": 46113}),
    ("cli", "tcp", {"dst": SRV, "port": 22, "sport": 46022, "timeout": 2.5}),
    ("srv", "tcp", {"dst": CLI, "port": 80, "sport": 46180}),
    ("cli", "ping", {"dst": SRV, "ident": 0x5002, "ttl": 1}),
    ("cli", "ping", {"dst": FW, "ident": 0x5003}),
    ("srv", "ping", {"dst": FW_SRV, "ident": 0x5004}),
]
