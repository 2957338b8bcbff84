"""Conflicting ends and empty fragments: IPv4 kills the queue, IPv6 drops only the
fragment (default sysctls).

ip_frag_queue (IPv4) and nf_ct_frag6_queue (IPv6) run the same checks, with
one difference: on a conflicting end or an empty fragment IPv4 jumps to
discard_qp (inet_frag_kill: the whole datagram is lost), while nf_ct_frag6_queue
just returns -EINVAL (this fragment is dropped, the queue lives on).
Checks: a last fragment (M=0) whose end is below what is already known, or a
second last fragment with another end; a non-last fragment beyond a known end;
a fragment with no payload (end == offset).
Datagrams: UDP A -> B, 48 bytes, pieces named by byte range, M=0 only where
marked "last". Then the missing pieces are sent; whether the datagram completes
shows whether the queue survived.

 per family (v4 f1-f25 A 192.0.2.1 -> B 198.51.100.2, ids 0x16xx;
             v6 f26-f50 A 2001:db8::1 -> B 2001:db8:1::2, ids 0x66xx):
 C1 last [32,48), last [32,40) (shorter end), [0,16), [16,32)
 C2 last [32,48), last [32,56) (longer end), [0,16), [16,32)
 C3 last [32,48), [48,56) M=1 (beyond the end), [0,16), [16,32)
 C4 [0,16), [16,32), last [16,24) (end 24 below the 32 already held), last [32,48)
 C5 [0,16), empty fragment at 16 (M=1), [16,32), last [32,48)
    v4: C1-C5 the conflicting fragment kills the queue; the following pieces start
        a new queue without the dropped ones: never completed (all DROP)
    v6: C1-C5 only the conflicting fragment is dropped; the datagram completes on
        its last frame (NEW); the harness lists the dropped frame among those
        "completed by" it
 C6 [0,16), [16,32), [32,48) all M=1, then an empty last fragment at 48, then [32,48)
    again
    v4: the empty fragment kills the queue (the copy of [32,48) starts a new one)
    v6: the empty last fragment is refused only after it set "last seen, length
        48" on the queue, which now holds all 48 bytes but was never reassembled
        (the completeness check runs only after a successful insert); the copy of
        [32,48) is a duplicate: nothing ever completes it (all DROP)
 frames: v4 C1 f1-f4, C2 f5-f8, C3 f9-f12, C4 f13-f16, C5 f17-f20, C6 f21-f25 (all DROP);
 v6 C1 f26-f29 (f29 NEW), C2 f30-f33, C3 f34-f37, C4 f38-f41, C5 f42-f45 (each last frame
 NEW), C6 f46-f50 (all DROP)
"""
from common import A4, B4, A6, B6, Capture, udp
from common_frag import frag4, frag6, pattern

cap = Capture()

for fam in (4, 6):
    src, dst = (A4, B4) if fam == 4 else (A6, B6)
    base = 0x1600 if fam == 4 else 0x6600
    sp = 40800 if fam == 4 else 40810
    mk = frag4 if fam == 4 else frag6
    # (offset, length, more); data taken from the datagram (zero-filled past it)
    plans = {
        1: [(32, 16, 0), (32, 8, 0), (0, 16, 1), (16, 16, 1)],
        2: [(32, 16, 0), (32, 24, 0), (0, 16, 1), (16, 16, 1)],
        3: [(32, 16, 0), (48, 8, 1), (0, 16, 1), (16, 16, 1)],
        4: [(0, 16, 1), (16, 16, 1), (16, 8, 0), (32, 16, 0)],
        5: [(0, 16, 1), (16, 0, 1), (16, 16, 1), (32, 16, 0)],
        6: [(0, 16, 1), (16, 16, 1), (32, 16, 1), (48, 0, 0), (32, 16, 1)],
    }
    for k, plan in plans.items():
        seg = udp(src, dst, sp + k, 5360, pattern(40, k)) + bytes(16)
        cap.wait(0.01)
        for off, length, more in plan:
            cap.add(mk(src, dst, 17, seg[off:off + length], off, bool(more), base + k))

cap.write("frag-end-conflicts.pcap")
