"""Shared helpers for the ctrack kernel-oracle scenarios.

Every scenario script builds one capture (first argument: the pcap to write)
whose frames each ask the kernel's conntrack one question; the script's
docstring says what is asked and what the kernel is expected to answer, frame
by frame. The capture is then replayed through the running kernel with
/work/shared/oracle/kernel-replay (see record.sh).

Two ways to build a packet:
  * scapy layers for ordinary packets (IP()/UDP()/ICMP()...);
  * the byte builders below (ipv4(), ipv6(), udp(), ...) when a field must be
    wrong on purpose: scapy "fixes" lengths and checksums, these do exactly
    what they are told and nothing else.

Nothing here sends a packet: the scripts only write pcap files. Addresses are
from the documentation ranges (RFC 5737, RFC 3849) and link-local ranges.
"""
import struct
import sys

from scapy.all import Ether, Raw, wrpcap  # noqa: F401

T0 = 1_700_000_000.0
MAC_A = "02:00:00:00:0a:01"
MAC_B = "02:00:00:00:0b:01"
MAC_R = "02:00:00:00:09:01"
A4, B4, R4 = "192.0.2.1", "198.51.100.2", "203.0.113.9"
A6, B6, R6 = "2001:db8::1", "2001:db8:1::2", "2001:db8:2::9"
LL_A, LL_B, LL_R = "fe80::a", "fe80::b", "fe80::9"

ETH_IP, ETH_IP6 = 0x0800, 0x86DD


# ------------------------------------------------------------------ capture --

class Capture:
    """Frames with explicit timestamps.

    add(pkt, ...) appends one frame. pkt is a scapy packet (L3 or Ether) or
    raw L3 bytes. Time: `at=` (seconds after the first frame's base time T0)
    or `gap=` (seconds after the previous frame, default 1 ms). `frm` picks
    the MAC pair: "a" (A -> B), "b" (B -> A), "r" (router -> A).
    `ethertype` overrides the Ethernet type (default from the IP version
    nibble); `wirelen` makes a frame that was "captured" shorter than it was
    on the wire (pcap caplen < len); `pad` appends bytes after the IP packet
    (Ethernet padding / trailing garbage).
    """

    def __init__(self):
        self.t = T0
        self.pkts = []

    def wait(self, seconds):
        self.t += seconds

    def add(self, pkt, gap=0.001, at=None, frm="a", ethertype=None, wirelen=None,
            pad=b"", dst_mac=None, src_mac=None):
        if at is not None:
            t = T0 + at
            if t < self.t:
                raise ValueError(f"frame {len(self.pkts) + 1}: at={at} is before the previous frame")
            self.t = t
        else:
            self.t += gap
        if isinstance(pkt, Ether):
            frame = pkt
        else:
            src, dst = {"a": (MAC_A, MAC_B), "b": (MAC_B, MAC_A), "r": (MAC_R, MAC_A)}[frm]
            src, dst = src_mac or src, dst_mac or dst
            raw = bytes(pkt)
            if ethertype is None:
                ethertype = ETH_IP6 if raw and raw[0] >> 4 == 6 else ETH_IP
            frame = Ether(src=src, dst=dst, type=ethertype) / Raw(raw + pad)
        frame.time = self.t
        if wirelen is not None:
            frame.wirelen = wirelen
        self.pkts.append(frame)
        return frame

    def write(self, default_name):
        path = sys.argv[1] if len(sys.argv) > 1 else default_name
        wrpcap(path, self.pkts)
        print(f"{path}: {len(self.pkts)} frames, {self.t - T0:.3f} s")


# ---------------------------------------------------------------- checksums --

def ones_sum(data, start=0):
    """16-bit ones' complement sum (not inverted) of data, big-endian words."""
    if len(data) % 2:
        data = data + b"\0"
    s = start + sum(struct.unpack(f">{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def inet_checksum(data, start=0):
    return (~ones_sum(data, start)) & 0xFFFF


def addr_bytes(addr):
    import ipaddress
    return ipaddress.ip_address(addr).packed


def pseudo_header(src, dst, proto, length):
    """IPv4 (12 bytes) or IPv6 (40 bytes) pseudo-header."""
    s, d = addr_bytes(src), addr_bytes(dst)
    if len(s) == 4:
        return s + d + struct.pack(">BBH", 0, proto, length & 0xFFFF)
    return s + d + struct.pack(">IxxxB", length, proto)


def l4_checksum(src, dst, proto, segment, length=None, covered=None):
    """Transport checksum of `segment` (its checksum field must be zero).
    length: the length put in the pseudo-header (default len(segment));
    covered: how many bytes of segment are summed (default all)."""
    ph = pseudo_header(src, dst, proto, len(segment) if length is None else length)
    body = segment if covered is None else segment[:covered]
    c = inet_checksum(ph + body)
    return c


# ---------------------------------------------------------------- builders --

def ipv4(src, dst, proto, payload=b"", *, ihl=None, options=b"", tot_len=None, ttl=64,
         ident=0x1234, flags_frag=0x4000, tos=0, csum=None, version=4):
    """Raw IPv4 packet. options are padded with zeros (EOL) to 4 bytes unless
    ihl is given. tot_len / csum / version override the computed values."""
    if len(options) % 4 and ihl is None:
        options = options + b"\0" * (4 - len(options) % 4)
    if ihl is None:
        ihl = 5 + len(options) // 4
    if tot_len is None:
        tot_len = 20 + len(options) + len(payload)
    hdr = struct.pack(">BBHHHBBH4s4s", (version << 4) | (ihl & 15), tos, tot_len & 0xFFFF,
                      ident, flags_frag, ttl, proto, 0, addr_bytes(src), addr_bytes(dst)) + options
    # checksum over the header bytes that ihl claims (at least the 20 present)
    cover = hdr[:max(ihl * 4, 20)] if ihl >= 5 else hdr[:20]
    c = inet_checksum(cover) if csum is None else csum
    hdr = hdr[:10] + struct.pack(">H", c) + hdr[12:]
    return hdr + payload


def ipv6(src, dst, nh, payload=b"", *, plen=None, hlim=64, version=6, tclass=0, flow=0):
    if plen is None:
        plen = len(payload)
    first = (version << 28) | (tclass << 20) | flow
    return struct.pack(">IHBB16s16s", first, plen & 0xFFFF, nh, hlim,
                       addr_bytes(src), addr_bytes(dst)) + payload


def udp(src, dst, sport, dport, payload=b"", *, length=None, csum="auto", proto=17,
        pseudo_len=None, pseudo_proto=None):
    """Raw UDP (or UDP-Lite with proto=136) header + payload.
    length: the UDP length field (UDP-Lite: checksum coverage; 0 = all).
    csum: "auto" (correct, for UDP-Lite over the coverage), "zero", "bad"
    (correct + 0x5555, never 0), or an int to put as is.
    pseudo_len: length for the pseudo-header (default: the whole segment,
    as RFC 768 / RFC 3828 want for UDP / UDP-Lite); pseudo_proto: protocol
    for the pseudo-header (default proto)."""
    seg_len = 8 + len(payload)
    if length is None:
        length = seg_len
    seg = struct.pack(">HHHH", sport, dport, length & 0xFFFF, 0) + payload
    if csum in ("auto", "bad"):
        covered = None
        if proto == 136:
            covered = seg_len if length == 0 else min(length, seg_len)
        c = l4_checksum(src, dst, proto if pseudo_proto is None else pseudo_proto, seg,
                        length=pseudo_len, covered=covered)
        if c == 0:
            c = 0xFFFF
        if csum == "bad":
            c = (c + 0x5555) & 0xFFFF or 0x1111
    elif csum == "zero":
        c = 0
    else:
        c = csum
    return seg[:6] + struct.pack(">H", c) + seg[8:]


def icmp4(typ, code=0, ident=0, seq=0, data=b"", csum="auto", rest=None):
    """Raw ICMP message: type, code, checksum, then id/seq (or `rest`, 4 bytes)."""
    body = (struct.pack(">HH", ident, seq) if rest is None else rest) + data
    msg = struct.pack(">BBH", typ, code, 0) + body
    c = inet_checksum(msg) if csum in ("auto", "bad") else (0 if csum == "zero" else csum)
    if csum == "bad":
        c = (c + 0x5555) & 0xFFFF
    return msg[:2] + struct.pack(">H", c) + msg[4:]


def icmp6(src, dst, typ, code=0, ident=0, seq=0, data=b"", csum="auto", rest=None):
    """Raw ICMPv6 message (checksum over the IPv6 pseudo-header)."""
    body = (struct.pack(">HH", ident, seq) if rest is None else rest) + data
    msg = struct.pack(">BBH", typ, code, 0) + body
    if csum in ("auto", "bad"):
        c = l4_checksum(src, dst, 58, msg)
        if csum == "bad":
            c = (c + 0x5555) & 0xFFFF
    else:
        c = 0 if csum == "zero" else csum
    return msg[:2] + struct.pack(">H", c) + msg[4:]


# IPv6 extension headers (raw): each returns bytes whose first byte is the
# next-header value of what follows.

def ext_opts(nh, options=b""):
    """Hop-by-hop or destination options header; options padded with PadN
    to a multiple of 8 bytes (2 bytes of header included)."""
    body = options
    pad = (-(2 + len(body))) % 8
    if pad == 1:
        body += b"\x00"                      # Pad1
    elif pad:
        body += bytes([1, pad - 2]) + b"\0" * (pad - 2)  # PadN
    return bytes([nh, (2 + len(body)) // 8 - 1]) + body


def ext_routing(nh, rtype, segments_left, addresses):
    """Routing header type 0 (RFC 2460, deprecated) or 4 (SRH, RFC 8754)."""
    data = b"".join(addr_bytes(a) for a in addresses)
    if rtype == 4:
        last = len(addresses) - 1
        fixed = bytes([nh, len(data) // 8, 4, segments_left, last, 0]) + b"\0\0"
    else:
        fixed = bytes([nh, len(data) // 8, rtype, segments_left]) + b"\0\0\0\0"
    return fixed + data


def ext_frag(nh, offset=0, more=False, ident=0xabcd0001):
    return struct.pack(">BBHI", nh, 0, (offset << 3) | (1 if more else 0), ident)


def ext_ah(nh, spi=0x1000, seq=1, icv=b"\0" * 12):
    """Authentication header: payload length in 4-byte units minus 2."""
    body = struct.pack(">II", spi, seq) + icv
    return bytes([nh, (len(body) + 4) // 4 - 2]) + b"\0\0" + body


def esp(spi=0x2000, seq=1, data=b"\xee" * 24):
    return struct.pack(">II", spi, seq) + data


# --------------------------------------------------------------------- TCP --
# Added for the TCP scenarios (tcp_*.py). Nothing above this line depends on
# it, so the other scripts produce the same bytes as before.

TCP_FLAG_BITS = {"F": 0x01, "S": 0x02, "R": 0x04, "P": 0x08, "A": 0x10,
                 "U": 0x20, "E": 0x40, "C": 0x80}


def tcp_flags(flags):
    """'SA' -> 0x12; an int is returned as is."""
    if isinstance(flags, int):
        return flags
    v = 0
    for ch in flags:
        v |= TCP_FLAG_BITS[ch]
    return v


# TCP options as raw bytes (exactly what is given: no padding, no fixing).
def opt_eol():
    return b"\x00"


def opt_nop():
    return b"\x01"


def opt_mss(mss=1460):
    return struct.pack(">BBH", 2, 4, mss)


def opt_wscale(shift):
    return bytes([3, 3, shift])


def opt_sack_perm():
    return b"\x04\x02"


def opt_ts(val, ecr=0):
    return struct.pack(">BBII", 8, 10, val, ecr)


def opt_sack(*blocks):
    """SACK option; blocks are (left, right) sequence numbers."""
    body = b"".join(struct.pack(">II", l & 0xFFFFFFFF, r & 0xFFFFFFFF) for l, r in blocks)
    return bytes([5, 2 + len(body)]) + body


def syn_options(mss=1460, sack=True, ts=None, wscale=7):
    """Options of a SYN as Linux lays them out:
    with timestamps  MSS, SACK-permitted, TS, NOP, WS        (20 bytes)
    without          MSS, NOP, NOP, SACK-permitted, NOP, WS  (12 bytes)
    ts: the TSval (None: no timestamp option); sack/wscale None/False: left
    out (their place filled with NOPs, as Linux does)."""
    o = opt_mss(mss) if mss is not None else b""
    if ts is not None:
        o += (opt_sack_perm() if sack else opt_nop() * 2) + opt_ts(ts, 0)
    else:
        o += opt_nop() * 2 + (opt_sack_perm() if sack else opt_nop() * 2)
    if wscale is not None and wscale is not False:
        o += opt_nop() + opt_wscale(wscale)
    return o


def ts_options(val, ecr):
    """NOP, NOP, TS: the 12-byte timestamp block of every Linux segment."""
    return opt_nop() * 2 + opt_ts(val, ecr)


def tcp(src, dst, sport, dport, seq=0, ack=0, flags="", win=65535, options=b"", data=b"",
        *, doff=None, csum="auto", urg=0, reserved=0):
    """Raw TCP header + options + data. options are padded with EOL (zero)
    bytes to a multiple of 4 unless doff is given (then exactly as given).
    doff: the data offset field (default from the header length); reserved:
    the 4 bits between data offset and flags (bit 0 = AE/NS). csum: "auto"
    (correct), "bad" (correct + 0x5555), "zero", or an int."""
    if doff is None:
        if len(options) % 4:
            options = options + b"\0" * (4 - len(options) % 4)
        doff = 5 + len(options) // 4
    seg = struct.pack(">HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                      ((doff & 15) << 4) | (reserved & 15), tcp_flags(flags), win & 0xFFFF,
                      0, urg) + options + data
    if csum in ("auto", "bad"):
        c = l4_checksum(src, dst, 6, seg)
        if csum == "bad":
            c = (c + 0x5555) & 0xFFFF
    elif csum == "zero":
        c = 0
    else:
        c = csum
    return seg[:16] + struct.pack(">H", c) + seg[18:]


class Tcp:
    """Both ends of one TCP connection, A (the client, frames from MAC_A) and
    B (the server). a()/b() emit one segment from A/B and advance that side's
    next sequence number by the payload (+1 for SYN, +1 for FIN) unless
    advance=False; a segment with an explicit seq moves it only forwards
    (to its end, if that is after the current next sequence number). seq/ack default to the sender's next sequence number and
    the peer's (ack only when the A flag is set, else 0). win defaults to the
    side's window (self.win[side], 65535 unless set). With ts=True every
    segment without explicit options carries NOP,NOP,TS (TSval = a per-side
    counter, TSecr = the peer's last TSval). IPv4 ids count up per side, so
    retransmissions are different frames, as on a real wire. IPv6 when the
    addresses are IPv6."""

    def __init__(self, cap, a=A4, b=B4, sport=40000, dport=80, isn_a=1000, isn_b=5000,
                 ts=False, ttl=64):
        self.cap = cap
        self.addr = {"a": a, "b": b}
        self.port = {"a": sport, "b": dport}
        self.nxt = {"a": isn_a & 0xFFFFFFFF, "b": isn_b & 0xFFFFFFFF}
        self.win = {"a": 65535, "b": 65535}
        self.ident = {"a": (sport * 7) & 0xFFFF, "b": (dport * 13 + sport) & 0xFFFF}
        self.tsval = {"a": 100000 + sport, "b": 900000 + dport}
        self.ts = ts
        self.ttl = ttl
        self.v6 = ":" in a

    def seg(self, who, flags, data=b"", *, seq=None, ack=None, win=None, options=None,
            gap=0.001, at=None, advance=True, csum="auto", doff=None, urg=0, reserved=0,
            tcp_bytes=None):
        """One segment from `who` ("a" or "b"). tcp_bytes: put these bytes as
        the whole TCP segment instead of building one (malformed headers)."""
        peer = "b" if who == "a" else "a"
        fl = tcp_flags(flags)
        s = (self.nxt[who] if seq is None else seq) & 0xFFFFFFFF
        if ack is None:
            ack = self.nxt[peer] if fl & 0x10 else 0
        if win is None:
            win = self.win[who]
        if options is None:
            options = b""
            if self.ts:
                options = ts_options(self.tsval[who], self.tsval[peer] - 1)
        self.tsval[who] += 1
        src, dst = self.addr[who], self.addr[peer]
        if tcp_bytes is None:
            tcp_bytes = tcp(src, dst, self.port[who], self.port[peer], s, ack, fl, win,
                            options, data, doff=doff, csum=csum, urg=urg, reserved=reserved)
        if self.v6:
            pkt = ipv6(src, dst, 6, tcp_bytes, hlim=self.ttl)
        else:
            pkt = ipv4(src, dst, 6, tcp_bytes, ttl=self.ttl, ident=self.ident[who])
            self.ident[who] = (self.ident[who] + 1) & 0xFFFF
        if advance:
            n = len(data) + (1 if fl & 0x02 else 0) + (1 if fl & 0x01 else 0)
            end = (s + n) & 0xFFFFFFFF
            # never move backwards: a segment given an old seq (keepalive,
            # RST below snd_nxt ...) leaves the next sequence number alone
            if seq is None or ((self.nxt[who] - end) & 0x80000000):
                self.nxt[who] = end
        return self.cap.add(pkt, gap=gap, at=at, frm=who)

    def a(self, flags, data=b"", **kw):
        return self.seg("a", flags, data, **kw)

    def b(self, flags, data=b"", **kw):
        return self.seg("b", flags, data, **kw)

    def handshake(self, opts_a=None, opts_b=None, win_a=None, win_b=None, at=None, gap=0.001):
        """SYN, SYN/ACK, ACK (win_a/win_b: the windows in the SYN and SYN/ACK,
        and from then on the sides' default windows)."""
        if win_a is not None:
            self.win["a"] = win_a
        if win_b is not None:
            self.win["b"] = win_b
        self.a("S", options=opts_a, at=at, gap=gap)
        self.b("SA", options=opts_b)
        self.a("A")
