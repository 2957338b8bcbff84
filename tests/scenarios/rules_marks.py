"""Packet marks and connection marks (rules_marks.v4, kernel-replay
--rules). mangle PREROUTING: `CONNMARK --restore-mark --nfmask 0xff00
--ctmask 0xff00`; a packet whose mark & 0xff00 is now non-zero RETURNs
(already classified); otherwise MARK tcp/22 0x100, tcp/80 0x200, udp/53
0x300 (all /0xff00); `CONNMARK --set-xmark 0x10000/0x10000` on NEW tcp/22
(a ct-only bit); `CONNMARK --save-mark` (0xff00 both ways). mangle
POSTROUTING: NEW with connmark 0x200/0xff00 -> `CONNMARK --set-xmark
0x20000/0x20000`. filter FORWARD (policy DROP): TTL 33 DROP; connmark
0x100/0xff00 accept; mark 0x200/0xff00 + ctdir ORIGINAL accept; connmark
0x200/0xff00 + ctdir REPLY accept; udp + mark 0x300/0xff00 accept; connmark
0x10000/0x10000 accept (never reached). kernel-replay's KTR_LOG chain in
mangle FORWARD rewrites packet-mark bits 0x0f only, out of the way.

A = 192.0.2.1 -> B = 198.51.100.2.
 f1-f3  ssh handshake          f1: mark 0x100, ct 0x10000 then save-mark keeps
                               it: NEW event mark=65792 (0x10100); f2 (reply):
                               restore gives 0x100 -> RETURN; all ACCEPT by the
                               connmark rule
 f4-f6  web handshake          f4: mark 0x200 saved; accepted by mark+ORIGINAL;
                               mangle POSTROUTING adds 0x20000 BEFORE confirm,
                               so the NEW event already says mark=131584
                               (0x20200); f5 (reply) restored 0x200, accepted by
                               connmark+REPLY
 f7, f8 GET / response         ESTABLISHED, same rules
 f9, f10 DNS query / answer    mark 0x300 (query), restored 0x300 (answer): the
                               udp+mark rule; entry mark=768
 f11    UDP A -> B:123         no class, mark 0: NEW, DROP (policy)
 f12    its reply              NEW (no entry), mark 0, DROP
 f13    A -> B:443 SYN         NEW, DROP
 f14    DNS query, TTL 33      marked 0x300 and saved on the unconfirmed entry,
                               then dropped in FORWARD: the entry and its mark
                               are gone
 f15    same tuple, TTL 64     NEW again, entry 4, marked afresh (mark=768)
 f16    answer                 ESTABLISHED/REPLY
 f17, f18 ssh data             restored 0x100 both ways, connmark rule
 f19    B: frag-needed quoting f7   RELATED/REPLY of the web entry: restore-mark
                               gives a RELATED packet its master entry's mark
                               (0x200), accepted by connmark+REPLY
 f20-f22 web close             ESTABLISHED
table.txt: web mark=131584, DNS mark=768 (x2), ssh mark=65792. Counters:
restore 22, RETURN 14 (every packet whose entry had a mark), MARK 22/80/53:
1/1/3, CONNMARK 0x10000 1; FORWARD TTL 1, connmark 0x100 5, mark 0x200 orig
5, connmark 0x200 reply 4, udp mark 0x300 4, connmark 0x10000 0, policy 3.
"""
from common import A4, B4, Capture, ipv4, udp
from common_helper import Conn, Udp
from common_l4 import icmp4_err

cap = Capture()
ssh = Conn(cap, A4, B4, 48022, 22, isn_a=1_000_000, isn_b=2_000_000)
ssh.open()                                    # f1-f3
web = Conn(cap, A4, B4, 48080, 80, isn_a=3_000_000, isn_b=4_000_000)
web.open()                                    # f4-f6
get = web.a(b"GET / HTTP/1.0\r\n\r\n")        # f7
web.b(b"HTTP/1.0 200 OK\r\n\r\n")             # f8
dns = Udp(cap, A4, B4, 48053, 53)
dns.a(b"query")                               # f9
dns.b(b"answer")                              # f10
ntp = Udp(cap, A4, B4, 48123, 123)
ntp.a(b"ntp")                                 # f11 unclassified
ntp.b(b"ntp reply")                           # f12
Conn(cap, A4, B4, 48443, 443, isn_a=5_000_000).seg("a", "S")   # f13
cap.add(ipv4(A4, B4, 17, udp(A4, B4, 48054, 53, b"query ttl 33"), ttl=33), frm="a")  # f14
dns2 = Udp(cap, A4, B4, 48054, 53)
dns2.a(b"query again")                        # f15
dns2.b(b"answer")                             # f16
ssh.a(b"ssh data")                            # f17
ssh.b(b"ssh reply")                           # f18
cap.add(ipv4(B4, A4, 1, icmp4_err(3, 4, bytes(get)[14:42], rest=b"\0\0\x05\xdc")), frm="b")  # f19
web.close()                                   # f20-f22
cap.write("rules-marks.pcap")
