"""TCP: window-scale shifts above 14 are clamped to 14 (RFC 7323 2.3).
Default sysctls.

A = 192.0.2.1, B = 198.51.100.2:80. Both SYNs carry the same shift S; A's
SYN window 64240; A then advertises window 8: 8 << 14 = 131072 (8 << 15 would
be 262144). B sends 100 bytes at +120000 (inside either way), then 100 bytes
at +200000: with shift 14 that overshoots the 131072 window by 69029 bytes,
which is within A's max window (131072), so: ignored, "69029 bytes more than
expected" (with 15 it would pass without reason).

Flow 1 (port 40073): S = 15
 f1-f3 handshake, f4 B at +120000 ESTABLISHED, f5 B at +200000 ignored
 ("69029 bytes more than expected"), f6 A ACK of everything ESTABLISHED
Flow 2 (port 40074): S = 14, the same frames and verdicts (control)
Flow 3 (port 40075): S = 255, the same
"""
from common import Capture, Tcp, syn_options

cap = Capture()
for port, shift in ((40073, 15), (40074, 14), (40075, 255)):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 71, isn_b=port * 73)
    c.win["a"], c.win["b"] = 64240, 65160
    c.a("S", options=syn_options(wscale=shift))
    c.b("SA", options=syn_options(wscale=shift))
    c.a("A", win=8)
    base = c.nxt["b"]
    c.b("PA", b"a" * 100, seq=base + 120_000, advance=False)
    c.b("PA", b"b" * 100, seq=base + 200_000, advance=False)
    c.a("A", ack=base + 200_100, win=8)
cap.write("tcp-wscale-over-14.pcap")
