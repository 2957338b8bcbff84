"""TCP: a new SYN (another ISN) on an ESTABLISHED entry, e.g. the client
rebooted and reuses the port. Default sysctls.

A = 192.0.2.1, B = 198.51.100.2:80.

Flow 1 (port 40029), the RFC 5961 challenge-ACK dance:
 f1-f3 handshake, f4 A 100 bytes, f5 B 200 bytes, f6 A ACK   ESTABLISHED, ASSURED
 f7  A SYN, new ISN                 ignored: "packet (index 0) in dir 0 ignored,
                                    state ESTABLISHED" (accepted as ESTABLISHED;
                                    the kernel notes last_dir=ORIGINAL,
                                    last_index=SYN, last_end=ISN'+1)
 f8  B challenge ACK (seq = B's next, ack = A's OLD next)
                                    ESTABLISHED/REPLY, no reason (an in-window
                                    ACK: now last_dir=REPLY, last_index=ACK)
 f9  A RST, seq = the challenge ACK's ack   CLOSE (exact: seq == B's max ack),
                                    timeout 10
 f10 A SYN again (ISN')             DESTROY 1 (the last packet in this direction
                                    was a RST), and the SYN is NEW: entry 2,
                                    SYN_SENT
 f11 B SYN/ACK, f12 A ACK           SYN_RECV, ESTABLISHED, ASSURED
Flow 2 (port 40030): the server answers the new SYN with a SYN/ACK.
 f13-f18 handshake + data           ESTABLISHED, ASSURED
 f19 A SYN, new ISN                 ignored (as f7)
 f20 B SYN/ACK acking ISN'+1        re-synchronised from the ignored SYN:
                                    SYN_RECV, no reason, still ASSURED (the bit
                                    stays from the old connection)
 f21 A ACK                          ESTABLISHED
 f22 A 10 bytes (new sequence space), f23 B ACK   ESTABLISHED
Flow 3 (port 40031): a SYN/ACK that does not ack the ignored SYN.
 f24-f29 handshake + data           ESTABLISHED
 f30 A SYN, new ISN                 ignored
 f31 B SYN/ACK acking the old data  ignored: "packet (index 1) in dir 1 ignored,
                                    state ESTABLISHED" (ack != ISN'+1)
 f32 A 10 bytes in the OLD sequence space   ESTABLISHED
"""
from common import Capture, Tcp, syn_options

cap = Capture()


def setup(port):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 10, isn_b=port * 70)
    c.handshake(opts_a=syn_options(), opts_b=syn_options())
    c.a("PA", b"m" * 100)
    c.b("PA", b"n" * 200)
    c.a("A")
    return c


c = setup(40029)
old_a = c.nxt["a"]
c.nxt["a"] = 900_000_000
new_isn = c.nxt["a"]
c.a("S", options=syn_options())                       # f7
c.b("A", ack=old_a)                                   # f8 challenge ACK
c.a("R", seq=old_a, advance=False)                    # f9
c.a("S", seq=new_isn, options=syn_options(), advance=False)   # f10
c.b("SA", options=syn_options())                      # new ISN for B too
c.a("A")

c = setup(40030)
c.nxt["a"] = 950_000_000
c.a("S", options=syn_options())
c.nxt["b"] = 960_000_000
c.b("SA", options=syn_options())
c.a("A")
c.a("PA", b"o" * 10)
c.b("A")

c = setup(40031)
old_a, old_b = c.nxt["a"], c.nxt["b"]
c.a("S", seq=970_000_000, options=syn_options(), advance=False)
c.b("SA", seq=old_b - 1, ack=old_a, options=syn_options(), advance=False)
c.a("PA", b"p" * 10)
cap.write("tcp-syn-in-established.pcap")
