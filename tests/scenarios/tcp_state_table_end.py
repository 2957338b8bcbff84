"""TCP: state-table cells of TIME_WAIT and CLOSE for SYN/ACK, SYN, FIN and ACK
segments (see tcp-state-table-syn for the notation). Default sysctls.

A = 192.0.2.1, B = 198.51.100.2:80.

TIME_WAIT (port 40213): f1-f3 handshake, f4 A FIN, f5 B ACK, f6 B FIN,
 f7 A ACK (TIME_WAIT), then
 f8  A SYN/ACK (orig synack TW)  INVALID
 f9  B SYN/ACK (reply synack TW) ignored
 f10 A FIN again (fin TW -> TW)  TIME_WAIT, accepted
CLOSE (port 40214): f11-f13 handshake, f14 A 10 bytes, f15 B ACK, f16 A RST
 (CLOSE), then
 f17 B SYN (reply syn CL)        INVALID
 f18 A SYN/ACK (orig synack CL)  INVALID
 f19 B SYN/ACK (reply synack CL) ignored
 f20 A FIN/ACK (fin CL -> CL)    CLOSE, accepted
 f21 B ACK (ack CL -> CL)        CLOSE, accepted
 f22 B RST (rst CL -> CL)        CLOSE, accepted
"""
from common import Capture, Tcp, syn_options

cap = Capture()
O = syn_options()
c = Tcp(cap, sport=40213, dport=80, isn_a=40213 * 151, isn_b=40213 * 157)
ia, ib = c.nxt["a"], c.nxt["b"]
c.handshake(opts_a=O, opts_b=O)
fin = c.nxt["a"]
c.a("FA")
c.b("A")
c.b("FA")
c.a("A")
c.a("SA", seq=ia, ack=ib + 1, options=O, advance=False)
c.b("SA", seq=ib, ack=ia + 1, options=O, advance=False)
c.a("FA", seq=fin, advance=False)

c = Tcp(cap, sport=40214, dport=80, isn_a=40214 * 151, isn_b=40214 * 157)
ia, ib = c.nxt["a"], c.nxt["b"]
c.handshake(opts_a=O, opts_b=O)
c.a("PA", b"l" * 10)
c.b("A")
c.a("R")
c.b("S", seq=ib, options=O, advance=False)
c.a("SA", seq=ia, ack=ib + 1, options=O, advance=False)
c.b("SA", seq=ib, ack=ia + 1, options=O, advance=False)
c.a("FA")
c.b("A")
c.b("R")
cap.write("tcp-state-table-end.pcap")
