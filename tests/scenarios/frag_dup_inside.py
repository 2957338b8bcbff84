"""What counts as a duplicate: a fragment inside a "run" (IPv4 and IPv6).

inet_frag_queue_insert() keeps the fragments in an rb-tree of runs: a fragment
that starts exactly where the tail run ends is appended to it, anything else
starts a new run (a new tree node). A new fragment that lies entirely inside
ONE run is IPFRAG_DUP (silently dropped, queue kept), WHATEVER ITS BYTES; one
that touches a run only partly, or spans two runs, is IPFRAG_OVERLAP and the
whole queue is discarded (RFC 5722 applied to IPv4 too since Linux 4.19).
So the same bytes can be a harmless duplicate or kill the datagram depending
on the ORDER in which the earlier fragments arrived. reassembled.jsonl shows
which bytes conntrack got. Each datagram: UDP A -> B, 48 bytes, pieces p1 [0,16),
p2 [16,32), p3 [32,48) (M=0); X is an extra fragment, "other" = different bytes.

 per family (v4 f1-f23 A 192.0.2.1 -> B 198.51.100.2, ids 0x14xx;
             v6 f24-f46 A 2001:db8::1 -> B 2001:db8:1::2, ids 0x64xx):
 E1 p1, p2, X=[8,24) other, p3      p1+p2 are one run [0,32): X is a duplicate,
                                    dropped; p3 NEW with the ORIGINAL bytes
 E2 p2, p1, X=[8,24) other, p3      p2 then p1: two runs; X spans both: overlap,
                                    queue discarded; p3 starts a new queue: never
                                    completed (all four DROP)
 E3 p1, X=[0,16) other, p2, p3      same offset and length, other bytes: duplicate,
                                    first copy wins; p3 NEW, original bytes
 E4 [0,32) as one fragment, X=[8,16) other, p3
                                    X inside one fragment: duplicate; p3 NEW, original
 E5 p1, p2, X=[0,32) same bytes, p3 X covers exactly the run p1+p2: duplicate; p3 NEW
 E6 p2, p1, X=[0,32) same bytes, p3 the SAME bytes after out-of-order arrival span two
                                    runs: overlap, queue discarded; p3 never completed
 v4 frames: E1 f1-f4 (f4 NEW), E2 f5-f8 (DROP), E3 f9-f12 (f12 NEW), E4 f13-f15 (f15 NEW),
 E5 f16-f19 (f19 NEW), E6 f20-f23 (DROP); v6: the same at f24-f46
"""
from common import A4, B4, A6, B6, Capture, udp
from common_frag import frag4, frag6, pattern

cap = Capture()

for fam in (4, 6):
    src, dst = (A4, B4) if fam == 4 else (A6, B6)
    base = 0x1400 if fam == 4 else 0x6400
    sp = 40600 if fam == 4 else 40610

    def F(seg, off, length, more, ident, data=None):
        d = seg[off:off + length] if data is None else data
        mk = frag4 if fam == 4 else frag6
        cap.add(mk(src, dst, 17, d, off, more, ident))

    for k, plan in enumerate([
        [(0, 16, 1, 0), (16, 16, 1, 0), (8, 16, 1, 1), (32, 16, 0, 0)],      # E1
        [(16, 16, 1, 0), (0, 16, 1, 0), (8, 16, 1, 1), (32, 16, 0, 0)],      # E2
        [(0, 16, 1, 0), (0, 16, 1, 1), (16, 16, 1, 0), (32, 16, 0, 0)],      # E3
        [(0, 32, 1, 0), (8, 8, 1, 1), (32, 16, 0, 0)],                       # E4
        [(0, 16, 1, 0), (16, 16, 1, 0), (0, 32, 1, 0), (32, 16, 0, 0)],      # E5
        [(16, 16, 1, 0), (0, 16, 1, 0), (0, 32, 1, 0), (32, 16, 0, 0)],      # E6
    ], start=1):
        seg = udp(src, dst, sp + k, 5340, pattern(40, k))
        other = bytes(0xEE for _ in range(48))
        cap.wait(0.01)
        for off, length, more, oth in plan:
            F(seg, off, length, bool(more), base + k, other[off:off + length] if oth else None)

cap.write("frag-dup-inside.pcap")
