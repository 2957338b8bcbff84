"""Where a packet is dropped and what that leaves (rules_drop_hooks.v4,
kernel-replay --rules). raw PREROUTING (before conntrack, priority -300)
drops tcp/2201; mangle PREROUTING (-150, after conntrack) tcp/2202; filter
FORWARD tcp/2203; mangle POSTROUTING (-150, after FORWARD, before confirm)
tcp/2204. tcp/2205: SYNs accepted by `-m statistic --mode nth --every 3
--packet 2`, other SYNs dropped; udp/2206: NEW accepted by `nth --every 2
--packet 1`, else dropped; any packet with TTL 33 dropped in FORWARD. Policy
ACCEPT. Complements oracle-fixtures/rules/syn-drop-retransmit (one filter
drop point): the drop point decides what kernel-replay can see.

A = 192.0.2.1 -> B = 198.51.100.2. SYN retransmissions 0.2 s apart.
 f1-f3  SYN x3 to 2201 (raw)        ctstate null, DROP, note "dropped before
                                    conntrack": conntrack never saw them
 f4, f5 SYN x2 to 2202 (mangle PRE) ctstate null, DROP, note "reached conntrack
                                    but got no verdict" (the state is logged in
                                    mangle FORWARD, which they never reach)
 f6, f7 SYN x2 to 2203 (filter)     NEW, DROP, each time: no entry, no event
 f8, f9 SYN x2 to 2204 (mangle POST) NEW, DROP: accepted by FORWARD, dropped
                                    before confirm: no entry either
 f10-f12 SYN x3 to 2205             NEW DROP, NEW DROP, NEW ACCEPT: nth
                                    --every 3 --packet 2 matches the THIRD
                                    packet the rule sees (counter 0,1,2); only
                                    then NEW 1 SYN_SENT
 f13, f14 SYN/ACK, ACK              ESTABLISHED (SYN_RECV, ESTABLISHED)
 f15    UDP to 2206 "first"         NEW, DROP (nth --every 2 --packet 1: the
                                    first packet is 0)
 f16    UDP "second" (0.2 s)        NEW, ACCEPT: entry 2 (no trace of f15)
 f17    reply                       ESTABLISHED/REPLY
 f18-f20 A -> B:2207 handshake      NEW (entry 3), SYN_RECV, ESTABLISHED
 f21    A 100 bytes, TTL 33         ESTABLISHED, DROP in FORWARD: but conntrack
                                    (PREROUTING -200) already moved the window
 f22    B ACK of those 100 bytes    ESTABLISHED/REPLY, ACCEPT: in window only
                                    because conntrack counted the dropped f21
 f23    B data                      ESTABLISHED/REPLY
 f24    B ACK of 50 bytes A never sent (control)
                                    INVALID "ACK is over upper bound 2000102
                                    (ACKed data not seen yet)": 2000102 = after
                                    f21's bytes. ACCEPT (policy)
Counters: raw 2201 3; mangle PREROUTING 2202 2; FORWARD TTL 33 1, 2203 2,
2205 nth 1, 2205 drop 2, 2206 nth 1, 2206 drop 1; mangle POSTROUTING 2204 2;
FORWARD policy ACCEPT 11 (f8, f9 included: accepted there, dropped later).
table.txt: 3 entries (2205, 2206, 2207).
A trial with a TTL-33 SYN/ACK dropped in FORWARD (not kept: kernel-replay
flags it as a harness "consistency mismatch"): conntrack had moved the entry
to SYN_RECV and set SEEN_REPLY for the dropped SYN/ACK, but the UPDATE event
was only delivered with the next accepted packet (events are cached on the
entry and sent at confirm), and the retransmitted SYN/ACK was "ignored" in
SYN_RECV with the timeout the dropped one had set (59 s, not refreshed).
"""
from common import A4, B4, Capture, ipv4, tcp
from common_helper import Conn, Udp

cap = Capture()


def syns(dport, n, isn, gap=1.0):
    c = Conn(cap, A4, B4, 46000 + dport - 2200, dport, isn_a=isn, isn_b=isn + 500_000)
    c.seg("a", "S")
    for _ in range(n - 1):
        c.seg("a", "S", seq=isn, gap=gap)
    return c


syns(2201, 3, 1_000_000, gap=0.2)      # f1-f3 raw PREROUTING DROP
syns(2202, 2, 1_100_000, gap=0.2)      # f4-f5 mangle PREROUTING DROP
syns(2203, 2, 1_200_000, gap=0.2)      # f6-f7 filter FORWARD DROP
syns(2204, 2, 1_300_000, gap=0.2)      # f8-f9 mangle POSTROUTING DROP
c = syns(2205, 3, 1_400_000, gap=0.2)  # f10-f12 nth: which SYN passes
c.seg("b", "SA")                       # f13
c.seg("a", "A")                        # f14
u = Udp(cap, A4, B4, 46006, 2206)
u.a(b"first")                          # f15
u.a(b"second", gap=0.2)                # f16
u.b(b"reply")                          # f17
k = Conn(cap, A4, B4, 46007, 2207, isn_a=2_000_000, isn_b=3_000_000)
k.seg("a", "S")                        # f18 accepted
k.seg("b", "SA")                       # f19
k.seg("a", "A")                        # f20
data = tcp(A4, B4, 46007, 2207, k.nxt["a"], k.nxt["b"], "PA", 65535, b"", b"x" * 100)
cap.add(ipv4(A4, B4, 6, data, ttl=33, ident=0x5252), frm="a")  # f21 data dropped (TTL 33)
k.nxt["a"] += 100
k.seg("b", "A")                        # f22 ACK of the dropped data
k.seg("b", "PA", b"more")              # f23
k.seg("b", "A", ack=k.nxt["a"] + 50, advance=False)   # f24 control: ACK of bytes never sent
cap.write("rules-drop-hooks.pcap")
