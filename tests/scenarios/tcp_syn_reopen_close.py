"""TCP: a new SYN on an entry in CLOSE (after a RST), default sysctls. Whether
the old entry is destroyed depends on who sent the RST.

A = 192.0.2.1, B = 198.51.100.2:80.

Flow 1 (port 40040): the CLIENT reset the connection.
 f1-f3 handshake, f4 A data, f5 B ACK        ESTABLISHED, ASSURED
 f6  A RST (exact seq)                       CLOSE, timeout 10
 f7  A SYN (new ISN)                         DESTROY entry 1, NEW entry 2 (the
                                             last packet in this direction was
                                             a RST)
 f8  B SYN/ACK, f9 A ACK                     SYN_RECV, ESTABLISHED
Flow 2 (port 40041): the SERVER reset it.
 f10-f14 as f1-f5, f15 B RST                 CLOSE
 f16 A SYN (new ISN)                         ignored: "packet (index 0) in dir 0
                                             ignored, state CLOSE" (no FIN was
                                             seen and the RST came from B)
 f17 B SYN/ACK acking the new ISN            re-synchronised: SYN_RECV, same entry
                                             3, still ASSURED
 f18 A ACK                                   ESTABLISHED
Flow 3 (port 40042): the SERVER reset it and refuses the new SYN.
 f19-f23, f24 B RST                          CLOSE
 f25 A SYN                                   ignored (state CLOSE)
 f26 B RST/ACK answering the SYN             CLOSE (accepted: no sequence checks
                                             for a RST in CLOSE), timeout 10 again
 f27 A SYN again                             ignored again: the entry blocks the
                                             tuple until it expires (10 s after
                                             the last RST)
"""
from common import Capture, Tcp, syn_options

cap = Capture()


def setup(port):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 29, isn_b=port * 31)
    c.handshake(opts_a=syn_options(), opts_b=syn_options())
    c.a("PA", b"v" * 40)
    c.b("A")
    return c


c = setup(40040)
c.a("R")
c.nxt["a"] += 1_000_000
c.a("S", options=syn_options())
c.nxt["b"] += 1_000_000
c.b("SA", options=syn_options())
c.a("A")

c = setup(40041)
c.b("R")
c.nxt["a"] += 1_000_000
c.a("S", options=syn_options())
c.nxt["b"] += 1_000_000
c.b("SA", options=syn_options())
c.a("A")

c = setup(40042)
c.b("R")
c.nxt["a"] += 1_000_000
syn = c.nxt["a"]
c.a("S", options=syn_options())
c.b("RA", seq=0)
c.a("S", seq=syn, options=syn_options(), advance=False)
cap.write("tcp-syn-reopen-close.pcap")
