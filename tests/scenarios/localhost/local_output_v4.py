"""The firewall host as a client, OUTPUT policy DROP (local_output_v4.v4):
INPUT policy DROP (lo, RELATED,ESTABLISHED); OUTPUT: -o lo, RELATED,
ESTABLISHED, NEW echo request / tcp/80 / udp/53 accept; REJECT tcp/25
tcp-reset, tcp/8081 icmp-port-unreachable, udp/9 icmp-port-unreachable;
the rest the policy. Servers in the client namespace: tcp/80 and udp/53 on
192.0.2.10 (nothing on 192.0.2.11).

Frames on fw0 (20) and packets that never reached the wire (local-only.jsonl,
L<n>):
 f1, f2   ping 192.0.2.10: out NEW/ORIGINAL (OUTPUT>POSTROUTING, socket),
          entry 1; reply in ESTABLISHED/REPLY, ACCEPT by INPUT
 f3-f13   HTTP to 192.0.2.10:80: SYN out NEW (entry 2), SYN/ACK in
          ESTABLISHED/REPLY, ... TIME_WAIT
 f14, f15 DNS to 192.0.2.10:53: NEW out (entry 3), answer in ESTABLISHED/REPLY
 f16, f17 DNS to 192.0.2.11:53: NEW out (entry 4); the client's ICMP port
          unreachable comes in RELATED/REPLY and is accepted; ECONNREFUSED
 L18-L20  tcp/25 REJECT tcp-reset in OUTPUT: the SYN (OUTPUT, NEW, DROP) never
          leaves; the RST/ACK is made from the other end's address
          (192.0.2.10:25 > 192.0.2.1) and routed over lo: OUTPUT and
          POSTROUTING on lo as RELATED/REPLY, then PREROUTING/INPUT on lo
          RELATED/REPLY (the entry stays attached across the loopback), to the
          local socket: connect() ECONNREFUSED at once. No entry.
 L21-L23  tcp/8081 REJECT icmp-port-unreachable: ICMP 192.0.2.1 > 192.0.2.1
          over lo, RELATED/REPLY both ways; connect() ECONNREFUSED
 L24-L26  udp/9 REJECT: the same ICMP over lo, but send() already returned
          EPERM (the datagram was dropped)
 L27-L29  tcp/22, OUTPUT policy DROP: three SYNs (0, 1, 2 s), each NEW and DROP
          in OUTPUT, nothing on the wire; connect() keeps retrying: timeout
 L30      udp/123, policy DROP: send() EPERM
 f18      ping from the client: NEW, INPUT policy DROP
 f19, f20 client SYN to tcp/80 (+ retransmission): NEW, INPUT DROP
 L34-L37  ping 198.51.100.1 (own lo address): over lo, OUTPUT NEW (entry 5,
          confirmed at POSTROUTING), the same packet in PREROUTING/INPUT on lo
          still NEW (conntrack skips a packet that already has its entry),
          the reply ESTABLISHED/REPLY out and in: loopback traffic is tracked
          (L31-L33 are the frames f18-f20)
Counters: OUTPUT policy DROP 4 (L27-L30); OUTPUT -o lo 5, RELATED,ESTABLISHED
5; NEW echo 1, tcp/80 1, udp/53 2; each REJECT 1. INPUT -i lo 5; RELATED,
ESTABLISHED 8; policy 3 (f18-f20).
"""
CLI, CLI_B, FW, FW_LO = "192.0.2.10", "192.0.2.11", "192.0.2.1", "198.51.100.1"
TOPOLOGY = {"ipv6": False}
RULES = {"v4": "local_output_v4.v4"}
SERVICES = [
    ("cli", "tcp-server", {"addr": CLI, "port": 80}),
    ("cli", "udp-echo", {"addr": CLI, "port": 53}),
]
STEPS = [
    ("fw", "ping", {"dst": CLI, "ident": 0x2001}),
    ("fw", "tcp", {"dst": CLI, "port": 80, "sport": 42080}),
    ("fw", "udp", {"dst": CLI, "port": 53, "sport": 42053, "send": "query"}),
    ("fw", "udp", {"dst": CLI_B, "port": 53, "sport": 42054, "send": "query"}),
    ("fw", "tcp", {"dst": CLI, "port": 25, "sport": 42025}),
    ("fw", "tcp", {"dst": CLI, "port": 8081, "sport": 42081}),
    ("fw", "udp", {"dst": CLI, "port": 9, "sport": 42009}),
    ("fw", "tcp", {"dst": CLI, "port": 22, "sport": 42022, "timeout": 2.5}),
    ("fw", "udp", {"dst": CLI, "port": 123, "sport": 42123, "timeout": 0.5}),
    ("cli", "ping", {"dst": FW, "ident": 0x2002, "timeout": 0.5}),
    ("cli", "tcp", {"dst": FW, "port": 80, "sport": 42180, "timeout": 1.5}),
    ("fw", "ping", {"dst": FW_LO, "ident": 0x2003}),
]
