"""TCP: simultaneous open (both sides send a SYN) -> SYN_SENT2. Default sysctls.

A = 192.0.2.1, B = 198.51.100.2:5000 (two peers). SYNs with MSS,
SACK-permitted, window scale 7.

Flow 1 (port 40010): A's SYN/ACK first.
 f1  A SYN                         NEW, SYN_SENT (timeout 120)
 f2  B SYN (reply direction)       ESTABLISHED/REPLY, SEEN_REPLY, SYN_SENT2; the
                                   timeout is NOT refreshed (a SYN while
                                   SYN_SENT and no reply seen yet: the event
                                   shows what is left of SYN_SENT's; see
                                   tcp-timeouts for the proof)
 f3  A SYN retransmitted           SYN_SENT2 (syn orig: S2 -> S2)
 f4  B SYN retransmitted           SYN_SENT2 (syn reply: S2 -> S2)
 f5  A SYN/ACK                     SYN_RECV (synack orig: S2 -> SR), 60
 f6  B SYN/ACK                     ignored: "packet (index 1) in dir 1 ignored,
                                   state SYN_RECV" (ESTABLISHED/REPLY)
 f7  A ACK                         ESTABLISHED, ASSURED
 f8  B 100 bytes, f9 A ACK         ESTABLISHED
Flow 2 (port 40011): B's SYN/ACK first.
 f10 A SYN, f11 B SYN              SYN_SENT, SYN_SENT2
 f12 B SYN/ACK                     SYN_RECV (synack reply: S2 -> SR)
 f13 A SYN/ACK                     SYN_RECV (synack orig: SR -> SR, "late
                                   SYN/ACK in simultaneous open"), no reason
 f14 B ACK (reply direction)       ESTABLISHED and ASSURED: a reply ACK in
                                   SYN_RECV is SR -> SR in the table, but the
                                   simultaneous-open flag turns it into
                                   ESTABLISHED
 f15 A 10 bytes, f16 B ACK         ESTABLISHED
"""
from common import Capture, Tcp, syn_options

cap = Capture()
c = Tcp(cap, sport=40010, dport=5000, isn_a=111000, isn_b=222000)
sa, sb = c.nxt["a"], c.nxt["b"]
c.a("S", options=syn_options())
c.b("S", options=syn_options())
c.a("S", seq=sa, options=syn_options(), advance=False)
c.b("S", seq=sb, options=syn_options(), advance=False)
c.a("SA", seq=sa, options=syn_options(), advance=False)
c.b("SA", seq=sb, options=syn_options(), advance=False)
c.a("A")
c.b("PA", b"s" * 100)
c.a("A")

d = Tcp(cap, sport=40011, dport=5000, isn_a=333000, isn_b=444000)
sa, sb = d.nxt["a"], d.nxt["b"]
d.a("S", options=syn_options())
d.b("S", options=syn_options())
d.b("SA", seq=sb, options=syn_options(), advance=False)
d.a("SA", seq=sa, options=syn_options(), advance=False)
d.b("A")
d.a("PA", b"t" * 10)
d.b("A")
cap.write("tcp-simultaneous-open.pcap")
