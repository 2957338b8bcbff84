"""Early drop on a full table of unassured entries: which entries go?
Recorded with --set nf_conntrack_max=256 --set nf_conntrack_buckets=1 (the
kernel rounds the hash table up to one page of bucket heads: 512 buckets).

early_drop(hash of the new tuple) looks at the new tuple's bucket and the 7
buckets after it (NF_CT_EVICTION_RANGE 8, wrapping), in that order, and stops
at the first bucket in which it killed something; early_drop_list() kills
EVERY entry in that bucket that is not ASSURED (and not expired, dying, or
offloaded; expired ones are reaped on the way without counting). Every entry
sits in two buckets (original and reply tuple). Bucket positions depend on a
boot-time siphash key and a per-namespace hash mix, so the victims differ on
every run. What does not change: ASSURED entries are never victims, and with
252 unassured entries spread over 512 buckets the 8-bucket window is empty
with probability (1 - 8/512)^504, about 0.04 %, so every new tuple gets in.

A = 192.0.2.1, B = 198.51.100.2.
 f1-f12  t=0.00-0.03 four TCP handshakes A:40201-40204 -> B:80
                                    entries 1-4, ESTABLISHED, ASSURED
 f13-f264 t=0.100-0.604 (2 ms apart) UDP A:20001..20252 -> B:7300, one
                                    datagram each: entries 5-256, UNREPLIED
                                    (not ASSURED). The table is full (256).
 f265-f276 t=1.00-1.55 (50 ms apart) new UDP flows A:30001..30012 -> B:7301
                                    NEW, ACCEPT (entries 257-268). A frame
                                    that needed room kills all unassured
                                    entries of one bucket: its events start
                                    with one or more `DESTROY n` (n among
                                    5-256 or an earlier new flow); a frame
                                    that follows a multiple kill finds room
                                    and destroys nothing. The number and the
                                    identity of the victims are random.
 f277    t=1.60 TCP A:40201 -> B:80 data    ESTABLISHED, entry 1 (the ASSURED
                                    entries 1-4 are never destroyed)
Final table: entries 1-4 plus at most 252 others (256 minus the surplus of
a multiple kill that no later flow used up).
Two recordings, victims per frame f265-f276: 2,0,1,3,0,0,1,3,0,0,2,0 (trial)
and 3,0,0,1,1,2,0,1,3,0,0,1 (the fixture), 12 in all both times (final table
256 lines); ctstate, ctdir, verdict and entry numbers were the same, the
DESTROY events and the surviving UDP entries differ.
"""
from scapy.all import IP, UDP, Raw
from common import A4, B4, Capture, Tcp, syn_options

cap = Capture()
conns = []
for k in range(4):
    c = Tcp(cap, sport=40201 + k, dport=80, isn_a=3_000_000 * (k + 1), isn_b=8_000_000 + k)
    c.handshake(opts_a=syn_options(), opts_b=syn_options(), at=0.01 * k)
    conns.append(c)
for n in range(252):
    cap.add(IP(src=A4, dst=B4, id=n) / UDP(sport=20001 + n, dport=7300) / Raw(b"fill"),
            at=0.100 + 0.002 * n, frm="a")
for n in range(12):
    cap.add(IP(src=A4, dst=B4, id=1000 + n) / UDP(sport=30001 + n, dport=7301) / Raw(b"new"),
            at=1.00 + 0.05 * n, frm="a")
conns[0].a("PA", b"still here", at=1.60)
cap.write("table-early-drop-random.pcap")
