"""GRE version 0 (RFC 2784 / 2890) over IPv4: the GRE tracker ignores the
optional checksum, key and sequence fields (tuple keys are always 0 for
anything but version 1), so there is one entry per address pair. ASSURED
and the stream timeout come with the first packet after the reply. Odd
versions and short headers. A = 192.0.2.1, B = 198.51.100.2, C = 192.0.2.3.
Default sysctls (gre_timeout 30, gre_timeout_stream 180).

 f1  A -> B GREv0, protocol 0x0800           NEW, entry 1, timeout 30
 f2  B -> A GREv0 (reply)                    ESTABLISHED/REPLY, SEEN_REPLY, 30
 f3  A -> B GREv0 (third packet)             ESTABLISHED, ASSURED, timeout 180
 f4  A -> B with checksum + key 0x11 + seq 1 ESTABLISHED, entry 1
 f5  B -> A with key 0x22                    ESTABLISHED/REPLY, entry 1
 f6  C -> B with key 0x11 (new address pair) NEW, entry 2
 f7  C -> B with key 0x33                    NEW (unreplied), entry 2
 f8  C -> B protocol 0x880b (PPP), version 0 NEW, entry 2
 f9  C -> B GRE version 2                    NEW, entry 2
 f10 C -> B GRE version 7 + routing bit      NEW, entry 2
 f11 A -> C GRE header of 2 bytes            NEW, entry 3 (a GRE entry with keys 0;
                                             kernel-replay does not name it)
 f12 A -> C no GRE header at all             NEW, entry 3 (likewise)
 f13 C -> A GREv0                            ESTABLISHED/REPLY, entry 3
"""
from common import A4, B4, Capture, ipv4
from common_l4 import gre

C4 = "192.0.2.3"
cap = Capture()
INNER = ipv4("10.0.0.1", "10.0.0.2", 253, b"tunnelled")


def g(src, dst, payload, frm="a"):
    cap.add(ipv4(src, dst, 47, payload), frm=frm)


g(A4, B4, gre(0x0800, INNER))                                   # f1
g(B4, A4, gre(0x0800, INNER), "b")                              # f2
g(A4, B4, gre(0x0800, INNER))                                   # f3
g(A4, B4, gre(0x0800, INNER, csum=True, key=0x11, seq=1))       # f4
g(B4, A4, gre(0x0800, INNER, key=0x22), "b")                    # f5
g(C4, B4, gre(0x0800, INNER, key=0x11), "r")                    # f6
g(C4, B4, gre(0x0800, INNER, key=0x33), "r")                    # f7
g(C4, B4, gre(0x880B, b"\xff\x03\x00\x21" + INNER), "r")        # f8
g(C4, B4, gre(0x0800, INNER, version=2), "r")                   # f9
g(C4, B4, gre(0x0800, INNER, version=7, flags=0x4000), "r")     # f10
g(A4, C4, b"\x00\x00")                                          # f11
g(A4, C4, b"")                                                  # f12
g(C4, A4, gre(0x0800, INNER), "r")                              # f13
cap.write("gre-v0.pcap")
