"""INVALID dropped against INVALID accepted: one capture, two rulesets.
rules-invalid-drop (rules_invalid_drop.v4): FORWARD policy ACCEPT, first rule
`--ctstate INVALID -j DROP`, then counting rules for NEW, ESTABLISHED,
RELATED. rules-invalid-accept (rules_invalid_accept.v4): the same rules with
INVALID only counted. The question: does an INVALID packet that is accepted
create or change anything? No: both recordings have the same ctstate,
entry, events and proto_state on every frame and the same table; only the
verdicts of the six INVALID frames differ (DROP / ACCEPT).

A = 192.0.2.1, B = 198.51.100.2.
 f1  B:80 -> A:50080 SYN/ACK, no SYN   INVALID "invalid new": no entry either way
 f2  A -> B:80 ACK                     NEW (loose pickup, entry 1 ESTABLISHED
                                       timeout 300): accepting f1 created nothing
 f3  B:80 -> A data                    ESTABLISHED/REPLY of entry 1
 f4-f8 A:50081 -> B:81 handshake, data  entry 2, ESTABLISHED
 f9  B ACK of 100000 unsent bytes      INVALID "ACK is over upper bound 3000012
                                       (ACKed data not seen yet)"
 f10 A data                            ESTABLISHED (entry 2 unchanged by f9)
 f11 A RST 200000 beyond the window    INVALID "SEQ is over upper bound ...":
                                       accepted or not, entry 2 stays
                                       ESTABLISHED (no CLOSE)
 f12 B data                            ESTABLISHED
 f13 A:50082 -> B:82 SYN+FIN           INVALID "invalid tcp flag combination"
 f14 A:50082 -> B:82 SYN               NEW, entry 3 (SYN_SENT)
 f15 UDP A:50083 -> B:83, UDP length 40 > data   INVALID "nf_ct_proto_17:
                                       truncated/malformed packet"
 f16 UDP A:50083 -> B:83 good          NEW (entry 4): f15 left nothing
 f17 B: port unreach quoting A:50084 -> B:84 (never seen)   INVALID (no reason
                                       logged)
 f18 UDP B:84 -> A:50084               NEW/ORIGINAL (entry 5, B->A): f17 left
                                       nothing
 f19 A:50085 -> B:85 SYN               NEW, entry 6
 f20 B RST/ACK with a wrong ack        ESTABLISHED/REPLY, not INVALID: "ignored
                                       ACK under lower bound ... (possible overly
                                       delayed)", stays SYN_SENT but SEEN_REPLY
                                       is set (UPDATE event)
 f21, f22 SYN/ACK, ACK                 SYN_RECV, ESTABLISHED
 f23-f25 close of entry 2              FIN_WAIT, LAST_ACK, TIME_WAIT
Counters (both): INVALID 6, NEW 6, ESTABLISHED 13, RELATED 0; FORWARD policy
ACCEPT 19 (drop) / 25 (accept).
"""
from common import A4, B4, Capture, ipv4, udp
from common_helper import Conn, Udp
from common_l4 import icmp4_err

cap = Capture()
# 1. SYN/ACK without SYN, then the client's ACK
s = Conn(cap, B4, A4, 80, 50080, isn_a=1_000_000, isn_b=2_000_000)
s.seg("a", "SA", ack=2_000_000)                 # f1 B:80 -> A SYN/ACK: INVALID
s.seg("b", "A")                                 # f2 A -> B:80 ACK
s.seg("a", "PA", b"data")                       # f3 B:80 -> A data
# 2. established connection, out-of-window data, then data that is in
#    window only if the INVALID segment had been taken into account
w = Conn(cap, A4, B4, 50081, 81, isn_a=3_000_000, isn_b=4_000_000)
w.open()                                        # f4-f6
w.a(b"a" * 10)                                  # f7
w.b(b"b" * 10)                                  # f8
w.seg("b", "A", ack=w.nxt["a"] + 100_000, advance=False)   # f9 ACK of unsent data: INVALID
w.a(b"c" * 10)                                  # f10
w.seg("a", "R", seq=w.nxt["a"] + 200_000, advance=False)   # f11 RST out of window: INVALID
w.b(b"d" * 10)                                  # f12
# 3. bad flags, bad UDP length, ICMP error for nothing
Conn(cap, A4, B4, 50082, 82, isn_a=5_000_000).seg("a", "SF")   # f13 SYN+FIN
Conn(cap, A4, B4, 50082, 82, isn_a=5_000_000).seg("a", "S")    # f14 SYN on the same ports
cap.add(ipv4(A4, B4, 17, udp(A4, B4, 50083, 83, b"short", length=40)), frm="a")  # f15 bad length
u = Udp(cap, A4, B4, 50083, 83)
u.a(b"good")                                    # f16
quote = ipv4(A4, B4, 17, udp(A4, B4, 50084, 84, b"never seen"))
cap.add(ipv4(B4, A4, 1, icmp4_err(3, 3, quote[:28])), frm="b")   # f17 error for an unknown flow
Udp(cap, B4, A4, 84, 50084).a(b"from 84")       # f18
# 4. TCP RST in SYN_SENT with a wrong ack
r = Conn(cap, A4, B4, 50085, 85, isn_a=6_000_000, isn_b=7_000_000)
r.seg("a", "S")                                 # f19
r.seg("b", "RA", ack=12345)                     # f20 RST/ACK, ack wrong: INVALID
r.seg("b", "SA")                                # f21
r.seg("a", "A")                                 # f22
w.close()                                       # f23-f25
cap.write("rules-invalid.pcap")
