"""Reassembly timeout: net.ipv4.ipfrag_time=2, nf_conntrack_frag6_timeout=2 (IPv4, IPv6).

The queue timer is armed ONCE, when the queue is created by its first
fragment (inet_frag_create: mod_timer(jiffies + timeout)); later fragments do
not push it back. On expiry the queue and its fragments are freed (no ICMP
"fragment reassembly time exceeded" is sent for conntrack/bridge defrag:
frag_expire_skip_icmp for IPv4, user != IP6_DEFRAG_LOCAL_DELIVER for IPv6;
nothing shows up as "generated"). A fragment that arrives later starts a new
queue with its own 2 s timer. Each datagram: UDP A -> B, 40 bytes; v4 frames
at the listed times, every v6 frame 50 ms after its v4 twin (times in s from
the start; every expiry is >= 0.3 s away from a frame).

 v4 A 192.0.2.1 -> B 198.51.100.2 (ids 0x18xx), v6 A 2001:db8::1 -> B 2001:db8:1::2 (0x68xx)
 T1 [0,16) at 0.5; last [16,40) at 3.0   expired at 2.5: the late last fragment starts a new
                                          queue, never completed (both DROP)
 T2 [0,16) at 0.6; [16,32) at 2.0; last [32,40) at 2.9
                                          the middle fragment did not refresh the timer:
                                          expired at 2.6, never completed
 T3 [0,16) at 0.7; last [16,40) at 2.3   1.6 s: completes, NEW
 T4 [0,16) at 0.8; last [16,40) at 3.2; [0,16) again at 3.6
                                          the first queue expired at 2.8; the last fragment
                                          and the resent first one complete a new queue: NEW
                                          at 3.6 (the harness also lists the expired first
                                          frame as "completed by" it)
 frames in time order: v4 T1a f1, v6 T1a f2, T2a f3/f4, T3a f5/f6, T4a f7/f8, T2b f9/f10,
 T3b f11/f12, T2c f13/f14, T1b f15/f16, T4b f17/f18, T4c f19/f20
"""
from common import A4, B4, A6, B6, Capture, udp
from common_frag import frag4, frag6, pattern

cap = Capture()
events = []   # (time, family, datagram, (off, end))
plan = {
    1: [(0.5, 0, 16), (3.0, 16, 40)],
    2: [(0.6, 0, 16), (2.0, 16, 32), (2.9, 32, 40)],
    3: [(0.7, 0, 16), (2.3, 16, 40)],
    4: [(0.8, 0, 16), (3.2, 16, 40), (3.6, 0, 16)],
}
for k, pieces in plan.items():
    for t, off, end in pieces:
        for fam, dt in ((4, 0.0), (6, 0.05)):
            events.append((t + dt, fam, k, off, end))
for t, fam, k, off, end in sorted(events):
    src, dst = (A4, B4) if fam == 4 else (A6, B6)
    seg = udp(src, dst, 41000 + k + (10 if fam == 6 else 0), 5380, pattern(32, k))
    mk = frag4 if fam == 4 else frag6
    ident = (0x1800 if fam == 4 else 0x6800) + k
    cap.add(mk(src, dst, 17, seg[off:end], off, end < 40, ident), at=t)

cap.write("frag-timeout.pcap")
