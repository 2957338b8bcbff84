"""TCP: picking up connections in mid-stream (no SYN seen). Recorded twice:
tcp-ack-pickup-loose1 (default nf_conntrack_tcp_loose=1) and
tcp-ack-pickup-loose0 (--set nf_conntrack_tcp_loose=0).

A = 192.0.2.1, B = 198.51.100.2:443. The picked-up connection really uses
window scale 7 (window fields ~500 mean ~64 KB), which conntrack cannot know.

With loose=1:
Flow 1 (port 40014), picked up by A's data:
 f1  A 100 bytes + ACK (win 502)    NEW, ESTABLISHED, timeout 300 (no reply yet:
                                    capped); both directions are marked "be
                                    liberal" (and SACK-permitted) for good
 f2  B 1448 bytes + ACK (win 509)   ESTABLISHED/REPLY, SEEN_REPLY (300)
 f3  B 1448 bytes                   ESTABLISHED/REPLY and ASSURED already: any
                                    packet after the first reply assures a
                                    picked-up entry, in either direction;
                                    timeout 300 (B's data is unacknowledged).
                                    Beyond A's unscaled 502-byte window: passes
 f4  A ACK                          ESTABLISHED (432000)
 f5  B 100 bytes 10 MB ahead        ESTABLISHED, no reason (liberal: the window
                                    checks fail silently)
 f6  A ACK of data never sent       ESTABLISHED, no reason (liberal)
 f7  A 50 bytes, f8 B ACK           ESTABLISHED
Flow 2 (port 40015): first packet FIN/ACK     f9  INVALID "invalid new"
Flow 3 (port 40016): first packet RST         f10 INVALID "invalid new"
Flow 4 (port 40017): first packet RST/ACK     f11 INVALID "invalid new"
Flow 5 (port 40018): picked up from the server's side: B ACK first
 f12 B ACK                          NEW: the entry's original direction is B -> A
                                    (table: src=198.51.100.2 sport=443 first)
 f13 A 20 bytes                     ESTABLISHED/REPLY
Flow 6 (port 40019): pickup, then a RST before any reply
 f14 A ACK                          NEW, ESTABLISHED
 f15 A RST                          NEW (no reply seen), CLOSE, and the entry is
                                    destroyed at once (RST and no reply seen)
 f16 A ACK                          NEW again: entry 4
Flow 7 (port 40020): normal handshake + data
 f17 SYN, f18 SYN/ACK, f19 ACK, f20 A data, f21 B ACK   NEW, ..., ESTABLISHED

With loose=0: f1-f8 and f12-f14, f16 are INVALID with NO reason logged
(tcp_new() refuses silently), f9-f11 and f15 (FIN, RST, RST/ACK as the
first packet) are INVALID "invalid new" (that check comes before the loose
check); flow 7 is tracked as usual (entry 1).
"""
from common import Capture, Tcp, syn_options

cap = Capture()
c = Tcp(cap, sport=40014, dport=443, isn_a=5_000_000, isn_b=7_000_000, ts=True)
c.win["a"], c.win["b"] = 502, 509
c.a("PA", b"a" * 100)
c.b("PA", b"b" * 1448)
c.b("PA", b"c" * 1448)
c.a("A")
c.b("PA", b"d" * 100, seq=c.nxt["b"] + 10_000_000, advance=False)
c.a("A", ack=c.nxt["b"] + 20_000_000)
c.a("PA", b"e" * 50)
c.b("A")

for port, flags in ((40015, "FA"), (40016, "R"), (40017, "RA")):
    t = Tcp(cap, sport=port, dport=443, isn_a=port * 1000, isn_b=port * 2000)
    t.a(flags)

t = Tcp(cap, sport=40018, dport=443, isn_a=8_000_000, isn_b=9_000_000)
t.b("A")
t.a("PA", b"f" * 20)

t = Tcp(cap, sport=40019, dport=443, isn_a=10_000_000, isn_b=11_000_000)
t.a("A")
t.a("R")
t.a("A", seq=t.nxt["a"])

t = Tcp(cap, sport=40020, dport=443, isn_a=12_000_000, isn_b=13_000_000)
t.handshake(opts_a=syn_options(), opts_b=syn_options())
t.a("PA", b"g" * 30)
t.b("A")
cap.write("tcp-ack-pickup.pcap")
