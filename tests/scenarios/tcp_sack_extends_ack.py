"""TCP: SACK blocks count as acknowledgments: the highest right edge of a
SACK block must not be beyond what the other side sent (check III uses
max(ack, SACK right edges)), but only if the receiver of the SACK announced
SACK-permitted in its SYN. Default sysctls, no window scaling.

A = 192.0.2.1, B = 198.51.100.2:80. A sends three 1000-byte segments
[S, S+1000), [S+1000, S+2000), [S+2000, S+3000); B "lost" the second one.

Flow 1 (port 40076): both SYNs SACK-permitted.
 f1-f3 handshake, f4-f6 A's three segments
 f7  B ACK S+1000, SACK [S+2000, S+3000)     ESTABLISHED
 f8  B ACK S+1000, SACK [S+2000, S+4000)     INVALID "ACK is over upper bound"
                                             (the SACK edge S+4000 was never sent)
 f9  B ACK S+1000 + timestamps + SACK beyond  INVALID (timestamps + SACK: the
                                             options are parsed fully)
 f10 B ACK S+1000, malformed SACK (length 12, edge beyond)   ESTABLISHED
                                             (not a valid SACK option: ignored)
 f11 A retransmits [S+1000, S+2000), f12 B ACK S+3000   ESTABLISHED
Flow 2 (port 40077): A's SYN has no SACK-permitted (B's has).
 f13-f18 the same, f19 B ACK with SACK [S+2000, S+4000)   ESTABLISHED (SACK
                                             blocks towards A are not read)
Flow 3 (port 40078): A's SYN has SACK-permitted with a wrong length (3 bytes)
 -> not recognised: f28 B ACK with SACK beyond   ESTABLISHED
"""
from common import Capture, Tcp, opt_mss, opt_nop, opt_sack, opt_sack_perm, ts_options

cap = Capture()
for port, sack_a in ((40076, "ok"), (40077, "none"), (40078, "bad")):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 79, isn_b=port * 83)
    oa = opt_mss() + {"ok": opt_nop() * 2 + opt_sack_perm(),
                      "none": opt_nop() * 4,
                      "bad": opt_nop() + b"\x04\x03\x00"}[sack_a]
    ob = opt_mss() + opt_nop() * 2 + opt_sack_perm()
    c.handshake(opts_a=oa, opts_b=ob)
    s = c.nxt["a"]
    c.a("PA", b"1" * 1000)
    c.a("PA", b"2" * 1000)
    c.a("PA", b"3" * 1000)
    if sack_a == "ok":
        c.b("A", ack=s + 1000, options=opt_nop() * 2 + opt_sack((s + 2000, s + 3000)))
        c.b("A", ack=s + 1000, options=opt_nop() * 2 + opt_sack((s + 2000, s + 4000)))
        c.b("A", ack=s + 1000, options=ts_options(5000, 6000) + opt_nop() * 2
            + opt_sack((s + 2000, s + 4000)))
        c.b("A", ack=s + 1000, options=opt_nop() * 2 + b"\x05\x0c"
            + (s + 2000).to_bytes(4, "big") + (s + 4000).to_bytes(4, "big") + b"\0\0")
    else:
        c.b("A", ack=s + 1000, options=opt_nop() * 2 + opt_sack((s + 2000, s + 4000)))
    c.a("PA", b"2" * 1000, seq=s + 1000, advance=False)
    c.b("A", ack=s + 3000)
cap.write("tcp-sack-extends-ack.pcap")
