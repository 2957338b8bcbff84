"""Overlapping fragments, IPv4 and IPv6 (default sysctls).

RFC 5722 (IPv6): a datagram with overlapping fragments is discarded whole.
Linux applies the same rule to IPv4 (since 4.19, ip_frag_queue ->
inet_frag_queue_insert -> IPFRAG_OVERLAP -> inet_frag_kill), even when the
overlapping bytes are identical. The queue is killed and removed from the
hash table at once: the fragments that arrive afterwards do not see a dead
queue, they start a new one, which completes if every piece arrives again.
(A fragment lying entirely inside what is already held is a duplicate, not
an overlap: see frag-dup-inside.) Datagrams: UDP A -> B, 48 bytes; pieces
named by byte range; M=1 except on the piece ending at 48.

 per family (v4 f1-f16 A 192.0.2.1 -> B 198.51.100.2, ids 0x15xx;
             v6 f17-f35 A 2001:db8::1 -> B 2001:db8:1::2, ids 0x65xx):
 V1 [0,24), [16,40) same bytes, [40,48)
       the second overlaps the first by 8 identical bytes: queue discarded;
       [40,48) starts a new queue that never completes (all DROP)
 V2 (v6 only; the IPv4 case is in the shared synthetic/ipv4-fragments)
    [0,24), [16,40) other bytes, [40,48)      the same: all DROP
 V3 [16,32), [8,40) (a superset of it), [0,16), [32,48)
       the superset overlaps: discarded; [0,16) and [32,48) then form a new
       queue that still lacks [16,32): never completed
 V4 [0,16), [16,32), last fragment [24,48) (overlaps the end), [32,48)
       overlap at the end: discarded; the proper last piece starts a new
       queue: never completed
 V5 [0,16), [8,24) (overlap), [16,32), [32,48), [0,16) again
       [8,24) kills the queue; [16,32), [32,48) and the resent [0,16) form a
       new queue: the last frame is NEW, completing the datagram (the harness
       lists all earlier frames of this id as "completed by" it, but only the
       last three were part of it)
"""
from common import A4, B4, A6, B6, Capture, udp
from common_frag import frag4, frag6, pattern

cap = Capture()

for fam in (4, 6):
    src, dst = (A4, B4) if fam == 4 else (A6, B6)
    base = 0x1500 if fam == 4 else 0x6500
    sp = 40700 if fam == 4 else 40710
    mk = frag4 if fam == 4 else frag6
    other = bytes([0xEE]) * 48
    plans = {
        1: [(0, 24, 0), (16, 24, 0), (40, 8, 0)],
        2: [(0, 24, 0), (16, 24, 1), (40, 8, 0)],
        3: [(16, 16, 0), (8, 32, 0), (0, 16, 0), (32, 16, 0)],
        4: [(0, 16, 0), (16, 16, 0), (24, 24, 0), (32, 16, 0)],
        5: [(0, 16, 0), (8, 16, 0), (16, 16, 0), (32, 16, 0), (0, 16, 0)],
    }
    for k, plan in plans.items():
        if fam == 4 and k == 2:
            continue
        seg = udp(src, dst, sp + k, 5350, pattern(40, k))
        cap.wait(0.01)
        for off, length, oth in plan:
            data = (other if oth else seg)[off:off + length]
            cap.add(mk(src, dst, 17, data, off, off + length < 48, base + k))

cap.write("frag-overlap.pcap")
