"""TCP: state-table cells of FIN_WAIT, CLOSE_WAIT and LAST_ACK for SYN and
SYN/ACK segments (see tcp-state-table-syn for the notation). None of them
changes the state. Default sysctls.

A = 192.0.2.1, B = 198.51.100.2:80.

FIN_WAIT (port 40210): f1-f3 handshake, f4 A FIN, then
 f5 B SYN (reply syn FW)         INVALID
 f6 A SYN/ACK (orig synack FW)   INVALID
 f7 B SYN/ACK (reply synack FW)  ignored
 f8 A SYN, new ISN (orig syn FW) ignored
CLOSE_WAIT (port 40211): f9-f11 handshake, f12 A FIN, f13 B ACK, then
 f14 B SYN INVALID, f15 A SYN/ACK INVALID, f16 B SYN/ACK ignored, f17 A SYN ignored
LAST_ACK (port 40212): f18-f20, f21 A FIN, f22 B ACK, f23 B FIN, then
 f24 B SYN INVALID, f25 A SYN/ACK INVALID, f26 B SYN/ACK ignored
 f27 A ACK                       TIME_WAIT (the table is still in sync)
"""
from common import Capture, Tcp, syn_options

cap = Capture()
O = syn_options()
for port, steps in ((40210, 1), (40211, 2), (40212, 3)):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 151, isn_b=port * 157)
    ia, ib = c.nxt["a"], c.nxt["b"]
    c.handshake(opts_a=O, opts_b=O)
    c.a("FA")
    if steps >= 2:
        c.b("A")
    if steps >= 3:
        c.b("FA")
    c.b("S", seq=ib, options=O, advance=False)
    c.a("SA", seq=ia, ack=ib + 1, options=O, advance=False)
    c.b("SA", seq=ib, ack=ia + 1, options=O, advance=False)
    if steps < 3:
        c.a("S", seq=port * 1000, options=O, advance=False)
    else:
        c.a("A")
cap.write("tcp-state-table-fin.pcap")
