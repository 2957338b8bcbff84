"""TCP: checksum verification with --set nf_conntrack_checksum=1 (the kernel
default; kernel-replay otherwise sets 0). A bad checksum is INVALID "bad
checksum", checked before anything else (no entry, no state change).

A = 192.0.2.1 / 2001:db8::1, B = 198.51.100.2 / 2001:db8:1::2, port 80.

 f1  IPv4 SYN, bad checksum (port 40150)    INVALID "bad checksum"
 f2  the same SYN, good checksum             NEW, SYN_SENT (f1 left nothing)
 f3  SYN/ACK bad                              INVALID
 f4  SYN/ACK good, f5 ACK good                SYN_RECV, ESTABLISHED
 f6  A data, bad checksum                     INVALID
 f7  A data, checksum 0                       INVALID (0 is not special in TCP)
 f8  A data good, f9 B ACK                    ESTABLISHED
 f10 A RST exact seq, bad checksum            INVALID (no CLOSE)
 f11 A data, f12 B ACK                        ESTABLISHED (still)
 f13 A FIN bad checksum                       INVALID
 f14 IPv6 SYN bad (port 40151)                INVALID "bad checksum"
 f15 IPv6 SYN good, f16 SYN/ACK, f17 ACK       NEW, SYN_RECV, ESTABLISHED
 f18 IPv6 data bad                            INVALID
 f19 IPv6 data good                           ESTABLISHED
"""
from common import A6, B6, Capture, Tcp, syn_options

cap = Capture()
c = Tcp(cap, sport=40150, dport=80, isn_a=150_000, isn_b=250_000)
isn = c.nxt["a"]
c.a("S", options=syn_options(), csum="bad", advance=False)
c.a("S", options=syn_options())
ib = c.nxt["b"]
c.b("SA", options=syn_options(), csum="bad", advance=False)
c.b("SA", options=syn_options())
c.a("A")
c.a("PA", b"bad", csum="bad", advance=False)
c.a("PA", b"zero", csum="zero", advance=False)
c.a("PA", b"good")
c.b("A")
c.a("R", csum="bad", advance=False)
c.a("PA", b"more")
c.b("A")
c.a("FA", csum="bad", advance=False)

d = Tcp(cap, a=A6, b=B6, sport=40151, dport=80, isn_a=151_000, isn_b=251_000)
d.a("S", options=syn_options(), csum="bad", advance=False)
d.a("S", options=syn_options())
d.b("SA", options=syn_options())
d.a("A")
d.a("PA", b"bad6", csum="bad", advance=False)
d.a("PA", b"good6")
cap.write("tcp-checksum-on.pcap")
