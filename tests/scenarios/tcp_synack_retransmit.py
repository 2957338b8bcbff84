"""TCP: SYN/ACK retransmissions, and the "ignored SYN -> SYN/ACK resync" path.

A = 192.0.2.1, B = 198.51.100.2:80, default sysctls.

Flow 1 (port 40026):
 f1 SYN, f2 SYN/ACK                SYN_SENT, SYN_RECV
 f3 SYN/ACK retransmitted          ignored: "packet (index 1) in dir 1 ignored,
                                   state SYN_RECV" (ESTABLISHED/REPLY)
 f4 ACK                            ESTABLISHED, ASSURED
 f5 SYN/ACK again (late)           ignored, state ESTABLISHED
Flow 2 (port 40027): the SYN/ACK was lost on its way to A, A retransmits
 its SYN, B retransmits the SYN/ACK.
 f6 SYN, f7 SYN/ACK                SYN_SENT, SYN_RECV
 f8 SYN retransmitted              ignored (syn orig in SYN_RECV): "packet
                                   (index 0) in dir 0 ignored, state SYN_RECV";
                                   the kernel notes its seq/end/window/options
 f9 SYN/ACK retransmitted          NOT ignored: a SYN/ACK answering the SYN
                                   that was just ignored re-synchronises (old
                                   state taken as SYN_SENT) -> SYN_RECV, no reason
 f10 ACK                           ESTABLISHED, ASSURED
Flow 3 (port 40028): the second SYN/ACK has another ISN (server restarted).
 f11 SYN, f12 SYN/ACK (ISN Y)      SYN_SENT, SYN_RECV
 f13 SYN/ACK (ISN Y+50000)         ignored
 f14 A ACK for Y+50001             INVALID "ACK is over upper bound" (the kernel
                                   still holds ISN Y)
 f15 A ACK for Y+1                 ESTABLISHED, ASSURED
"""
from common import Capture, Tcp, syn_options

cap = Capture()
c = Tcp(cap, sport=40026, dport=80, isn_a=300_000, isn_b=400_000)
ia, ib = c.nxt["a"], c.nxt["b"]
c.a("S", options=syn_options())
c.b("SA", options=syn_options())
c.b("SA", seq=ib, options=syn_options(), advance=False)
c.a("A")
c.b("SA", seq=ib, ack=ia + 1, options=syn_options(), advance=False)

c = Tcp(cap, sport=40027, dport=80, isn_a=500_000, isn_b=600_000)
ia, ib = c.nxt["a"], c.nxt["b"]
c.a("S", options=syn_options())
c.b("SA", options=syn_options())
c.a("S", seq=ia, options=syn_options(), advance=False)
c.b("SA", seq=ib, options=syn_options(), advance=False)
c.a("A")

c = Tcp(cap, sport=40028, dport=80, isn_a=700_000, isn_b=800_000)
ib = c.nxt["b"]
c.a("S", options=syn_options())
c.b("SA", options=syn_options())
c.b("SA", seq=ib + 50_000, options=syn_options(), advance=False)
c.a("A", ack=ib + 50_001)
c.a("A", ack=ib + 1)
cap.write("tcp-synack-retransmit.pcap")
