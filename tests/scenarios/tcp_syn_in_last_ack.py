"""TCP: a SYN while in LAST_ACK, and the server's RFC 5961 challenge ACK that
must not be taken as the last ACK. Default sysctls.

A = 192.0.2.1, B = 198.51.100.2:80.

Flow 1 (port 40032):
 f1-f3 handshake, f4 A FIN, f5 B ACK, f6 B FIN   FIN_WAIT, CLOSE_WAIT, LAST_ACK
 f7  A SYN (new ISN; A lost its state) ignored: "packet (index 0) in dir 0
                                      ignored, state LAST_ACK"; the kernel flags
                                      "challenge ACK expected"
 f8  B challenge ACK (reply ACK)      would be LAST_ACK -> TIME_WAIT, but:
                                      "challenge-ack ignored", state stays LAST_ACK
 f9  A RST, seq = the challenge's ack CLOSE (timeout 10; no sequence checks for
                                      a RST in LAST_ACK)
 f10 A SYN again                      DESTROY 1 (a FIN was seen), NEW entry 2,
                                      SYN_SENT
Flow 2 (port 40033): the ordinary last ACK, for comparison.
 f11-f16 as f1-f6                     LAST_ACK
 f17 A ACK of B's FIN                 TIME_WAIT
Flow 3 (port 40034): SYN ignored in LAST_ACK, then A's own real last ACK
 f18-f23 as f1-f6
 f24 A SYN                            ignored, state LAST_ACK
 f25 A ACK of B's FIN (orig. direction)   TIME_WAIT (only a reply-direction
                                      ACK is taken as the challenge ACK)
"""
from common import Capture, Tcp, syn_options

cap = Capture()


def to_last_ack(port):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 11, isn_b=port * 77)
    c.handshake(opts_a=syn_options(), opts_b=syn_options())
    c.a("FA")
    c.b("A")
    c.b("FA")
    return c


c = to_last_ack(40032)
last = c.nxt["a"]
c.a("S", seq=123_456_789, options=syn_options(), advance=False)
c.b("A", ack=last)
c.a("R", seq=last, advance=False)
c.a("S", seq=123_456_789, options=syn_options(), advance=False)

c = to_last_ack(40033)
c.a("A")

c = to_last_ack(40034)
c.a("S", seq=223_456_789, options=syn_options(), advance=False)
c.a("A")
cap.write("tcp-syn-in-last-ack.pcap")
