"""TCP: window scaling (RFC 7323) is used only when BOTH SYNs carry the
window-scale option, and the windows in SYN and SYN/ACK are never scaled.
Default sysctls.

A = 192.0.2.1, B = 198.51.100.2:80. In every flow A's SYN has window 64240
and B's SYN/ACK window 65160; then A advertises window 1000 (128000 bytes if
scaled by 7) and B sends 100 bytes 100000 bytes ahead of its next sequence
number. That is inside the scaled window; unscaled, it overshoots by more
than A's max window (64240): INVALID.

Flow 1 (port 40069): wscale 7 on both sides
 f1-f2 SYN, SYN/ACK
 f3  A 100 bytes 200000 ahead, before any scaled window was announced by B
                                    INVALID "SEQ is over upper bound" (the
                                    SYN/ACK's 65160 is not scaled)
 f4  A ACK win 1000                 ESTABLISHED (scaled: 128000)
 f5  B 100 bytes at +100000         ESTABLISHED
 f6  B ACK win 2000 (256000 scaled) ESTABLISHED
 f7  A 100 bytes at +200000         ESTABLISHED
Flow 2 (port 40070): only A sends wscale -> no scaling
 f8-f10 handshake (f10 A ACK win 1000), f11 B at +100000   INVALID
Flow 3 (port 40071): only B sends wscale -> no scaling: f15 INVALID
Flow 4 (port 40072): wscale 0 on both sides (option present, shift 0): f19 INVALID
"""
from common import Capture, Tcp, syn_options

cap = Capture()
c = Tcp(cap, sport=40069, dport=80, isn_a=1_000_000, isn_b=5_000_000)
c.win["a"], c.win["b"] = 64240, 65160
c.a("S", options=syn_options(wscale=7))
c.b("SA", options=syn_options(wscale=7))
c.a("PA", b"a" * 100, seq=c.nxt["a"] + 200_000, advance=False)
c.a("A", win=1000)
c.b("PA", b"b" * 100, seq=c.nxt["b"] + 100_000, advance=False)
c.b("A", win=2000)
c.a("PA", b"c" * 100, seq=c.nxt["a"] + 200_000, advance=False, win=1000)

for port, wa, wb in ((40070, 7, None), (40071, None, 7), (40072, 0, 0)):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 61, isn_b=port * 67)
    c.win["a"], c.win["b"] = 64240, 65160
    c.a("S", options=syn_options(wscale=wa))
    c.b("SA", options=syn_options(wscale=wb))
    c.a("A", win=1000)
    c.b("PA", b"d" * 100, seq=c.nxt["b"] + 100_000, advance=False)
cap.write("tcp-window-scale.pcap")
