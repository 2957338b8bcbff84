"""NOTRACK / CT --notrack and what the matches see on an UNTRACKED packet.
Two recordings of this capture: rules-notrack (rules_notrack.v4 + .v6,
iptables-nft: -m conntrack / -m state / -m connmark run as the xtables
matches, `match name conntrack rev 3` in the nft bytecode) and
rules-nft-notrack (rules_nft_notrack.nft: `notrack`, `ct zone set`, native
nft `ct` expressions). raw PREROUTING: NOTRACK udp/5353 both ways; CT
--notrack udp dport 6000-6099 (A->B only), udp/6100 only with TTL 32, tcp
dport 7000 (A->B only); udp/6201 `CT --zone 5` then `CT --notrack`; udp/6202
the other way round. FORWARD policy DROP: ports 6001-6014 each ask one
question (ACCEPT = the match is true for an UNTRACKED packet), then accepts
for the other flows. IPv6: only `--ctstate UNTRACKED -j ACCEPT`.

A = 192.0.2.1, B = 198.51.100.2. "iptables | nft" where they differ.
 f1  :6001 --ctstate UNTRACKED          true  (ACCEPT)
 f2  :6002 --ctstate NEW                false (DROP)
 f3  :6003 --ctstate INVALID            false
 f4  :6004 ! --ctstate NEW              true
 f5  :6005 --ctdir ORIGINAL             false (no conntrack: any ct criterion
                                        other than the state fails)
 f6  :6006 --ctdir REPLY                false
 f7  :6007 --ctstatus CONFIRMED         false
 f8  :6008 ! --ctstatus CONFIRMED       false (negation does not help)
 f9  :6009 -m state --state UNTRACKED   true  | nft `ct state & untracked`: true
 f10 :6010 -m state ! --state NEW       true  | nft `ct state & new == 0`: true
 f11 :6011 -m connmark --mark 0         false | nft `ct mark 0`: false
 f12 :6012 --ctproto udp                false | nft `ct original protocol`: false
 f13 :6013 --ctstate NEW,UNTRACKED --ctdir ORIGINAL
                                        TRUE: xt_conntrack with no conntrack
                                        returns "state matched" and ignores the
                                        direction | nft `ct state {new,untracked}
                                        ct direction original`: FALSE (DROP),
                                        ct direction breaks the rule
 f14 :6014 ! --ctstate INVALID          true
     All of f1-f14: ctstate UNTRACKED, no entry, no event.
 f15 B:6001 -> A:45001 (reply)          not notracked (the raw rule is on the
                                        destination port): NEW/ORIGINAL, entry 1
                                        created in the B->A orientation, ACCEPT
 f16 A:45001 -> B:6001 again            UNTRACKED: the raw rule wins before any
                                        lookup, although entry 1's reply tuple
                                        matches; entry 1 stays UNREPLIED
 f17 B -> A again                       NEW (entry 1 still unreplied), no event
 f18, f19 UDP 5353 both ways (NOTRACK)  UNTRACKED, ACCEPT
 f20, f21 UDP A -> B:6100, reply        NEW (entry 2), ESTABLISHED/REPLY
 f22 A -> B:6100 with TTL 32            UNTRACKED (only this packet): entry 2
                                        not refreshed, no event
 f23 A -> B:6100 TTL 64                 ESTABLISHED/ORIGINAL of entry 2
 f24 A -> B:6201 (zone 5, then notrack) NEW, entry 3 in zone 5 (table.txt
                                        zone=5): the second CT target is a
                                        no-op, the packet already has a template
 f25 A -> B:6202 (notrack, then zone 5) UNTRACKED | nft: NEW, entry 4 zone 5:
                                        nft `ct zone set` replaces an earlier
                                        `notrack`; `notrack` after `ct zone set`
                                        is a no-op (f24 the same in both)
 f26 A:47000 -> B:7000 SYN              UNTRACKED
 f27 B:7000 -> A SYN/ACK                INVALID "invalid new" (tracked, no SYN
                                        seen), ACCEPT by `--ports 7000`
 f28 A ACK                              UNTRACKED
 f29 B data                             NEW/ORIGINAL: loose pickup, entry
                                        4 | 5 ESTABLISHED in the B->A
                                        orientation, timeout 300
 f30 A data                             UNTRACKED (the entry never sees a reply)
 f31 B: port unreach quoting f1         RELATED/ORIGINAL of entry 1 (the quoted
                                        A->B:6001 packet is entry 1's reply
                                        direction), ACCEPT
 f32 B: port unreach quoting f2         INVALID (no entry for A->B:6002), ACCEPT
                                        by `-p icmp`
 f33, f34 IPv6 NS / NA                  UNTRACKED without any rule, ACCEPT
 f35 IPv6 echo request                  NEW, DROP (policy)
"""
import struct

from common import A4, A6, B4, B6, LL_A, LL_B, Capture, addr_bytes, icmp6, ipv4, ipv6, udp
from common_helper import Conn, Udp
from common_l4 import icmp4_err

cap = Capture()

q = {}
for port in range(6001, 6015):                       # f1-f14 one question each
    q[port] = Udp(cap, A4, B4, 45000 + port - 6000, port).a(b"question %d" % port)
u1 = Udp(cap, A4, B4, 45001, 6001)
u1.b(b"reply 6001")                                  # f15 reply of an untracked flow: NEW
u1.a(b"again 6001")                                  # f16 UNTRACKED again
u1.b(b"reply 6001 again")                            # f17
mdns = Udp(cap, A4, B4, 5353, 5353)
mdns.a(b"mdns query")                                # f18 NOTRACK (old target)
mdns.b(b"mdns answer")                               # f19
ttl = Udp(cap, A4, B4, 45100, 6100)
ttl.a(b"ttl 64")                                     # f20 NEW
ttl.b(b"reply")                                      # f21
cap.add(ipv4(A4, B4, 17, udp(A4, B4, 45100, 6100, b"ttl 32"), ttl=32), frm="a")  # f22
ttl.a(b"ttl 64 again")                               # f23
Udp(cap, A4, B4, 45201, 6201).a(b"zone first")       # f24
Udp(cap, A4, B4, 45202, 6202).a(b"notrack first")    # f25
t = Conn(cap, A4, B4, 47000, 7000, isn_a=1_000_000, isn_b=2_000_000)
t.open()                                             # f26-f28 half-untracked handshake
t.b(b"server data")                                  # f29
t.a(b"client data")                                  # f30
cap.add(ipv4(B4, A4, 1, icmp4_err(3, 3, bytes(q[6001])[14:42])), frm="b")   # f31
cap.add(ipv4(B4, A4, 1, icmp4_err(3, 3, bytes(q[6002])[14:42])), frm="b")   # f32


def nd(src, dst, typ, target, opt_type, mac):
    body = addr_bytes(target) + struct.pack(">BB6s", opt_type, 1, bytes.fromhex(mac.replace(":", "")))
    flags = b"\x60\0\0\0" if typ == 136 else b"\0\0\0\0"
    return cap.add(ipv6(src, dst, 58, icmp6(src, dst, typ, 0, rest=flags, data=body), hlim=255),
                   frm="a" if src == LL_A else "b")


nd(LL_A, LL_B, 135, LL_B, 1, "02:00:00:00:0a:01")   # f33 NS
nd(LL_B, LL_A, 136, LL_B, 2, "02:00:00:00:0b:01")   # f34 NA
cap.add(ipv6(A6, B6, 58, icmp6(A6, B6, 128, 0, 0x33, 1, b"ping6")), frm="a")   # f35 echo: NEW
cap.write("rules-notrack.pcap")
