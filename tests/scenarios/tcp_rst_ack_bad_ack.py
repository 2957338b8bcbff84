"""TCP: RST segments with the ACK flag and a wrong acknowledgment number, in
SYN_SENT and SYN_RECV. Default sysctls.

A = 192.0.2.1, B = 198.51.100.2:80. A's ISN = I (its SYN ends at I+1).

Flow 1 (port 40048), SYN_SENT:
 f1  A SYN
 f2  B RST/ACK ack I+1+1000         INVALID "ACK is over upper bound"
 f3  B RST/ACK ack I (does not ack the SYN)   accepted: CLOSE, entry destroyed
                                    (conntrack only checks the window, not
                                    RFC 793's "must ack the SYN")
Flow 2 (port 40049), SYN_SENT:
 f4  A SYN
 f5  B RST/ACK ack I+1-100000       "ignored ACK under lower bound": accepted as
                                    ESTABLISHED/REPLY, state stays SYN_SENT, and
                                    SEEN_REPLY gets set
 f6  A SYN retransmitted            ESTABLISHED (SEEN_REPLY), SYN_SENT
 f7  B RST/ACK ack I+1              CLOSE, but NOT destroyed (SEEN_REPLY is set)
 f8  A SYN retransmitted            ignored "state CLOSE" (the RST came from B)
Flow 3 (port 40050), SYN_RECV, client resets:
 f9 SYN, f10 SYN/ACK                SYN_SENT, SYN_RECV
 f11 A RST/ACK, ack B's ISN+1+1000  INVALID "ACK is over upper bound"
 f12 A RST/ACK, seq I+1-10          INVALID "invalid rst" (seq below the ack B
                                    sent)
 f13 A RST/ACK, seq I+1             CLOSE (timeout 10, not destroyed)
Flow 4 (port 40051), SYN_RECV, server resets:
 f14 SYN, f15 SYN/ACK, f16 B RST/ACK seq = B's ISN+1   CLOSE
"""
from common import Capture, Tcp, syn_options

cap = Capture()
c = Tcp(cap, sport=40048, dport=80, isn_a=10_000_000)
i = c.nxt["a"]
c.a("S", options=syn_options())
c.b("RA", seq=0, ack=i + 1 + 1000)
c.b("RA", seq=0, ack=i)

c = Tcp(cap, sport=40049, dport=80, isn_a=20_000_000)
i = c.nxt["a"]
c.a("S", options=syn_options())
c.b("RA", seq=0, ack=i + 1 - 100_000)
c.a("S", seq=i, options=syn_options(), advance=False)
c.b("RA", seq=0)
c.a("S", seq=i, options=syn_options(), advance=False)

c = Tcp(cap, sport=40050, dport=80, isn_a=30_000_000, isn_b=31_000_000)
i = c.nxt["a"]
c.a("S", options=syn_options())
c.b("SA", options=syn_options())
c.a("RA", ack=c.nxt["b"] + 1000)
c.a("RA", seq=i + 1 - 10, advance=False)
c.a("RA")

c = Tcp(cap, sport=40051, dport=80, isn_a=40_000_000, isn_b=41_000_000)
c.a("S", options=syn_options())
c.b("SA", options=syn_options())
c.b("RA")
cap.write("tcp-rst-ack-bad-ack.pcap")
