"""TCP: the remaining state-table cells for RST and FIN: RSTs in CLOSE_WAIT,
SYN_SENT2, LAST_ACK, TIME_WAIT and CLOSE, a reply FIN in SYN_RECV and in
CLOSE, and a retransmitted FIN in LAST_ACK. Default sysctls.

A = 192.0.2.1, B = 198.51.100.2:80.

F1 (port 40230): f1 SYN, f2 SYN/ACK (SYN_RECV)
 f3  B FIN/ACK (reply fin SR -> FW)          FIN_WAIT (not ASSURED)
 f4  A ACK (ack FW -> CW)                    CLOSE_WAIT
 f5  A RST (orig rst CW -> CL)               CLOSE (timeout 10)
F2 (port 40231): f6 A SYN, f7 B SYN (SYN_SENT2)
 f8  A RST (orig rst S2 -> CL)               CLOSE; not destroyed (SEEN_REPLY
                                             was set by B's SYN)
F3 (port 40232): f9-f11 handshake, f12 A FIN, f13 B ACK, f14 B FIN (LAST_ACK)
 f15 A FIN retransmitted (orig fin LA -> LA) LAST_ACK
 f16 B RST/ACK (reply rst LA -> CL)          CLOSE
F4 (port 40233): f17-f19 handshake, f20-f23 FIN, ACK, FIN, ACK (TIME_WAIT)
 f24 A RST 2,000,000 ahead (orig rst TW -> CL)  CLOSE (no sequence check)
F5 (port 40234): f25-f27 handshake, f28 B RST (CLOSE)
 f29 B FIN/ACK (reply fin CL -> CL)          CLOSE
 f30 A RST (orig rst CL -> CL)               CLOSE
"""
from common import Capture, Tcp, syn_options

cap = Capture()
O = syn_options()


def tcp(port):
    return Tcp(cap, sport=port, dport=80, isn_a=port * 163, isn_b=port * 167)


c = tcp(40230)
c.a("S", options=O)
c.b("SA", options=O)
c.b("FA")
c.a("A")
c.a("R")

c = tcp(40231)
c.a("S", options=O)
c.b("S", options=O)
c.a("R")

c = tcp(40232)
c.handshake(opts_a=O, opts_b=O)
fin = c.nxt["a"]
c.a("FA")
c.b("A")
c.b("FA")
c.a("FA", seq=fin, advance=False)
c.b("RA")

c = tcp(40233)
c.handshake(opts_a=O, opts_b=O)
c.a("FA")
c.b("A")
c.b("FA")
c.a("A")
c.a("R", seq=c.nxt["a"] + 2_000_000, advance=False)

c = tcp(40234)
c.handshake(opts_a=O, opts_b=O)
c.b("R")
c.b("FA")
c.a("R")
cap.write("tcp-state-table-rst.pcap")
