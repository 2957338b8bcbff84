"""TCP: RSTs answering (or aborting) a SYN, default sysctls.

A = 192.0.2.1, B = 198.51.100.2:80 (port closed).

Flow 1 (port 40043): the usual "connection refused".
 f1  A SYN                          NEW, SYN_SENT
 f2  B RST/ACK seq 0, ack ISN+1     ESTABLISHED/REPLY, CLOSE, and the entry is
                                    destroyed at once (RST, no reply seen before)
 f3  A SYN again (same ISN)         NEW, entry 2
Flow 2 (port 40044): RST without ACK, seq 0 (accepted: "RST answering SYN"
 takes seq 0 as the expected sequence number in SYN_SENT)
 f4 SYN, f5 RST                     CLOSE, destroyed
Flow 3 (port 40045): the client itself aborts (RST seq ISN+1 after its SYN)
 f6 SYN, f7 A RST                   NEW (original direction, no reply yet),
                                    CLOSE, destroyed
Flow 4 (port 40046): RST/ACK with ack 0 ("broken stacks": ack taken as
 the expected one)
 f8 SYN, f9 RST/ACK ack=0           CLOSE, destroyed
Flow 5 (port 40047): RST/ACK with a non-zero seq (another stack)
 f10 SYN, f11 RST/ACK seq 77777     CLOSE, destroyed (the reply direction is
                                    initialised from this very packet)
The replies f2, f5, f9, f11 are ESTABLISHED/REPLY; no reasons. Final table:
only entry 2 (f3), SYN_SENT [UNREPLIED].
"""
from common import Capture, Tcp, syn_options

cap = Capture()
c = Tcp(cap, sport=40043, dport=80, isn_a=1_111_111)
isn = c.nxt["a"]
c.a("S", options=syn_options())
c.b("RA", seq=0)
c.a("S", seq=isn, options=syn_options(), advance=False)

c = Tcp(cap, sport=40044, dport=80, isn_a=2_222_222)
c.a("S", options=syn_options())
c.b("R", seq=0)

c = Tcp(cap, sport=40045, dport=80, isn_a=3_333_333)
c.a("S", options=syn_options())
c.a("R")

c = Tcp(cap, sport=40046, dport=80, isn_a=4_444_444)
c.a("S", options=syn_options())
c.b("RA", seq=0, ack=0)

c = Tcp(cap, sport=40047, dport=80, isn_a=5_555_555)
c.a("S", options=syn_options())
c.b("RA", seq=77777)
cap.write("tcp-rst-in-syn-sent.pcap")
