"""TCP: malformed headers. tcp_error() rejects a data offset < 5 or a data
offset beyond the segment ("truncated packet"); a segment too short for the
20-byte header is INVALID without a reason (the header cannot be read); one
shorter than 4 bytes has no ports (no tuple). None of them creates an entry.
Default sysctls.

A = 192.0.2.1, B = 198.51.100.2:80.

New flows (ports 40130...):
 f1  SYN, data offset 4 (16-byte header claimed, 20 present)   INVALID "truncated packet"
 f2  SYN, data offset 15, only 20 bytes of segment             INVALID "truncated packet"
 f3  SYN, data offset 6 with 4 bytes of options, segment 22 bytes (2 missing)
                                                               INVALID "truncated packet"
 f4  12 bytes of TCP header only                               INVALID, no reason
 f5  3 bytes of TCP                                            INVALID, no reason
 f6  SYN, data offset 15 with 40 bytes of NOP options          NEW, SYN_SENT
 f7  SYN, data offset 0                                        INVALID "truncated packet"
Established connection (port 40140):
 f8-f10 handshake, f11 A data, f12 B ACK                       ESTABLISHED
 f13 A ACK with data offset 4                                  INVALID "truncated packet"
 f14 A ACK with data offset 15 (20 bytes)                      INVALID "truncated packet"
 f15 A 12-byte header                                          INVALID, no reason
 f16 A ACK with data offset 6 and 5 bytes of data (the option
     "eats" 4 data bytes: 1 byte of data left)                 ESTABLISHED
 f17 B ACK                                                     ESTABLISHED
"""
import struct
from common import A4, B4, Capture, Tcp, opt_nop, syn_options, tcp

cap = Capture()


def raw(t, who, seq, ack, flags, options=b"", data=b"", doff=None, cut=None):
    peer = "b" if who == "a" else "a"
    seg = tcp(t.addr[who], t.addr[peer], t.port[who], t.port[peer], seq, ack, flags,
              65535, options, data, doff=doff)
    if cut is not None:
        seg = seg[:cut]
    return t.seg(who, flags, tcp_bytes=seg, seq=seq, advance=False)


port = 40130
t = Tcp(cap, sport=port, dport=80); raw(t, "a", 1000, 0, "S", doff=4); port += 1
t = Tcp(cap, sport=port, dport=80); raw(t, "a", 1000, 0, "S", doff=15); port += 1
t = Tcp(cap, sport=port, dport=80); raw(t, "a", 1000, 0, "S", options=b"\x02\x04\x05\xb4", cut=22); port += 1
t = Tcp(cap, sport=port, dport=80); raw(t, "a", 1000, 0, "S", cut=12); port += 1
t = Tcp(cap, sport=port, dport=80); raw(t, "a", 1000, 0, "S", cut=3); port += 1
t = Tcp(cap, sport=port, dport=80); raw(t, "a", 1000, 0, "S", options=opt_nop() * 40); port += 1
t = Tcp(cap, sport=port, dport=80); raw(t, "a", 1000, 0, "S", doff=0); port += 1

c = Tcp(cap, sport=40140, dport=80, isn_a=401400, isn_b=801400)
c.handshake(opts_a=syn_options(), opts_b=syn_options())
c.a("PA", b"hello")
c.b("A")
raw(c, "a", c.nxt["a"], c.nxt["b"], "A", doff=4)
raw(c, "a", c.nxt["a"], c.nxt["b"], "A", doff=15)
raw(c, "a", c.nxt["a"], c.nxt["b"], "A", cut=12)
raw(c, "a", c.nxt["a"], c.nxt["b"], "PA", data=b"WXYZ!", doff=6)
c.nxt["a"] += 1
c.b("A")
cap.write("tcp-bad-header.pcap")
