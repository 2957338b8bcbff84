"""TCP: flag combinations checked by tcp_error() before any state is looked
at. After masking PSH, ECE and CWR, only SYN, SYN|URG, SYN|ACK, RST, RST|ACK,
FIN|ACK, FIN|ACK|URG, ACK and ACK|URG are valid; anything else is INVALID
"invalid tcp flag combination" and creates no entry. Default sysctls.

A = 192.0.2.1, B = 198.51.100.2:80.

First packets (one flow each, ports 40101...):
 f1  SYN|FIN|ACK        INVALID flags
 f2  RST|FIN            INVALID flags
 f3  URG alone          INVALID flags
 f4  PSH alone          INVALID flags (PSH is masked: no flags left)
 f5  all 8 bits         INVALID flags
 f6  SYN|ACK|URG        INVALID flags (SYN|URG is valid, SYN|ACK|URG is not)
 f7  ECE alone, f8 CWR alone   INVALID flags
 f9  FIN|URG (no ACK)   INVALID flags
 f10 RST|URG            INVALID flags
 f11 ACK|URG + data     NEW (mid-stream pickup)
 f12 SYN|ECE|CWR        NEW, SYN_SENT (ECN setup SYN)
 f13 FIN|ACK|URG        flags valid, but a FIN cannot start an entry: INVALID
                        "invalid new"
 f14 RST|ACK|PSH        flags valid: INVALID "invalid new"
 f15 SYN with the 4 reserved header bits set (incl. AE)   NEW (reserved bits
                        are not looked at)
Established connection (port 40120):
 f16-f18 handshake, f19 A data, f20 B ACK   ESTABLISHED
 f21 no flags (NULL), f22 URG, f23 PSH, f24 SYN|ACK|URG, f25 SYN|FIN|ACK,
 f26 RST|FIN|ACK, f27 all 8 bits    INVALID flags, no state change
 f28 A ACK|URG|PSH + data (urgent pointer 3)   ESTABLISHED
 f29 B ACK|ECE|CWR                  ESTABLISHED
 f30 A FIN|ACK|URG                  FIN_WAIT
"""
from common import Capture, Tcp, syn_options

cap = Capture()
port = 40101
for flags in ("SFA", "RF", "U", "P", 0xFF, "SAU", "E", "C", "FU", "RU"):
    t = Tcp(cap, sport=port, dport=80, isn_a=port * 10)
    t.a(flags, advance=False)
    port += 1
t = Tcp(cap, sport=port, dport=80, isn_a=port * 10); port += 1
t.a("AUP", b"urgent", urg=3, ack=123456)
t = Tcp(cap, sport=port, dport=80, isn_a=port * 10); port += 1
t.a("SEC", options=syn_options())
t = Tcp(cap, sport=port, dport=80, isn_a=port * 10); port += 1
t.a("FAU", ack=123456)
t = Tcp(cap, sport=port, dport=80, isn_a=port * 10); port += 1
t.a("RAP", ack=123456)
t = Tcp(cap, sport=port, dport=80, isn_a=port * 10); port += 1
t.a("S", options=syn_options(), reserved=0xF)

c = Tcp(cap, sport=40120, dport=80, isn_a=401200, isn_b=801200)
c.handshake(opts_a=syn_options(), opts_b=syn_options())
c.a("PA", b"hello")
c.b("A")
for flags in ("", "U", "P", "SAU", "SFA", "RFA", 0xFF):
    c.a(flags, advance=False)
c.a("AUP", b"abc", urg=3)
c.b("AEC")
c.a("FAU")
cap.write("tcp-bad-flags-more.pcap")
