"""Exact duplicate fragments, before and after the datagram completed (IPv4, IPv6).

A fragment that lies entirely inside what the queue already holds is a
duplicate (inet_frag_queue_insert -> IPFRAG_DUP): it is dropped and the queue
is kept, so the datagram still completes on the fragment that brings the last
missing bytes. Once a datagram is reassembled its queue is removed from the
hash table (inet_frag_kill), so a copy that arrives afterwards does not find a
"complete" queue: it starts a NEW queue, which is held until it expires or
until the rest of the datagram arrives again, in which case conntrack sees the
datagram a second time. Each datagram: UDP A -> B, 72 bytes in pieces 32+32+8.

 per family (v4: f1-f18, A 192.0.2.1 -> B 198.51.100.2;
             v6: f19-f36, A 2001:db8::1 -> B 2001:db8:1::2):
 D1  p1, p1 (same bytes), p2, p3     completes on p3: NEW (the copy f2 dropped, queue kept)
 D2  p3, p3, p1, p2                  copy of the last fragment first: completes on p2, NEW
 D3  p1, p2, p3, then p3 again       p3 NEW; the late copy starts a new queue: held,
                                     never completed (verdict DROP)
 D4  p1, p2, p3, then p1, p2, p3 again
                                     first p3 NEW; the copies form a second queue and
                                     complete again: conntrack sees the datagram twice, the
                                     second p3 is NEW again on the same entry (no reply yet)
 v4: D1 f1-f4 (f4 NEW entry 1), D2 f5-f8 (f8 NEW e2), D3 f9-f12 (f11 NEW e3, f12 DROP),
     D4 f13-f18 (f15 NEW e4, f18 NEW e4); v6: the same at f19-f36 (entries 5-8)
"""
from common import A4, B4, A6, B6, Capture, udp
from common_frag import send4, send6, pattern

cap = Capture()
S = (32, 32)

for fam in (4, 6):
    src, dst = (A4, B4) if fam == 4 else (A6, B6)
    send = send4 if fam == 4 else send6
    base = 0x1300 if fam == 4 else 0x6300
    sp = 40500 if fam == 4 else 40510

    def dg(k):
        return udp(src, dst, sp + k, 5330, pattern(64, k))
    send(cap, src, dst, 17, dg(1), S, base + 1, [1, 1, 2, 3], gap=0.01)
    send(cap, src, dst, 17, dg(2), S, base + 2, [3, 3, 1, 2], gap=0.01)
    send(cap, src, dst, 17, dg(3), S, base + 3, [1, 2, 3, 3], gap=0.01)
    send(cap, src, dst, 17, dg(4), S, base + 4, [1, 2, 3, 1, 2, 3], gap=0.01)

cap.write("frag-duplicates.pcap")
