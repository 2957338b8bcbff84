"""GRE version 1 (PPTP enhanced GRE, RFC 2637) WITHOUT a PPTP control
connection: the tuple's destination key is the call id, the source key
comes from the PPTP helper's keymap (empty here: 0). So the two directions
of one PPTP call (each side sends the PEER's call id) make two unrelated,
never-replied entries. A = 192.0.2.1, B = 198.51.100.2, C = 192.0.2.3.
Default sysctls.

 f1  A -> B v1 call id 0x1111, seq 1     NEW, entry 1 (srckey 0 dstkey 0x1111)
 f2  B -> A v1 call id 0x2222            NEW, entry 2 (not entry 1's reply)
 f3  A -> B v1 call id 0x1111 again      NEW (entry 1, still unreplied)
 f4  A -> B v1 call id 0x3333            NEW, entry 3
 f5  B -> A v1 call id 0                 NEW, entry 4 (keys 0 / 0)
 f6  A -> B v1 call id 0                 ESTABLISHED/REPLY, entry 4 (call id 0 both ways
                                         is the only way to get a reply)
 f7  B -> A v1 call id 0 again           ESTABLISHED, ASSURED, timeout 180
 f8  A -> B v1 protocol 0x0800 (not PPP) INVALID, no reason (no tuple)
 f9  A -> B v1 header of 6 bytes         ESTABLISHED/REPLY, ASSURED: entry 4 (keys 0: a
                                         cut header counts as call id 0; kernel-replay
                                         does not name the entry)
 f10 C -> B v1 header of 6 bytes         NEW, entry 5 (keys 0 / 0)
 f11 A -> B v1 without the K bit         NEW, entry 1 (call id read anyway)
 f12 A -> B v1 ack only, call 0x1111     NEW, entry 1
 f13 A -> B v1 S and A bits, call 0x1111 NEW, entry 1
 f14 B -> A v1 call id 0x1111            NEW, entry 6 (B->A, dstkey 0x1111)
"""
from common import A4, B4, Capture, ipv4
from common_l4 import gre

C4 = "192.0.2.3"
cap = Capture()
PPP = b"\xff\x03\x00\x21" + ipv4("10.0.0.1", "10.0.0.2", 253, b"ppp payload")


def g(src, dst, payload, frm="a"):
    cap.add(ipv4(src, dst, 47, payload), frm=frm)


def v1(call, seq=1, proto=0x880B, payload=PPP, **kw):
    return gre(proto, payload, version=1, call_id=call, seq=seq, **kw)


g(A4, B4, v1(0x1111))                                   # f1
g(B4, A4, v1(0x2222), "b")                              # f2
g(A4, B4, v1(0x1111, 2))                                # f3
g(A4, B4, v1(0x3333))                                   # f4
g(B4, A4, v1(0), "b")                                   # f5
g(A4, B4, v1(0))                                        # f6
g(B4, A4, v1(0, 2), "b")                                # f7
g(A4, B4, v1(0x1111, 3, proto=0x0800))                  # f8
g(A4, B4, v1(0x1111, 4)[:6])                            # f9
g(C4, B4, v1(0x1111, 4)[:6], "r")                       # f10
g(A4, B4, gre(0x880B, PPP, version=1, call_id=0x1111, raw_flags=0x0001))   # f11
g(A4, B4, gre(0x880B, b"", version=1, call_id=0x1111, ack=1))               # f12
g(A4, B4, gre(0x880B, PPP, version=1, call_id=0x1111, seq=5, ack=1))        # f13
g(B4, A4, v1(0x1111), "b")                              # f14
cap.write("gre-v1-pptp.pcap")
