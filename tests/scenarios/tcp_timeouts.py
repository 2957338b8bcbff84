"""TCP: per-state timeouts of the opening states and CLOSE, scaled down:
--set nf_conntrack_tcp_timeout_syn_sent=2 --set nf_conntrack_tcp_timeout_syn_recv=3
--set nf_conntrack_tcp_timeout_close=4. (SYN_SENT2 has no sysctl: its timeout
is always 120 s, settable only through a cttimeout policy.) Every probe is at
least 0.35 s away from an expiry.

A = 192.0.2.1, B = 198.51.100.2:80.

 F1 (port 40160) SYN_SENT: f1 SYN t=0.00 (timeout 2); f17 SYN again t=1.5: alive
    (same entry 1, no refresh); f18 SYN again t=2.4: NEW entry (expired at 2.0)
 F2 (port 40161) SYN_RECV: f2 SYN, f3 SYN/ACK t=0.01 (timeout 3); f23 A ACK
    t=3.4: the entry is gone: NEW mid-stream pickup
 F3 (port 40162) SYN_RECV alive: f4 SYN, f5 SYN/ACK t=0.02; f21 A ACK t=2.6:
    ESTABLISHED, ASSURED
 F4 (port 40163) SYN_SENT2: f6 SYN, f7 B SYN t=0.03: SYN_SENT2, but the timeout
    is not refreshed (a SYN while SYN_SENT and no reply seen yet), so the 2 s
    SYN_SENT timer keeps running; f19 A SYN/ACK t=2.45: INVALID "invalid new"
    (expired, although SYN_SENT2's own timeout is 120)
 F5 (port 40164) SYN_SENT2 refreshed: f8 SYN, f9 B SYN t=0.04, f16 A SYN again
    t=1.0 (SEEN_REPLY is set now: refreshed with the SYN_SENT2 timeout, 120);
    f20 A SYN/ACK t=2.5: alive, SYN_RECV
 F6 (port 40165) CLOSE: f10-f12 handshake, f13 A RST t=0.05 (timeout 4); f25 A
    ACK t=4.4: NEW pickup (expired)
 F7 (port 40166) CLOSE alive: handshake, f14/f15 A RST t=0.06; f24 A ACK t=3.6:
    alive, ESTABLISHED (state CLOSE)
"""
from common import Capture, Tcp, syn_options

cap = Capture()


def tcp(port):
    return Tcp(cap, sport=port, dport=80, isn_a=port * 113, isn_b=port * 127)


f1 = tcp(40160)
s1 = f1.nxt["a"]
f1.a("S", options=syn_options(), at=0.0, advance=False)
f2 = tcp(40161)
f2.a("S", options=syn_options(), at=0.01)
f2.b("SA", options=syn_options())
f3 = tcp(40162)
f3.a("S", options=syn_options(), at=0.02)
f3.b("SA", options=syn_options())
f4 = tcp(40163)
s4a, s4b = f4.nxt["a"], f4.nxt["b"]
f4.a("S", options=syn_options(), at=0.03)
f4.b("S", options=syn_options())
f5 = tcp(40164)
s5a, s5b = f5.nxt["a"], f5.nxt["b"]
f5.a("S", options=syn_options(), at=0.04)
f5.b("S", options=syn_options())
f6 = tcp(40165)
f6.handshake(opts_a=syn_options(), opts_b=syn_options(), at=0.05)
f6.a("R")
f7 = tcp(40166)
f7.handshake(opts_a=syn_options(), opts_b=syn_options(), at=0.06)
f7.a("R")

f5.a("S", seq=s5a, options=syn_options(), at=1.0, advance=False)
f1.a("S", seq=s1, options=syn_options(), at=1.5, advance=False)
f1.a("S", seq=s1, options=syn_options(), at=2.4, advance=False)
f4.a("SA", seq=s4a, options=syn_options(), at=2.45, advance=False)
f5.a("SA", seq=s5a, options=syn_options(), at=2.5, advance=False)
f3.a("A", at=2.6)
f2.a("A", at=3.4)
f7.a("A", at=3.6)
f6.a("A", at=4.4)
cap.write("tcp-timeouts.pcap")
