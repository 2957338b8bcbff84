"""TCP: FIN segments that carry data, and a FIN as the third segment of the
handshake (the connection never becomes ESTABLISHED). Default sysctls.

A = 192.0.2.1, B = 198.51.100.2:80.

Flow 1 (port 40005): FINs with data.
 f1-f3 handshake                           SYN_SENT, SYN_RECV, ESTABLISHED+ASSURED
 f4  A FIN/PSH/ACK + 50 bytes              FIN_WAIT (the FIN counts after the data)
 f5  B ACK of data+FIN (ack +51)           CLOSE_WAIT
 f6  B FIN/PSH/ACK + 100 bytes             LAST_ACK
 f7  A ACK (ack +101)                      TIME_WAIT
Flow 2 (port 40006): SYN, SYN/ACK, then A sends FIN/PSH/ACK + 30 bytes as
its third segment ("send the request and close").
 f8  SYN                                   NEW, SYN_SENT
 f9  SYN/ACK                               SYN_RECV
 f10 A FIN/PSH/ACK + data                  FIN_WAIT (fin: SR -> FW); ASSURED is
                                           NOT set: that needs SR/ES -> ES
 f11 B ACK, f12 B FIN + 80 bytes, f13 A ACK  CLOSE_WAIT, LAST_ACK, TIME_WAIT,
                                           never ASSURED (table: no [ASSURED])
"""
from common import Capture, Tcp, syn_options

cap = Capture()
c = Tcp(cap, sport=40005, dport=80, isn_a=700000, isn_b=900000)
c.handshake(opts_a=syn_options(), opts_b=syn_options())
c.a("FPA", b"d" * 50)
c.b("A")
c.b("FPA", b"e" * 100)
c.a("A")

d = Tcp(cap, sport=40006, dport=80, isn_a=1700000, isn_b=1900000)
d.a("S", options=syn_options())
d.b("SA", options=syn_options())
d.a("FPA", b"GET / HTTP/1.0\r\n\r\n" + b"z" * 12)
d.b("A")
d.b("FPA", b"f" * 80)
d.a("A")
cap.write("tcp-fin-with-data.pcap")
