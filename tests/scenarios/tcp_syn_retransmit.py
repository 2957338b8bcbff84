"""TCP: SYN retransmissions before any answer: same ISN, higher ISN, lower
ISN, and a retransmission with different options.
Recorded with --set nf_conntrack_tcp_timeout_syn_sent=3.

A = 192.0.2.1, B = 198.51.100.2:80.

Flow 1 (port 40021): same ISN; does a retransmission refresh the timeout?
 f1  t=0.0 SYN                     NEW, entry 1, SYN_SENT, timeout 3
 f2  t=1.0 SYN again               NEW, entry 1 (no event: the kernel does not
                                   renew the timeout on a SYN retransmission
                                   while no reply was seen)
 f3  t=2.0 SYN again               NEW, entry 1
 f4  t=3.4 SYN again               NEW, a NEW entry: entry 1 expired at t=3.0
                                   (0.4 s earlier), the retransmissions did not
                                   extend it
Flow 2 (port 40022, t=4): second SYN with a higher ISN (+100000): the
 initiator is re-initialised; the SYN/ACK for the new ISN -> SYN_RECV, ACK ->
 ESTABLISHED.
Flow 3 (port 40023): second SYN with an ISN 100000 LOWER; the SYN/ACK acks
 the lower ISN+1. Unpatched 6.x reading: the lower SYN does not re-init
 (needs after(end, td_end)), so that SYN/ACK's ack is 100000 below the
 first ISN: "ignored ACK under lower bound", state stays SYN_SENT, and the
 client's ACK is INVALID (ack in SYN_SENT). With the 2025 "reinitialized TCP
 connection" patch: "ignored SYN with SEQ before the previous one", then
 SYN_RECV.
Flow 4 (port 40024): as flow 3 but only 1000 lower: SYN/ACK passes the window
 checks (within 66000) -> SYN_RECV, ACK -> ESTABLISHED.
Flow 5 (port 40025): first SYN with window scale 7, retransmission (same ISN)
 WITHOUT the window-scale option; SYN/ACK with wscale 7. The retransmission
 is not parsed again, so scaling stays on: A's ACK with window 1000
 (=128000 scaled) lets B send 100 bytes 100000 bytes ahead (f27 ESTABLISHED,
 no reason).
"""
from common import Capture, Tcp, syn_options

cap = Capture()
c = Tcp(cap, sport=40021, dport=80, isn_a=100_000, isn_b=200_000)
isn = c.nxt["a"]
for t in (0.0, 1.0, 2.0, 3.4):
    c.a("S", seq=isn, options=syn_options(), at=t, advance=False)

c = Tcp(cap, sport=40022, dport=80, isn_a=1_000_000, isn_b=1_500_000)
c.a("S", options=syn_options(), at=4.0, advance=False)
c.nxt["a"] += 100_000
c.a("S", options=syn_options())
c.b("SA", options=syn_options())
c.a("A")

for port, delta in ((40023, 100_000), (40024, 1000)):
    c = Tcp(cap, sport=port, dport=80, isn_a=port * 100, isn_b=port * 200)
    c.a("S", options=syn_options(), advance=False)
    c.nxt["a"] -= delta
    c.a("S", options=syn_options())
    c.b("SA", options=syn_options())
    c.a("A")
    c.a("PA", b"h" * 10)
    c.b("A")

c = Tcp(cap, sport=40025, dport=80, isn_a=6_000_000, isn_b=7_000_000)
c.win["a"] = 64240
c.a("S", options=syn_options(wscale=7), advance=False)
c.a("S", options=syn_options(wscale=None))
c.b("SA", options=syn_options(wscale=7))
c.a("A", win=1000)
c.b("PA", b"i" * 100, seq=c.nxt["b"] + 100_000, advance=False)
cap.write("tcp-syn-retransmit.pcap")
