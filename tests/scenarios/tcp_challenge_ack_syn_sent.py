"""TCP: the firewall sees a SYN, but the server still has an old connection on
the same ports and answers with a challenge ACK (RFC 5961) instead of a
SYN/ACK; the client resets and tries again. Default sysctls.

A = 192.0.2.1, B = 198.51.100.2:80.

Flow 1 (port 40035):
 f1  A SYN                          NEW, SYN_SENT
 f2  B ACK (seq S, ack = A's old next N)   ignored: "packet (index 3) in dir 1
                                    ignored, state SYN_SENT"; the kernel notes
                                    its ack N. Accepted as ESTABLISHED/REPLY, so
                                    SEEN_REPLY is set (event "UPDATE 1 SYN_SENT
                                    ... [SEEN_REPLY]") though the state did not
                                    change
 f3  A RST, seq = N                 CLOSE, timeout 10 ("reset in response to a
                                    challenge-ack we let through": no window
                                    check); NOT destroyed, because SEEN_REPLY is
                                    set
 f4  A SYN again                    DESTROY 1 (the last packet in this direction
                                    was a RST): NEW, entry 2
 f5  B SYN/ACK, f6 A ACK            SYN_RECV, ESTABLISHED, ASSURED
Flow 2 (port 40036): the RST does not match the challenge ACK.
 f7  A SYN, f8 B challenge ACK      SYN_SENT, ignored (SEEN_REPLY)
 f9  A RST, seq = N + 70000         INVALID "SEQ is over upper bound 520470 (over
                                    the window of the receiver)" (the window
                                    check is not skipped)
 f10 A RST, seq = N                 CLOSE, kept (table: CLOSE, 10 s)
"""
from common import Capture, Tcp, syn_options

cap = Capture()
for port, wrong_first in ((40035, False), (40036, True)):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 13, isn_b=port * 17)
    old_next = port * 1000 + 12345
    c.a("S", options=syn_options(), advance=False)
    c.b("A", seq=port * 3000, ack=old_next, advance=False)
    if wrong_first:
        c.a("R", seq=old_next + 70_000, advance=False)
        c.a("R", seq=old_next, advance=False)
    else:
        c.a("R", seq=old_next, advance=False)
        c.a("S", options=syn_options())
        c.b("SA", options=syn_options())
        c.a("A")
cap.write("tcp-challenge-ack-syn-sent.pcap")
