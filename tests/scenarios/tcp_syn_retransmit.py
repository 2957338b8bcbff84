"""TCP: SYN retransmissions before any answer: same ISN, higher ISN, lower
ISN, and a retransmission with different options.
Recorded with --set nf_conntrack_tcp_timeout_syn_sent=3.

A = 192.0.2.1, B = 198.51.100.2:80.

Flow 1 (port 40021): same ISN; does a retransmission refresh the timeout?
 f1  t=0.0 SYN                     NEW, entry 1, SYN_SENT, timeout 3
 f2  t=1.0 SYN again               NEW, entry 1, no event: the kernel does not
                                   renew the timeout on a SYN retransmission
                                   while no reply was seen
 f3  t=2.0 SYN again               NEW, entry 1
 f4  t=3.4 SYN again               NEW, entry 2 (DESTROY 1): entry 1 expired at
                                   t=3.0, the retransmissions did not extend it
Flow 2 (port 40022, t=4): second SYN with an ISN 100000 HIGHER
 f5 SYN, f6 SYN (+100000)          NEW, entry 3 (the initiator is re-initialised)
 f7 SYN/ACK acking the new ISN+1   SYN_RECV
 f8 ACK                            ESTABLISHED, ASSURED
Flow 3 (port 40023): second SYN with an ISN 100000 LOWER
 f9 SYN, f10 SYN (-100000)         NEW, entry 4: the lower SYN does not
                                   re-initialise (it must end after the first)
 f11 SYN/ACK acking the lower ISN+1  ignored: "ignored ACK under lower bound
                                   3936300 (possible overly delayed)" (the
                                   bound comes from the FIRST ISN); accepted as
                                   ESTABLISHED/REPLY: SEEN_REPLY is set, the
                                   state stays SYN_SENT
 f12 A ACK, f13 A 10 bytes         INVALID "packet (index 3) in dir 0 invalid,
                                   state SYN_SENT"
 f14 B ACK                         ignored "packet (index 3) in dir 1 ignored,
                                   state SYN_SENT"
                                   (This 6.18 kernel does not have the 2025
                                   "reinitialized TCP connection" patch, which
                                   would say "ignored SYN with SEQ before the
                                   previous one" at f10.)
Flow 4 (port 40024): as flow 3 but only 1000 lower
 f15 SYN, f16 SYN, f17 SYN/ACK     SYN_RECV (the ack is within 66000 of the
                                   first ISN: passes)
 f18 ACK, f19 A 10 bytes, f20 B ACK   ESTABLISHED
Flow 5 (port 40025): first SYN with window scale 7, retransmission (same ISN)
 WITHOUT the window-scale option
 f21 SYN (wscale 7), f22 SYN (no wscale), f23 SYN/ACK (wscale 7), f24 A ACK
 window 1000                       SYN_SENT, SYN_SENT, SYN_RECV, ESTABLISHED
 f25 B 100 bytes 100000 ahead      ESTABLISHED, no reason: the retransmission
                                   was not parsed again, scaling stays on
                                   (1000 << 7 = 128000); unscaled this would be
                                   INVALID. Table: 300 s (B's data unacked)
"""
from common import Capture, Tcp, syn_options

cap = Capture()
c = Tcp(cap, sport=40021, dport=80, isn_a=100_000, isn_b=200_000)
isn = c.nxt["a"]
for t in (0.0, 1.0, 2.0, 3.4):
    c.a("S", seq=isn, options=syn_options(), at=t, advance=False)

c = Tcp(cap, sport=40022, dport=80, isn_a=1_000_000, isn_b=1_500_000)
c.a("S", options=syn_options(), at=4.0, advance=False)
c.nxt["a"] += 100_000
c.a("S", options=syn_options())
c.b("SA", options=syn_options())
c.a("A")

for port, delta in ((40023, 100_000), (40024, 1000)):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 100, isn_b=port * 200)
    c.a("S", options=syn_options(), advance=False)
    c.nxt["a"] -= delta
    c.a("S", options=syn_options())
    c.b("SA", options=syn_options())
    c.a("A")
    c.a("PA", b"h" * 10)
    c.b("A")

c = Tcp(cap, sport=40025, dport=80, isn_a=6_000_000, isn_b=7_000_000)
c.win["a"] = 64240
c.a("S", options=syn_options(wscale=7), advance=False)
c.a("S", options=syn_options(wscale=None))
c.b("SA", options=syn_options(wscale=7))
c.a("A", win=1000)
c.b("PA", b"i" * 100, seq=c.nxt["b"] + 100_000, advance=False)
cap.write("tcp-syn-retransmit.pcap")
