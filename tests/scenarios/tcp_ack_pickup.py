"""TCP: picking up connections in mid-stream (no SYN seen). Recorded twice:
tcp-ack-pickup-loose1 (default nf_conntrack_tcp_loose=1) and
tcp-ack-pickup-loose0 (--set nf_conntrack_tcp_loose=0).

A = 192.0.2.1, B = 198.51.100.2:443. The picked-up connection really uses
window scale 7 (window fields ~500 mean ~64 KB), which conntrack cannot know.

Expected with loose=1 (with loose=0 every frame of flows 1-6 is INVALID with
no reason logged, and flow 7, a normal handshake, is tracked as usual):
Flow 1 (port 40014), picked up by A's data:
 f1  A 100 bytes + ACK (win 502)    NEW, ESTABLISHED, timeout 300 (no reply yet:
                                    the unacknowledged timeout caps it); both
                                    directions are marked "be liberal" + SACK
 f2  B 1448 bytes + ACK (win 509)   ESTABLISHED/REPLY, SEEN_REPLY
 f3  B 1448 bytes                   ESTABLISHED (beyond A's unscaled 502-byte
                                    window: passes, liberal)
 f4  A ACK                          ESTABLISHED, ASSURED (timeout 432000)
 f5  B 100 bytes 10 MB ahead        ESTABLISHED, no reason (liberal: out-of-
                                    window checks pass silently)
 f6  A ACK of data never sent       ESTABLISHED, no reason (liberal)
 f7  A 50 bytes, f8 B ACK           ESTABLISHED
Flow 2 (port 40015): first packet FIN/ACK     INVALID "invalid new"
Flow 3 (port 40016): first packet RST         INVALID "invalid new"
Flow 4 (port 40017): first packet RST/ACK     INVALID "invalid new"
Flow 5 (port 40018): picked up from the server's side: B ACK first
 f12 B ACK                          NEW: the entry's original direction is B -> A
 f13 A 20 bytes                     ESTABLISHED/REPLY
Flow 6 (port 40019): pickup, then a RST before any reply
 f14 A ACK                          NEW, ESTABLISHED
 f15 A RST                          ESTABLISHED... the entry is destroyed at once
                                    (RST and no reply seen)
 f16 A ACK                          NEW again (another entry)
Flow 7 (port 40020): normal handshake + data (works with loose=0 too)
 f17 SYN, f18 SYN/ACK, f19 ACK, f20 A data, f21 B ACK
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
