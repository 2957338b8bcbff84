"""TCP: RSTs on ESTABLISHED (ASSURED) connections whose sequence number is
"exact", i.e. equal to the highest ACK the peer sent, or the end of the
sender's previous segment (a RST "train"). Default sysctls.

A = 192.0.2.1, B = 198.51.100.2:80.

Flow 1 (port 40052): f1-f3 handshake, f4 A 100 bytes, f5 B ACK,
 f6  A RST seq = A's next (= B's ack)        CLOSE, timeout 10
 f7  A 20 bytes after the RST                ESTABLISHED (accepted, ack: CL -> CL)
 f8  B ACK                                   CLOSE
Flow 2 (port 40053): f9-f11 handshake, f12 B 500 bytes, f13 A ACK,
 f14 B RST/ACK exact                         CLOSE
Flow 3 (port 40054): RST right after the sender's own un-ACKed data
 f15-f17 handshake, f18 A 100 bytes (not ACKed)
 f19 A RST seq = end of f18                  CLOSE (not B's ack, but the RST
                                             continues A's last segment)
Flow 4 (port 40055): the same RST, but a B segment came in between
 f20-f22 handshake, f23 A 100 bytes, f24 B 50 bytes acking only what came
 before f23
 f25 A RST seq = end of f23                  ESTABLISHED stays ("keep
                                             established state to allow a
                                             challenge ACK"), timeout 10
 f26 B ACK (acks f23)                        ESTABLISHED
 f27 A RST seq = end of f23 (now exact)      CLOSE
Flow 5 (port 40056): RST/ACK with ack number 0 and exact seq
 f28-f30 handshake, f31 A RST/ACK ack=0      CLOSE
"""
from common import Capture, Tcp, syn_options

cap = Capture()


def hs(port):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 37, isn_b=port * 41)
    c.handshake(opts_a=syn_options(), opts_b=syn_options())
    return c


c = hs(40052)
c.a("PA", b"a" * 100)
c.b("A")
c.a("R")
c.a("PA", b"b" * 20)
c.b("A")

c = hs(40053)
c.b("PA", b"c" * 500)
c.a("A")
c.b("RA")

c = hs(40054)
c.a("PA", b"d" * 100)
c.a("R")

c = hs(40055)
una = c.nxt["a"]
c.a("PA", b"e" * 100)
c.b("PA", b"f" * 50, ack=una)
c.a("R")
c.b("A")
c.a("R")

c = hs(40056)
c.a("RA", ack=0)
cap.write("tcp-rst-exact-seq.pcap")
