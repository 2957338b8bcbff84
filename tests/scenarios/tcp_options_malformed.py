"""TCP: malformed option lists in the SYN / SYN/ACK and what tcp_options()
makes of them, seen through window scaling. Default sysctls.

A = 192.0.2.1, B = 198.51.100.2:80. Each flow: f+0 A SYN (window 64240,
options as below), f+1 B SYN/ACK (window 65160, MSS + SACK-perm + wscale 7
unless said otherwise), f+2 A ACK window 1000 (128000 if scaled by 7),
f+3 B 100 bytes 100000 ahead: ESTABLISHED if scaling is on, INVALID "SEQ is
over upper bound" if off (unscaled, the overshoot exceeds A's max window).

 V1 (port 40181) MSS, NOP, NOP, SACK-perm, NOP, WS 7 (control)     -> on
 V2 (port 40182) WS option with length 4 (03 04 07 00)              -> off
                 (only length 3 is a window-scale option)
 V3 (port 40183) unknown kind 99 with length 0, then WS 7           -> off
                 (length < 2: parsing stops)
 V4 (port 40184) unknown kind 99 with length 1, then WS 7           -> off
 V5 (port 40185) WS cut short at the end of the options (03 03 and no
                 shift byte: length 3 > 2 bytes left)               -> off
 V6 (port 40186) EOL, then WS 7                                     -> off
 V7 (port 40187) unknown kind 99 with length 10, then WS 7          -> on
 V8 (port 40188) A correct; B's SYN/ACK has WS with length 4        -> off
"""
from common import Capture, Tcp, opt_eol, opt_mss, opt_nop, opt_sack_perm, opt_wscale, syn_options

cap = Capture()
WS = opt_nop() + opt_wscale(7)
variants = [
    (40181, syn_options(), None),
    (40182, opt_mss() + opt_nop() * 2 + opt_sack_perm() + b"\x03\x04\x07\x00", None),
    (40183, opt_mss() + b"\x63\x00" + opt_nop() * 2 + WS, None),
    (40184, opt_mss() + b"\x63\x01" + opt_nop() * 2 + WS, None),
    (40185, opt_mss() + opt_nop() * 6 + b"\x03\x03", None),
    (40186, opt_mss() + opt_eol() + opt_nop() * 4 + opt_wscale(7), None),
    (40187, opt_mss() + b"\x63\x0a" + b"\xaa" * 8 + opt_nop() * 2 + WS, None),
    (40188, syn_options(), opt_mss() + opt_nop() * 2 + opt_sack_perm() + b"\x03\x04\x07\x00"),
]
for port, oa, ob in variants:
    assert len(oa) % 4 == 0, port
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 139, isn_b=port * 149)
    c.win["a"], c.win["b"] = 64240, 65160
    c.a("S", options=oa)
    c.b("SA", options=ob if ob is not None else syn_options())
    c.a("A", win=1000)
    c.b("PA", b"o" * 100, seq=c.nxt["b"] + 100_000, advance=False)
cap.write("tcp-options-malformed.pcap")
