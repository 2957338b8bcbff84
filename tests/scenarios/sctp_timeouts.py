"""SCTP timeouts, scaled: closed=2, cookie_wait=2, cookie_echoed=2,
established=4, shutdown_*=2, heartbeat_sent=2 s. Which timeout each state
gets, expiry in COOKIE_WAIT, ESTABLISHED, CLOSED and HEARTBEAT_SENT, and the
"INIT retransmission in CLOSED does not refresh" rule. A = 192.0.2.1,
B = 198.51.100.2, one port pair per association (61NN); A's tags
0x0a0a11NN, B's 0x0b0b11NN. Every expiry is >= 0.3 s from the nearest frame.

 t=0.00 f1  :6101 INIT                NEW, CLOSED, timeout 2
 t=0.01 f2  :6101 INIT_ACK            COOKIE_WAIT, 2 (expires 2.01)
 t=0.10 f3-f6 :6102 handshake         ... ESTABLISHED, timeout 4, ASSURED
 t=0.20 f7  :6103 INIT                NEW, CLOSED, 2 (expires 2.20)
 t=0.30 f8-f16 :6104 handshake, DATA, SACK, SHUTDOWN, SHUTDOWN_ACK,
        SHUTDOWN_COMPLETE             ... CLOSED, 2 (expires ~2.31)
 t=0.40 f17 :6105 HEARTBEAT           NEW, HEARTBEAT_SENT, 2 (expires 2.40)
 t=1.00 f18 :6103 INIT retransmission NEW (unreplied), CLOSED; no event and,
                                      as f20 shows, no refresh
 t=2.60 f19 :6101 COOKIE_ECHO         INVALID, no entry (COOKIE_WAIT entry expired;
                                      DESTROY 1 is reported with this frame)
 t=2.70 f20 :6103 INIT                NEW, entry 6 (entry 3 expired at 2.20 despite f18)
 t=2.80 f21 :6104 INIT                NEW, entry 7 (CLOSED entry expired)
 t=2.90 f22 :6105 HEARTBEAT_ACK       NEW, entry 8, CLOSED (HEARTBEAT_SENT entry expired;
                                      a first HEARTBEAT_ACK makes a CLOSED entry)
 t=3.00 f23 :6102 DATA                ESTABLISHED (refreshed: expires 7.00)
 t=6.50 f24 :6102 DATA                ESTABLISHED (0.5 s left; refreshed to 10.50)
 t=10.9 f25 :6102 DATA                INVALID, no entry (expired at 10.50; DATA cannot
                                      create one)
DESTROY events come when an expired entry is looked up or the GC finds it,
so which frame carries them can vary (f25 carries the GC's).
"""
from common import Capture
from common_l4 import Sctp

cap = Capture()


def assoc(n):
    return Sctp(cap, sport=6100 + n, dport=6100 + n, tag_a=0x0A0A1100 + n, tag_b=0x0B0B1100 + n)


s1, s2, s3, s4, s5 = (assoc(n) for n in range(1, 6))
s1.init("a", at=0.0)
s1.init_ack("b", at=0.01)
s2.handshake(at=0.10)
s3.init("a", at=0.20)
s4.handshake(at=0.30)
s4.data("a"); s4.sack("b")
s4.shutdown("a"); s4.shutdown_ack("b"); s4.shutdown_complete("a")
s5.heartbeat("a", at=0.40)
s3.init("a", at=1.00)
s1.cookie_echo("a", at=2.60)
s3.init("a", at=2.70)
s4.init("a", at=2.80)
s5.heartbeat_ack("b", at=2.90)
s2.data("a", at=3.00)
s2.data("a", at=6.50)
s2.data("a", at=10.90)
cap.write("sctp-timeouts.pcap")
