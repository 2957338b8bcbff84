"""The firewall host's own services behind INPUT (local_input_v4.v4):
INPUT policy DROP; lo; RELATED,ESTABLISHED; INVALID drop; NEW echo request,
tcp/80 (a server runs), tcp/8080 (no server), udp/7 (UDP echo), udp/5000
(no server, accepted in any state); REJECT tcp/81 tcp-reset, tcp/82 (default
icmp-port-unreachable), udp/9 icmp-port-unreachable, udp/10
icmp-admin-prohibited; everything else (tcp/83, udp/123) the policy. OUTPUT
ACCEPT. The client namespace (192.0.2.10) talks to 192.0.2.1 (fw0) and to
198.51.100.1 (on the firewall's lo: local, not the interface's address).

Frames on fw0 ("in" = to the firewall, "out" = sent by it; "kernel" = no
socket with a file: SYN/ACK, TIME_WAIT ACK, RST, ICMP, REJECT replies):
 f1, f2   ping 192.0.2.1: NEW/ORIGINAL ACCEPT (PREROUTING>INPUT), entry 1;
          echo reply out ESTABLISHED/REPLY (kernel)
 f3, f4   ping 198.51.100.1: the same (entry 2): any local address is INPUT
 f5-f15   HTTP to 192.0.2.1:80: SYN NEW ACCEPT (entry 3); SYN/ACK out
          ESTABLISHED/REPLY SYN_RECV; ... server FIN first (FIN_WAIT), client
          ACK (CLOSE_WAIT, delayed ~40 ms by the client), client FIN
          (LAST_ACK), last ACK out from the TIME_WAIT socket (TIME_WAIT)
 f16-f26  the same to 198.51.100.1:80 (entry 4)
 f27, f28 UDP echo: NEW ACCEPT (entry 5), reply out (socket) ESTABLISHED/REPLY
 f29, f30 tcp/8080, no listener: SYN NEW ACCEPT and confirmed (NEW 6), the
          stack's RST/ACK out is ESTABLISHED/REPLY and kills the entry at once
          (DESTROY 6: only reply was a RST); client: ECONNREFUSED
 f31, f32 udp/5000, no listener: NEW ACCEPT (entry 7); the stack's ICMP port
          unreachable out is RELATED/REPLY of entry 7, which stays UNREPLIED
 f33, f34 tcp/81 REJECT tcp-reset: the SYN is NEW and DROP (never reaches the
          INPUT 400 log, no entry); the RST/ACK is generated DURING the hooks,
          leaves through OUTPUT/POSTROUTING as RELATED/REPLY (the REJECT
          attaches the dropped SYN's unconfirmed entry to it), no entry is
          ever created; client ECONNREFUSED
 f35, f36 tcp/82 REJECT (default): ICMP port unreachable, RELATED/REPLY, the
          same otherwise; client ECONNREFUSED at once
 f37, f38 udp/9 REJECT port-unreachable: ICMP RELATED/REPLY; ECONNREFUSED
 f39, f40 udp/10 REJECT admin-prohibited: ICMP type 3 code 13 RELATED/REPLY;
          EHOSTUNREACH
 f41-f43  tcp/83, policy DROP: SYN at 0, +1 s, +2 s (linear SYN backoff of
          6.x), each NEW and DROP, nothing sent back; client timeout 2.5 s
 f44      udp/123, policy DROP: NEW DROP
Counters: INPUT policy 4 (f41-f44); RELATED,ESTABLISHED 10; echo 2; tcp/80 2;
8080 1; udp/7 1; udp/5000 1; each REJECT 1; OUTPUT policy ACCEPT 19: every
frame the host sent, the REJECT answers included: they traverse OUTPUT (a
rule there could drop them). table.txt: 6 entries (both pings, UDP echo,
udp/5000 UNREPLIED, both HTTP in TIME_WAIT); nothing for the rejected and
dropped tuples.
"""
FW, FW_LO = "192.0.2.1", "198.51.100.1"
TOPOLOGY = {"ipv6": False}
RULES = {"v4": "local_input_v4.v4"}
SERVICES = [
    ("fw", "tcp-server", {"addr": "0.0.0.0", "port": 80}),
    ("fw", "udp-echo", {"addr": "0.0.0.0", "port": 7}),
]
STEPS = [
    ("cli", "ping", {"dst": FW, "ident": 0x1001}),
    ("cli", "ping", {"dst": FW_LO, "ident": 0x1002}),
    ("cli", "tcp", {"dst": FW, "port": 80, "sport": 41080}),
    ("cli", "tcp", {"dst": FW_LO, "port": 80, "sport": 41081}),
    ("cli", "udp", {"dst": FW, "port": 7, "sport": 41007, "send": "echo me"}),
    ("cli", "tcp", {"dst": FW, "port": 8080, "sport": 41808}),
    ("cli", "udp", {"dst": FW, "port": 5000, "sport": 41500}),
    ("cli", "tcp", {"dst": FW, "port": 81, "sport": 41081}),
    ("cli", "tcp", {"dst": FW, "port": 82, "sport": 41082}),
    ("cli", "udp", {"dst": FW, "port": 9, "sport": 41009}),
    ("cli", "udp", {"dst": FW, "port": 10, "sport": 41010}),
    ("cli", "tcp", {"dst": FW, "port": 83, "sport": 41083, "timeout": 2.5}),
    ("cli", "udp", {"dst": FW, "port": 123, "sport": 41123, "timeout": 0.5}),
]
