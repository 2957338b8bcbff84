"""TCP: RSTs (and a FIN) outside the window. Recorded twice:
tcp-rst-out-of-window (defaults: nf_conntrack_tcp_ignore_invalid_rst=0) and
tcp-rst-out-of-window-ignore-invalid-rst (--set
nf_conntrack_tcp_ignore_invalid_rst=1). Windows: no scaling, 65535.

A = 192.0.2.1, B = 198.51.100.2:80. Every flow: handshake, A 100 bytes, B ACK.

Flow 1 (port 40060): f6 B RST seq = B's next + 3,000,000
   both: INVALID "SEQ is over upper bound"
Flow 2 (port 40061): f12 A RST seq = A's next - 5000 (below B's ack, in window)
   ignore=0: INVALID "invalid rst";  ignore=1: ESTABLISHED stays (in window,
   not exact), close timeout
Flow 3 (port 40062): f18 A RST seq = A's next - 1,000,000 (far below)
   ignore=0: INVALID "invalid rst";  ignore=1: accepted but ignored "SEQ is
   under lower bound" (ESTABLISHED)
Flow 4 (port 40063): f24 A FIN (FIN_WAIT), f25 B RST seq = B's next + 3,000,000
   both: CLOSE: in FIN_WAIT/CLOSE_WAIT/LAST_ACK/TIME_WAIT/CLOSE a RST skips
   every sequence check
Flow 5 (port 40064): f31 A FIN with seq = A's next + 3,000,000: INVALID "SEQ
   is over upper bound"; f32 B RST seq = B's next + 3,000,000: INVALID, and
   because it answers an invalid FIN from the other direction on an ASSURED
   entry the timeout drops to nf_conntrack_tcp_timeout_unacknowledged:
   reason "packet (index 4, dir 1) response for index 2 lower timeout to
   75000" (jiffies); table.txt shows ~300 s left for this entry
"""
from common import Capture, Tcp

cap = Capture()


def setup(port):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 53, isn_b=port * 59)
    c.handshake()
    c.a("PA", b"i" * 100)
    c.b("A")
    return c


c = setup(40060)
c.b("R", seq=c.nxt["b"] + 3_000_000, advance=False)

c = setup(40061)
c.a("R", seq=c.nxt["a"] - 5000, advance=False)

c = setup(40062)
c.a("R", seq=c.nxt["a"] - 1_000_000, advance=False)

c = setup(40063)
c.a("FA")
c.b("R", seq=c.nxt["b"] + 3_000_000, advance=False)

c = setup(40064)
c.a("FA", seq=c.nxt["a"] + 3_000_000, advance=False)
c.b("R", seq=c.nxt["b"] + 3_000_000, advance=False)
cap.write("tcp-rst-out-of-window.pcap")
