"""An IPv6 stateful forward firewall (rules_ipv6_stateful.v6, kernel-replay
--rules6). FORWARD (policy DROP): a counting rule `--ctstate UNTRACKED`;
RELATED,ESTABLISHED accept; INVALID drop; NS (135) and NA (136) accept; echo
request NEW accept; LAN 2001:db8::/64 may open tcp 80/443 and udp 53; tcp
REJECT tcp-reset; the rest REJECT icmp6-adm-prohibited (both silent on the
bridge, see rules-reject).

A = 2001:db8::1 (LAN), B = 2001:db8:1::2, R = 2001:db8:2::9.
 f1, f2 NS / NA (link-local)      UNTRACKED (counted by the UNTRACKED rule),
                                  ACCEPT by the type rules; no entry
 f3, f4 ping A -> B, reply        NEW ACCEPT (entry 1), ESTABLISHED/REPLY
 f5, f6 ping B -> A, reply        NEW ACCEPT (echo allowed both ways), entry 2
 f7-f9  A:49080 -> B:80 handshake  NEW, ESTABLISHED, entry 3
 f10, f11 GET / response          ESTABLISHED
 f12    R: packet too big quoting f10   RELATED/REPLY of entry 3, ACCEPT
 f13    A -> B:443 SYN behind a Destination Options header
                                  NEW, ACCEPT: `-p tcp` and the multiport match
                                  see TCP behind the extension header (entry 4)
 f14    A -> B:25 SYN             NEW, DROP (REJECT tcp-reset)
 f15    B -> A:80 SYN             NEW from outside, DROP (REJECT tcp-reset)
 f16, f17 UDP A -> B:53, answer   NEW ACCEPT (entry 5), ESTABLISHED/REPLY
 f18    UDP A -> B:123            NEW, DROP (REJECT icmp6-adm-prohibited)
 f19    B: ICMPv6 unreachable quoting f18 (no entry)   INVALID, DROP
 f20    A -> B:80 seq 5*10^6 ahead  INVALID (SEQ over the window), DROP
 f21-f23 close of entry 3         ESTABLISHED: FIN_WAIT, LAST_ACK, TIME_WAIT
Counters: UNTRACKED 2, RELATED,ESTABLISHED 11, INVALID 2, NS 1, NA 1, echo
NEW 2, tcp 80/443 NEW 2, udp 53 NEW 1, REJECT tcp-reset 2, REJECT
adm-prohibited 1, policy 0.
"""
import struct

from common import A6, B6, LL_A, LL_B, R6, Capture, addr_bytes, ext_opts, icmp6, ipv6, tcp
from common_helper import Conn, Udp
from common_l4 import icmp6_err

cap = Capture()


def nd(src, dst, typ, target, opt_type, mac):
    body = addr_bytes(target) + struct.pack(">BB6s", opt_type, 1, bytes.fromhex(mac.replace(":", "")))
    flags = b"\x60\0\0\0" if typ == 136 else b"\0\0\0\0"
    return cap.add(ipv6(src, dst, 58, icmp6(src, dst, typ, 0, rest=flags, data=body), hlim=255),
                   frm="a" if src == LL_A else "b")


def echo(src, dst, typ, ident, frm):
    return cap.add(ipv6(src, dst, 58, icmp6(src, dst, typ, 0, ident, 1, b"ping6-data")), frm=frm)


nd(LL_A, LL_B, 135, LL_B, 1, "02:00:00:00:0a:01")       # f1 NS
nd(LL_B, LL_A, 136, LL_B, 2, "02:00:00:00:0b:01")       # f2 NA
echo(A6, B6, 128, 0x41, "a")                            # f3
echo(B6, A6, 129, 0x41, "b")                            # f4
echo(B6, A6, 128, 0x42, "b")                            # f5 ping from outside: allowed
echo(A6, B6, 129, 0x42, "a")                            # f6
web = Conn(cap, A6, B6, 49080, 80, isn_a=1_000_000, isn_b=2_000_000)
web.open()                                              # f7-f9
get = web.a(b"GET / HTTP/1.1\r\n\r\n")                  # f10
web.b(b"HTTP/1.1 200 OK\r\n\r\n")                       # f11
cap.add(ipv6(R6, A6, 58, icmp6_err(R6, A6, 2, 0, bytes(get)[14:14 + 80],
                                   rest=struct.pack(">I", 1280))), frm="r")   # f12 PTB
t = tcp(A6, B6, 49443, 443, 3_000_000, 0, "S", 65535)
cap.add(ipv6(A6, B6, 60, ext_opts(6, b"\x01\x04\0\0\0\0") + t), frm="a")   # f13 SYN behind DestOpts
Conn(cap, A6, B6, 49025, 25, isn_a=4_000_000).seg("a", "S")   # f14 tcp-reset
Conn(cap, B6, A6, 49026, 80, isn_a=4_100_000).seg("a", "S")   # f15 from outside
dns = Udp(cap, A6, B6, 49053, 53)
dns.a(b"query")                                         # f16
dns.b(b"answer")                                        # f17
ntp = Udp(cap, A6, B6, 49123, 123)
nq = ntp.a(b"ntp")                                      # f18 adm-prohibited
cap.add(ipv6(B6, A6, 58, icmp6_err(B6, A6, 1, 4, bytes(nq)[14:])), frm="b")  # f19 error, unknown flow
web.seg("a", "PA", b"far", seq=1_000_000 + 5_000_000, advance=False)     # f20 out of window
web.close()                                             # f21-f23
cap.write("rules-ipv6-stateful.pcap")
