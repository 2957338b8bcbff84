"""Helpers for the SCTP, ICMP-error and GRE scenarios (sctp_*.py,
icmperr_*.py, gre_*.py). Kept apart from common.py so that the scripts using
common.py keep producing the same bytes.

Everything builds exact bytes (nothing is "fixed"): SCTP common header +
chunks with a CRC32c (RFC 9260 appendix A) unless told otherwise, GRE
headers (RFC 2784/2890 v0, RFC 2637 v1), and ICMP/ICMPv6 error messages
quoting a given packet.
"""
import struct

from common import (A4, B4, A6, B6, R4, R6, ipv4, ipv6, icmp4, icmp6)  # noqa: F401

# ------------------------------------------------------------------ CRC32c --

_CRC32C = []
for _n in range(256):
    _c = _n
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _CRC32C.append(_c)


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc = (crc >> 8) ^ _CRC32C[(crc ^ b) & 0xFF]
    return crc ^ 0xFFFFFFFF


# -------------------------------------------------------------------- SCTP --

# chunk types
DATA, INIT, INIT_ACK, SACK, HEARTBEAT, HEARTBEAT_ACK, ABORT, SHUTDOWN = 0, 1, 2, 3, 4, 5, 6, 7
SHUTDOWN_ACK, ERROR, COOKIE_ECHO, COOKIE_ACK, ECNE, CWR, SHUTDOWN_COMPLETE = 8, 9, 10, 11, 12, 13, 14
AUTH, I_DATA, ASCONF_ACK, RECONFIG, PAD, FORWARD_TSN, ASCONF = 15, 64, 0x80, 130, 0x84, 0xC0, 0xC1
FLAG_T = 0x01


def chunk(typ, flags=0, value=b"", *, length=None, pad=True):
    """One chunk: type, flags, length (default 4 + len(value)), value, padded
    with zeros to a multiple of 4 (pad=False: not padded)."""
    if length is None:
        length = 4 + len(value)
    c = struct.pack(">BBH", typ, flags, length & 0xFFFF) + value
    if pad and len(c) % 4:
        c += b"\0" * (4 - len(c) % 4)
    return c


def param(ptype, value):
    """INIT/INIT_ACK/HEARTBEAT parameter (TLV), padded to 4."""
    p = struct.pack(">HH", ptype, 4 + len(value)) + value
    if len(p) % 4:
        p += b"\0" * (4 - len(p) % 4)
    return p


def init_body(init_tag, tsn, a_rwnd=106496, os=10, mis=65535, params=b""):
    return struct.pack(">IIHHI", init_tag, a_rwnd, os, mis, tsn) + params


def c_init(init_tag, tsn, params=b"", **kw):
    # supported address types: IPv4, IPv6 (as Linux sends)
    return chunk(INIT, 0, init_body(init_tag, tsn, params=params or param(12, struct.pack(">HH", 5, 6)), **kw))


def c_init_ack(init_tag, tsn, cookie=b"C" * 32, **kw):
    return chunk(INIT_ACK, 0, init_body(init_tag, tsn, params=param(7, cookie), **kw))


def c_data(tsn, payload=b"data", sid=0, ssn=0, ppid=0, flags=0x03):
    return chunk(DATA, flags, struct.pack(">IHHI", tsn, sid, ssn, ppid) + payload)


def c_sack(cum_tsn, a_rwnd=106496):
    return chunk(SACK, 0, struct.pack(">IIHH", cum_tsn, a_rwnd, 0, 0))


def c_heartbeat(info=b"hb-info-12345678", typ=HEARTBEAT):
    return chunk(typ, 0, param(1, info))


def c_heartbeat_ack(info=b"hb-info-12345678"):
    return c_heartbeat(info, HEARTBEAT_ACK)


def c_abort(t=False, causes=b""):
    return chunk(ABORT, FLAG_T if t else 0, causes)


def c_shutdown(cum_tsn):
    return chunk(SHUTDOWN, 0, struct.pack(">I", cum_tsn))


def c_shutdown_ack():
    return chunk(SHUTDOWN_ACK)


def c_shutdown_complete(t=False):
    return chunk(SHUTDOWN_COMPLETE, FLAG_T if t else 0)


def c_cookie_echo(cookie=b"C" * 32):
    return chunk(COOKIE_ECHO, 0, cookie)


def c_cookie_ack():
    return chunk(COOKIE_ACK)


def c_error(causes=struct.pack(">HH", 10, 4)):   # "Unrecognized chunk"-ish cause
    return chunk(ERROR, 0, causes)


def sctp(sport, dport, vtag, chunks=b"", csum="auto"):
    """SCTP common header + chunks. csum: "auto" (CRC32c), "bad" (CRC32c ^
    0x5a5a5a5a), "zero", or an int (put as is, big-endian)."""
    hdr = struct.pack(">HHII", sport, dport, vtag & 0xFFFFFFFF, 0)
    pkt = hdr + chunks
    if csum in ("auto", "bad"):
        c = crc32c(pkt)
        if csum == "bad":
            c ^= 0x5A5A5A5A
        # the CRC32c is stored least significant byte first (RFC 9260 app. A)
        pkt = pkt[:8] + struct.pack("<I", c) + pkt[12:]
    elif csum == "zero":
        pass
    else:
        pkt = pkt[:8] + struct.pack(">I", csum) + pkt[12:]
    return pkt


def ip_packet(src, dst, proto, payload, ident=0x2222, **kw):
    if ":" in src:
        return ipv6(src, dst, proto, payload, **kw)
    return ipv4(src, dst, proto, payload, ident=ident, **kw)


class Sctp:
    """Both ends of one SCTP association: A (client, frames from MAC_A) and B.
    tag["a"] is A's Initiate Tag (what B puts in the common header when it
    sends to A), tag["b"] B's. send(who, chunks) builds the packet with the
    peer's tag as verification tag unless vtag= is given. tsn["a"/"b"] are
    the next TSNs. IPv6 when the addresses are IPv6."""

    def __init__(self, cap, a=A4, b=B4, sport=5001, dport=5002, tag_a=0x0A0A0A0A,
                 tag_b=0x0B0B0B0B, tsn_a=1000, tsn_b=5000):
        self.cap = cap
        self.addr = {"a": a, "b": b}
        self.port = {"a": sport, "b": dport}
        self.tag = {"a": tag_a, "b": tag_b}
        self.tsn = {"a": tsn_a, "b": tsn_b}
        self.ident = {"a": 0x3000 + sport % 0x1000, "b": 0x5000 + dport % 0x1000}

    @staticmethod
    def peer(who):
        return "b" if who == "a" else "a"

    def send(self, who, chunks, vtag=None, csum="auto", gap=0.001, at=None, src=None, dst=None,
             sport=None, dport=None, frm=None):
        p = self.peer(who)
        if vtag is None:
            vtag = self.tag[p]
        s, d = src or self.addr[who], dst or self.addr[p]
        seg = sctp(sport or self.port[who], dport or self.port[p], vtag, chunks, csum=csum)
        pkt = ip_packet(s, d, 132, seg, ident=self.ident[who])
        self.ident[who] = (self.ident[who] + 1) & 0xFFFF
        return self.cap.add(pkt, gap=gap, at=at, frm=frm or who)

    # ---- the usual chunks, one packet each
    def init(self, who="a", vtag=0, **kw):
        return self.send(who, c_init(self.tag[who], self.tsn[who]), vtag=vtag, **kw)

    def init_ack(self, who="b", **kw):
        return self.send(who, c_init_ack(self.tag[who], self.tsn[who]), **kw)

    def cookie_echo(self, who="a", **kw):
        return self.send(who, c_cookie_echo(), **kw)

    def cookie_ack(self, who="b", **kw):
        return self.send(who, c_cookie_ack(), **kw)

    def data(self, who, payload=b"data", **kw):
        t = self.tsn[who]
        self.tsn[who] += 1
        return self.send(who, c_data(t, payload), **kw)

    def sack(self, who, **kw):
        return self.send(who, c_sack(self.tsn[self.peer(who)] - 1), **kw)

    def data_sack(self, who, payload=b"data", **kw):
        """DATA + SACK bundled in one packet."""
        t = self.tsn[who]
        self.tsn[who] += 1
        return self.send(who, c_data(t, payload) + c_sack(self.tsn[self.peer(who)] - 1), **kw)

    def heartbeat(self, who, **kw):
        return self.send(who, c_heartbeat(), **kw)

    def heartbeat_ack(self, who, **kw):
        return self.send(who, c_heartbeat_ack(), **kw)

    def shutdown(self, who, **kw):
        return self.send(who, c_shutdown(self.tsn[self.peer(who)] - 1), **kw)

    def shutdown_ack(self, who, **kw):
        return self.send(who, c_shutdown_ack(), **kw)

    def shutdown_complete(self, who, t=False, **kw):
        if t and "vtag" not in kw:
            kw["vtag"] = self.tag[who]          # T bit: the sender's own tag (reflected)
        return self.send(who, c_shutdown_complete(t), **kw)

    def abort(self, who, t=False, **kw):
        if t and "vtag" not in kw:
            kw["vtag"] = self.tag[who]
        return self.send(who, c_abort(t), **kw)

    def handshake(self, gap=0.001, at=None):
        self.init("a", gap=gap, at=at)
        self.init_ack("b")
        self.cookie_echo("a")
        self.cookie_ack("b")


# --------------------------------------------------------------------- GRE --

def gre(proto=0x0800, payload=b"", *, version=0, csum=None, key=None, seq=None, ack=None,
        flags=0, call_id=None, length=None, raw_flags=None):
    """GRE header + payload.
    v0 (RFC 2784/2890): csum=True adds the checksum field (computed over the
    GRE header and payload) + reserved1; key / seq add those fields.
    v1 (RFC 2637, PPTP): K bit always; key field = payload length (length=,
    default len(payload)) and call_id; seq / ack add S / A fields.
    raw_flags: the 16-bit flags+version word as is (overrides everything)."""
    if version == 1:
        fl = 0x2000 | (0x1000 if seq is not None else 0) | (0x0080 if ack is not None else 0) | 1
        fl |= flags
        if raw_flags is not None:
            fl = raw_flags
        h = struct.pack(">HHHH", fl, proto, len(payload) if length is None else length,
                        call_id or 0)
        if seq is not None:
            h += struct.pack(">I", seq)
        if ack is not None:
            h += struct.pack(">I", ack)
        return h + payload
    fl = (0x8000 if csum else 0) | (0x2000 if key is not None else 0) | \
         (0x1000 if seq is not None else 0) | flags | (version & 7)
    if raw_flags is not None:
        fl = raw_flags
    h = struct.pack(">HH", fl, proto)
    if csum:
        h += b"\0\0\0\0"
    if key is not None:
        h += struct.pack(">I", key)
    if seq is not None:
        h += struct.pack(">I", seq)
    pkt = h + payload
    if csum:
        from common import inet_checksum
        c = inet_checksum(pkt)
        pkt = pkt[:4] + struct.pack(">H", c) + pkt[6:]
    return pkt


# ------------------------------------------------------------- ICMP errors --

def icmp4_err(typ, code, quote, rest=b"\0\0\0\0", csum="auto"):
    """ICMP error (type/code) whose body is `quote` (the offending datagram,
    usually its first 28 bytes or more). rest: the 4 bytes after the checksum
    (unused / gateway address / pointer / next-hop MTU)."""
    return icmp4(typ, code, rest=rest, data=quote, csum=csum)


def icmp6_err(src, dst, typ, code, quote, rest=b"\0\0\0\0", csum="auto"):
    return icmp6(src, dst, typ, code, rest=rest, data=quote, csum=csum)


# ------------------------------------------------- small senders for scripts --

class Sender:
    """cap.add() shortcuts: v4/v6 packets and ICMP errors from any address.
    frm is derived from the source address: A -> "a", B -> "b", anything
    else -> "r" (router MAC)."""

    def __init__(self, cap):
        self.cap = cap

    @staticmethod
    def _frm(src):
        if src in (A4, A6):
            return "a"
        if src in (B4, B6):
            return "b"
        return "r"

    def v4(self, src, dst, proto, payload, gap=0.001, at=None, **ipkw):
        return self.cap.add(ipv4(src, dst, proto, payload, **ipkw), gap=gap, at=at,
                            frm=self._frm(src))

    def v6(self, src, dst, nh, payload, gap=0.001, at=None, **ipkw):
        return self.cap.add(ipv6(src, dst, nh, payload, **ipkw), gap=gap, at=at,
                            frm=self._frm(src))

    def err4(self, src, dst, typ, code, quote, rest=b"\0\0\0\0", gap=0.001, at=None, **ipkw):
        return self.v4(src, dst, 1, icmp4_err(typ, code, quote, rest), gap=gap, at=at, **ipkw)

    def err6(self, src, dst, typ, code, quote, rest=b"\0\0\0\0", gap=0.001, at=None, nh=58,
             ext=b""):
        """ext: extension headers put between the outer IPv6 header and the
        ICMPv6 message (their first byte must be 58); nh: the outer next header."""
        msg = icmp6_err(src, dst, typ, code, quote, rest)
        return self.v6(src, dst, nh if ext else 58, ext + msg, gap=gap, at=at)
