"""TCP: the cells of the kernel's state table (tcp_conntracks[dir][flags][state])
for the opening states and ESTABLISHED that other scenarios do not reach:
INVALID cells (sIV: "packet (index I) in dir D invalid, state S") and ignored
cells (sIG: "... ignored, state S", accepted). Neither changes the state.
Flag index: 0 SYN, 1 SYN/ACK, 2 FIN, 3 ACK, 4 RST. Default sysctls.

A = 192.0.2.1, B = 198.51.100.2:80.

SYN_SENT (port 40200): f1 A SYN, then
 f2 A SYN/ACK (orig synack SS)   INVALID   f3 A FIN/ACK (orig fin SS) INVALID
 f4 A ACK (orig ack SS)          INVALID   f5 B FIN/ACK (reply fin SS) INVALID
 f6 B ACK (reply ack SS)         ignored (sets SEEN_REPLY)
SYN_SENT2 (port 40201): f7 A SYN, f8 B SYN, then
 f9 A FIN/ACK (orig fin S2)      INVALID   f10 A ACK (orig ack S2)     INVALID
 f11 B FIN/ACK (reply fin S2)    INVALID   f12 B ACK (reply ack S2)    ignored
SYN_RECV (port 40202): f13 SYN, f14 SYN/ACK, then
 f15 B SYN (reply syn SR)        INVALID
 f16 B ACK (reply ack SR)        SYN_RECV (SR -> SR), accepted, no reason
 f17 A SYN/ACK (orig synack SR)  SYN_RECV (SR -> SR), accepted
 f18 A ACK                       ESTABLISHED, ASSURED
ESTABLISHED (port 40203): f19-f21 handshake, then
 f22 A SYN/ACK (orig synack ES)  INVALID   f23 B SYN (reply syn ES)    INVALID
 f24 B SYN/ACK (reply synack ES) ignored   f25 A 10 bytes              ESTABLISHED
"""
from common import Capture, Tcp, syn_options

cap = Capture()
O = syn_options()

c = Tcp(cap, sport=40200, dport=80, isn_a=2_000_000, isn_b=2_100_000)
ia = c.nxt["a"]
c.a("S", options=O)
c.a("SA", seq=ia, ack=777, options=O, advance=False)
c.a("FA", ack=777, advance=False)
c.a("A", ack=777, advance=False)
c.b("FA", advance=False)
c.b("A", advance=False)

c = Tcp(cap, sport=40201, dport=80, isn_a=2_010_000, isn_b=2_110_000)
c.a("S", options=O)
c.b("S", options=O)
c.a("FA", advance=False)
c.a("A")
c.b("FA", advance=False)
c.b("A")

c = Tcp(cap, sport=40202, dport=80, isn_a=2_020_000, isn_b=2_120_000)
ia, ib = c.nxt["a"], c.nxt["b"]
c.a("S", options=O)
c.b("SA", options=O)
c.b("S", seq=ib, options=O, advance=False)
c.b("A")
c.a("SA", seq=ia, options=O, advance=False)
c.a("A")

c = Tcp(cap, sport=40203, dport=80, isn_a=2_030_000, isn_b=2_130_000)
ia, ib = c.nxt["a"], c.nxt["b"]
c.handshake(opts_a=O, opts_b=O)
c.a("SA", seq=ia, options=O, advance=False)
c.b("S", seq=ib, options=O, advance=False)
c.b("SA", seq=ib, options=O, advance=False)
c.a("PA", b"j" * 10)
cap.write("tcp-state-table-syn.pcap")
