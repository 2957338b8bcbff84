"""Active FTP from the firewall host itself (local_ftp_active.v4): the host
is the FTP client, so the helper is attached in raw OUTPUT (`-p tcp --dport
21 -j CT --helper ftp`); INPUT policy DROP accepts ESTABLISHED, RELATED tcp
only with `-m helper --helper ftp`, RELATED icmp; OUTPUT ACCEPT. Servers in
the client namespace: a minimal active-mode FTP server on 192.0.2.10:21 and
another on :2121 (no helper for that port). Data connections come from port
20 to the firewall's data port (45100, 45200).

 f1-f3    control 192.0.2.1:45021 -> 192.0.2.10:21: SYN out NEW (entry 1,
          helper ftp, set by the raw OUTPUT rule), SYN/ACK in, ACK out
 f4-f9    banner, USER, 230 (ESTABLISHED both ways)
 f10      the host's "PORT 192,0,2,1,176,44" goes out: EXP_NEW tcp
          192.0.2.10:0 > 192.0.2.1:45100 helper ftp master 1 (created at
          POSTROUTING confirm of this outgoing segment)
 f11-f15  200, LIST, 150
 f16      192.0.2.10:20 -> 192.0.2.1:45100 SYN comes in: RELATED/ORIGINAL
          [EXPECTED], master 1, accepted by `-m helper --helper ftp`: entry 2
          (EXP_DESTROY, then NEW 2 [EXPECTED])
 f17-f24  the data connection (the firewall's SYN/ACK out ESTABLISHED/REPLY,
          data, FINs from the server side: FIN_WAIT ... TIME_WAIT), all
          [EXPECTED]
 f25-f31  226, QUIT, 221, close of the control connection
 f32-f46  the same client to :2121: no helper on the entry (entry 3), PORT
          45200 gives no expectation
 f47-f49  192.0.2.10:20 -> 192.0.2.1:45200 SYN, retransmitted after 1 and 2
          s: NEW, INPUT policy DROP each time; the server gives up (425)
 f50-f56  425 timeout, QUIT, 221, close
Counters: raw OUTPUT CT --helper 13 (every outgoing packet to port 21:
the CT target runs on all of them, only the first one's template counts);
INPUT ESTABLISHED 22, RELATED -m helper 1, policy 3.
"""
CLI, FW = "192.0.2.10", "192.0.2.1"
TOPOLOGY = {"ipv6": False}
RULES = {"v4": "local_ftp_active.v4"}
SERVICES = [
    ("cli", "ftp-server", {"addr": CLI, "port": 21}),
    ("cli", "ftp-server", {"addr": CLI, "port": 2121}),
]
STEPS = [
    ("fw", "ftp-active", {"dst": CLI, "port": 21, "src": FW, "sport": 45021, "dataport": 45100}),
    ("fw", "ftp-active", {"dst": CLI, "port": 2121, "src": FW, "sport": 45121, "dataport": 45200}),
]
