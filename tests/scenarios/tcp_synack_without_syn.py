"""TCP: a SYN/ACK with no SYN before it (the SYN was not seen, e.g. asymmetric
routing or a capture that starts late), default sysctls (tcp_loose=1).

A = 192.0.2.1, B = 198.51.100.2:80.

Flow 1 (port 40012):
 f1  B SYN/ACK (first packet)       INVALID "invalid new" (synack: NONE -> IV),
                                    no entry
 f2  B SYN/ACK retransmitted        INVALID "invalid new" again
 f3  A ACK (third handshake step)   NEW, picked up as ESTABLISHED, timeout 300
                                    (capped while no reply was seen)
 f4  B 100 bytes                    ESTABLISHED/REPLY, SEEN_REPLY (timeout 300)
 f5  A ACK                          ESTABLISHED, ASSURED (timeout 432000)
 f6  B SYN/ACK once more (late)     ignored: "packet (index 1) in dir 1 ignored,
                                    state ESTABLISHED"
Flow 2 (port 40013): SYN/ACK first, then the client's SYN is seen after all.
 f7  B SYN/ACK                      INVALID "invalid new"
 f8  A SYN                          NEW, SYN_SENT
 f9  B SYN/ACK                      SYN_RECV
 f10 A ACK                          ESTABLISHED, ASSURED
"""
from common import Capture, Tcp, syn_options

cap = Capture()
c = Tcp(cap, sport=40012, dport=80, isn_a=1_000_000, isn_b=2_000_000)
isn_b = c.nxt["b"]
c.nxt["a"] += 1                       # A's SYN (not seen) used one number
c.b("SA", options=syn_options(), advance=False)
c.b("SA", options=syn_options())
c.a("A")
c.b("PA", b"w" * 100)
c.a("A")
c.b("SA", seq=isn_b, ack=c.nxt["a"], options=syn_options(), advance=False)

d = Tcp(cap, sport=40013, dport=80, isn_a=3_000_000, isn_b=4_000_000)
d.b("SA", ack=d.nxt["a"] + 1, options=syn_options(), advance=False)
d.a("S", options=syn_options())
d.b("SA", options=syn_options())
d.a("A")
cap.write("tcp-synack-without-syn.pcap")
