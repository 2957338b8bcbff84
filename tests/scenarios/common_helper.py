"""Helpers of the helper_*.py scenarios (conntrack helpers ftp, tftp, irc,
sip, pptp; kernel-replay attaches them on ftp tcp/21, irc tcp/6667, tftp
udp/69, sip udp/5060, pptp tcp/1723, see meta.json `helper_rules`).

Only the plain byte builders of common.py are used (Capture, ipv4, ipv6,
tcp, udp), so these scripts do not depend on common.Tcp.

  Conn    one TCP connection with a complete handshake and consistent
          sequence/ack numbers; a()/b() send data, rewind() makes a side
          continue from an older sequence number (the bytes of a segment a
          helper dropped never arrived, so the sender's stream goes on from
          where that segment started).
  Udp     one UDP flow (a()/b() in both directions).
  sip()/sdp()                      SIP message / SDP body builders
  pptp_*()                         PPTP control message builders
  tftp_rrq()/tftp_wrq()            TFTP requests
  dcc_ip()                         an IPv4 address as the decimal number DCC uses
"""
import ipaddress
import struct

from common import A4, A6, B4, B6, ipv4, ipv6, tcp, udp

C4, C6 = "203.0.113.7", "2001:db8:2::7"       # a third party (frames from the "r" MAC)


def frm_of(addr):
    if addr in (A4, A6):
        return "a"
    if addr in (B4, B6):
        return "b"
    return "r"


def ip_packet(src, dst, proto, payload, ident=0x3333):
    if ":" in src:
        return ipv6(src, dst, proto, payload)
    return ipv4(src, dst, proto, payload, ident=ident)


class Conn:
    """TCP connection between `a` (client, sends the SYN) and `b`. Segments
    carry no options; windows are 65535 unscaled. seq/ack default to the
    sender's next sequence number and the peer's next sequence number."""

    def __init__(self, cap, a=A4, b=B4, sport=40000, dport=21, isn_a=1_000_000,
                 isn_b=5_000_000, frm_a=None, frm_b=None):
        self.cap = cap
        self.addr = {"a": a, "b": b}
        self.port = {"a": sport, "b": dport}
        self.nxt = {"a": isn_a & 0xFFFFFFFF, "b": isn_b & 0xFFFFFFFF}
        self.frm = {"a": frm_a or frm_of(a), "b": frm_b or frm_of(b)}
        self.ident = {"a": (sport * 7) & 0xFFFF, "b": (dport * 13 + sport) & 0xFFFF}

    def seg(self, who, flags="PA", data=b"", *, seq=None, ack=None, gap=0.001, at=None,
            advance=True, win=65535):
        peer = "b" if who == "a" else "a"
        s = self.nxt[who] if seq is None else seq & 0xFFFFFFFF
        if ack is None:
            ack = self.nxt[peer] if "A" in flags else 0
        src, dst = self.addr[who], self.addr[peer]
        t = tcp(src, dst, self.port[who], self.port[peer], s, ack, flags, win, b"", data)
        if ":" in src:
            pkt = ipv6(src, dst, 6, t)
        else:
            pkt = ipv4(src, dst, 6, t, ident=self.ident[who])
            self.ident[who] = (self.ident[who] + 1) & 0xFFFF
        if advance:
            end = (s + len(data) + ("S" in flags) + ("F" in flags)) & 0xFFFFFFFF
            if seq is None or ((self.nxt[who] - end) & 0x80000000):
                self.nxt[who] = end
        return self.cap.add(pkt, gap=gap, at=at, frm=self.frm[who])

    def a(self, data, **kw):
        return self.seg("a", "PA", data, **kw)

    def b(self, data, **kw):
        return self.seg("b", "PA", data, **kw)

    def ack(self, who, **kw):
        return self.seg(who, "A", **kw)

    def rewind(self, who, seq):
        """The next segment of `who` starts at seq again."""
        self.nxt[who] = seq & 0xFFFFFFFF

    def open(self, gap=0.001, at=None):
        self.seg("a", "S", gap=gap, at=at)
        self.seg("b", "SA")
        self.seg("a", "A")

    def syn(self, gap=0.001, at=None):
        """Only the SYN and the SYN/ACK (a data connection's first two packets)."""
        self.seg("a", "S", gap=gap, at=at)
        self.seg("b", "SA")

    def rst(self, who="a", **kw):
        return self.seg(who, "RA", **kw)

    def close(self):
        """A FIN, B FIN/ACK, A ACK."""
        self.seg("a", "FA")
        self.seg("b", "FA")
        self.seg("a", "A")


class Udp:
    def __init__(self, cap, a=A4, b=B4, sport=40000, dport=69, frm_a=None, frm_b=None):
        self.cap = cap
        self.addr = {"a": a, "b": b}
        self.port = {"a": sport, "b": dport}
        self.frm = {"a": frm_a or frm_of(a), "b": frm_b or frm_of(b)}
        self.ident = 0x4000 + sport

    def send(self, who, data, gap=0.001, at=None):
        peer = "b" if who == "a" else "a"
        src, dst = self.addr[who], self.addr[peer]
        u = udp(src, dst, self.port[who], self.port[peer], data)
        self.ident = (self.ident + 1) & 0xFFFF
        return self.cap.add(ip_packet(src, dst, 17, u, ident=self.ident), gap=gap, at=at,
                            frm=self.frm[who])

    def a(self, data, **kw):
        return self.send("a", data, **kw)

    def b(self, data, **kw):
        return self.send("b", data, **kw)


def udp_pkt(cap, src, dst, sport, dport, data=b"rtp", gap=0.001, at=None):
    """One UDP datagram from anywhere to anywhere."""
    return cap.add(ip_packet(src, dst, 17, udp(src, dst, sport, dport, data)), gap=gap, at=at,
                   frm=frm_of(src))


# -------------------------------------------------------------------- TFTP --

def tftp_rrq(name=b"boot.img", mode=b"octet"):
    return b"\x00\x01" + name + b"\x00" + mode + b"\x00"


def tftp_wrq(name=b"upload.bin", mode=b"octet"):
    return b"\x00\x02" + name + b"\x00" + mode + b"\x00"


def tftp_data(block, data=b"x" * 32):
    return struct.pack(">HH", 3, block) + data


def tftp_ack(block):
    return struct.pack(">HH", 4, block)


def tftp_error(code=1, msg=b"File not found"):
    return struct.pack(">HH", 5, code) + msg + b"\x00"


# --------------------------------------------------------------------- IRC --

def dcc_ip(addr):
    """IPv4 address as the unsigned decimal number of a DCC command."""
    return int(ipaddress.IPv4Address(addr))


# --------------------------------------------------------------------- SIP --

def sdp(addr, port, *, media="audio", family=None, session_c=True, media_c=None,
        extra_media=b""):
    """SDP body: v=, o=, s=, (c=), t=, m=<media> <port> RTP/AVP 0, (media c=)."""
    fam = family or ("IP6" if ":" in addr else "IP4")
    lines = [b"v=0",
             b"o=user 1 1 IN %s %s" % (fam.encode(), addr.encode()),
             b"s=call"]
    if session_c:
        lines.append(b"c=IN %s %s" % (fam.encode(), addr.encode()))
    lines.append(b"t=0 0")
    lines.append(b"m=%s %s RTP/AVP 0" % (media.encode(), str(port).encode()))
    if media_c is not None:
        lines.append(media_c)
    body = b"\r\n".join(lines) + b"\r\n"
    return body + extra_media


def sip(start, headers, body=b"", content_length=None):
    """SIP message: start line, headers (list of 'Name: value' strings or
    bytes), Content-Length (computed unless given; False: no header)."""
    out = [start.encode() if isinstance(start, str) else start]
    for h in headers:
        out.append(h.encode() if isinstance(h, str) else h)
    if content_length is None:
        out.append(b"Content-Length: %d" % len(body))
    elif content_length is not False:
        out.append(b"Content-Length: " + (content_length.encode()
                                          if isinstance(content_length, str)
                                          else str(content_length).encode()))
    msg = b"\r\n".join(out) + b"\r\n\r\n"
    if body:
        msg += body
    return msg


def sip_headers(src, dst, sport, method_cseq, call_id="call-1@a", branch="z9hG4bK1",
                extra=()):
    """Via / From / To / Call-ID / CSeq for a request from src:sport."""
    host = "[%s]" % src if ":" in src else src
    dhost = "[%s]" % dst if ":" in dst else dst
    return [f"Via: SIP/2.0/UDP {host}:{sport};branch={branch}",
            f"From: <sip:alice@{host}>;tag=1",
            f"To: <sip:bob@{dhost}>",
            f"Call-ID: {call_id}",
            f"CSeq: {method_cseq}"] + list(extra)


# -------------------------------------------------------------------- PPTP --

PPTP_MAGIC = 0x1A2B3C4D


def pptp_ctrl(msg_type, body, *, magic=PPTP_MAGIC, length=None, ptype=1):
    """PPTP control message: length, packet type 1, magic cookie, message
    type, reserved, body."""
    ln = 12 + len(body) if length is None else length
    return struct.pack(">HHIHH", ln, ptype, magic, msg_type, 0) + body


def pptp_sccrq():
    """Start-Control-Connection-Request (type 1), 144-byte body."""
    return pptp_ctrl(1, struct.pack(">HHIIHH", 0x0100, 0, 1, 1, 0, 1)
                     + b"pns".ljust(64, b"\0") + b"linux".ljust(64, b"\0"))


def pptp_sccrp(result=1):
    """Start-Control-Connection-Reply (type 2); result 1 = OK."""
    return pptp_ctrl(2, struct.pack(">HBBIIHH", 0x0100, result, 0, 1, 1, 1, 1)
                     + b"pac".ljust(64, b"\0") + b"linux".ljust(64, b"\0"))


def pptp_ocrq(call_id, serial=1):
    """Outgoing-Call-Request (type 7), 156-byte body."""
    return pptp_ctrl(7, struct.pack(">HHIIIIHHHH", call_id, serial, 300, 100000000, 3, 3,
                                    64, 0, 0, 0) + b"\0" * 128)


def pptp_ocrp(call_id, peer_call_id, result=1):
    """Outgoing-Call-Reply (type 8), 20-byte body; result 1 = connected."""
    return pptp_ctrl(8, struct.pack(">HHBBHIHHI", call_id, peer_call_id, result, 0, 0,
                                    100000000, 64, 0, 0))


def pptp_ccrq(call_id):
    """Call-Clear-Request (type 12), 4-byte body."""
    return pptp_ctrl(12, struct.pack(">HH", call_id, 0))


def pptp_cdn(call_id, result=3):
    """Call-Disconnect-Notify (type 13), 136-byte body."""
    return pptp_ctrl(13, struct.pack(">HBBHH", call_id, result, 0, 0, 0) + b"\0" * 128)


def pptp_echo_req(ident=1):
    return pptp_ctrl(5, struct.pack(">I", ident))


def gre_v1(call_id, seq=1, payload=b"\xff\x03\x00\x21" + b"\x45" + b"\0" * 19):
    """Enhanced GRE (PPTP) with K and S bits: flags 0x3001, protocol 0x880b,
    payload length, call id, sequence number."""
    return struct.pack(">HHHHI", 0x3001, 0x880B, len(payload), call_id, seq) + payload


def gre_pkt(cap, src, dst, call_id, seq=1, gap=0.001, at=None):
    return cap.add(ipv4(src, dst, 47, gre_v1(call_id, seq), ident=0x5000 + seq), gap=gap,
                   at=at, frm=frm_of(src))
