"""TCP: SYN and SYN/ACK segments carrying data (TCP Fast Open style).
Default sysctls.

A = 192.0.2.1, B = 198.51.100.2:80.

Flow 1 (port 40190): SYN + 100 bytes (+ TFO cookie option 34), the SYN/ACK
 acks the data too (ISN+101)
 f1 SYN+data NEW, SYN_SENT; f2 SYN/ACK SYN_RECV; f3 ACK ESTABLISHED, ASSURED;
 f4 B 300 bytes, f5 A ACK             ESTABLISHED
Flow 2 (port 40191): SYN + 100 bytes, the server acks only the SYN (ISN+1)
 f6 SYN+data, f7 SYN/ACK (ack ISN+1), f8 A ACK + the 100 bytes again
 (seq ISN+1), f9 B ACK                SYN_SENT, SYN_RECV, ESTABLISHED, ESTABLISHED
Flow 3 (port 40192): SYN/ACK with 50 bytes of data
 f10 SYN, f11 SYN/ACK + 50 bytes, f12 A ACK of the data (ISN_B+51)
                                      SYN_SENT, SYN_RECV, ESTABLISHED
"""
from common import Capture, Tcp, opt_nop, syn_options

cap = Capture()
TFO = bytes([34, 10]) + bytes.fromhex("0123456789abcdef")
c = Tcp(cap, sport=40190, dport=80, isn_a=190_000, isn_b=290_000)
c.a("S", b"Q" * 100, options=syn_options() + opt_nop() * 2 + TFO)
c.b("SA", options=syn_options())
c.a("A")
c.b("PA", b"R" * 300)
c.a("A")

c = Tcp(cap, sport=40191, dport=80, isn_a=191_000, isn_b=291_000)
isn = c.nxt["a"]
c.a("S", b"Q" * 100, options=syn_options() + opt_nop() * 2 + TFO, advance=False)
c.nxt["a"] = isn + 1
c.b("SA", options=syn_options())
c.a("PA", b"Q" * 100)
c.b("A")

c = Tcp(cap, sport=40192, dport=80, isn_a=192_000, isn_b=292_000)
c.a("S", options=syn_options())
c.b("SA", b"D" * 50, options=syn_options())
c.a("A")
cap.write("tcp-syn-with-data.pcap")
