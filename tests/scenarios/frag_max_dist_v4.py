"""IPv4 net.ipv4.ipfrag_max_dist (default 64) on the bridge's conntrack defrag.

ip_frag_queue() calls ip_frag_too_far() for every fragment (the IPSKB_FRAG_COMPLETE
exemption does not apply to fragments arriving from the wire), also for
ip_defrag(user IP_DEFRAG_CONNTRACK_BRIDGE_IN) in this bridge namespace. Each
queue remembers the per-SOURCE-address fragment counter (inet_peer rid, shared by
all queues from that source, whatever the destination) at its last fragment; a
fragment that finds more than ipfrag_max_dist fragments from the same source
between it and the queue's previous one makes ip_frag_reinit() throw away
everything the queue held: the queue restarts with this fragment alone (and
its timer is re-armed). "More than 64 between" means: counter(now) -
counter(queue's last fragment) > 64, i.e. 64 or more OTHER fragments from that
source in between. Fillers are complete 2-fragment UDP datagrams of one flow
(never answered, so each one is NEW on the same entry); the datagram under
test is UDP, a = [0,16) MF, b = [16,40) last.
A4 192.0.2.1, B4 198.51.100.2, R4 203.0.113.9, C4 203.0.113.50 (another
destination). Frames are 1 ms apart.

 M1 f1        A->B D1a (:41901, id 0x1e01)     held
    f2-f65    64 filler fragments A->B (flow :41950, ids 0x1f00..): every second one
              completes a filler datagram, NEW (entry 1)
    f66       D1b: 64 other fragments from A4 since D1a (distance 65 > 64): the queue
              is reset, D1b stays alone: held
    f67       D1a again                        NEW (entry 2): completes with D1b; f1 was
                                               thrown away (the harness lists it anyway)
 M2 f68       A->B D2a (:41902)                held
    f69-f130  62 filler fragments (31 datagrams), then f131 a lone fragment A->B of
              another datagram (never completed): 63 in between
    f132      D2b: distance 64, not more than 64: NEW (entry 3)
 M3 f133      A->B D3a (:41903)                held
    f134-f197 64 filler fragments from R4 (another source, flow :41960) to B (entry 4)
    f198      D3b: R4's fragments do not count: NEW (entry 5)
 M4 f199      A->B D4a (:41904)                held
    f200-f263 64 filler fragments A->C4 (same source, another destination, flow :41970,
              entry 6)
    f264      D4b: they count (the counter is per source): reset, never completed
"""
from common import A4, B4, R4, Capture, udp
from common_frag import frag4, pattern

C4 = "203.0.113.50"
cap = Capture()
fid = [0x1f00]


def test_piece(k, which):
    s = udp(A4, B4, 41900 + k, 5470, pattern(32, k))
    if which == "a":
        cap.add(frag4(A4, B4, 17, s[:16], 0, True, 0x1e00 + k))
    else:
        cap.add(frag4(A4, B4, 17, s[16:], 16, False, 0x1e00 + k))


def fillers(n_datagrams, src, dst, sport):
    for _ in range(n_datagrams):
        s = udp(src, dst, sport, 5470, pattern(8))
        i = fid[0]
        fid[0] += 1
        cap.add(frag4(src, dst, 17, s[:8], 0, True, i))
        cap.add(frag4(src, dst, 17, s[8:], 8, False, i))


test_piece(1, "a")
fillers(32, A4, B4, 41950)
test_piece(1, "b")
test_piece(1, "a")

test_piece(2, "a")
fillers(31, A4, B4, 41950)
s = udp(A4, B4, 41951, 5470, pattern(8))
cap.add(frag4(A4, B4, 17, s[:8], 0, True, 0x1eff))
test_piece(2, "b")

test_piece(3, "a")
fillers(32, R4, B4, 41960)
test_piece(3, "b")

test_piece(4, "a")
fillers(32, A4, C4, 41970)
test_piece(4, "b")

cap.write("frag-max-dist-v4.pcap")
