"""NFLOG groups + ctnetlink events on one netlink socket, for the local-host
harness (ctlocal.py).

  python3 ctlocal_nflog.py record OUT READYFILE GROUP...

runs inside the firewall namespace: binds the NFLOG groups (copy 256 bytes,
queue threshold 1, per-group and global sequence numbers), joins the
ctnetlink event groups (NEW, UPDATE, DESTROY, EXP_NEW, EXP_DESTROY) on the
same socket, so that all of them are read in the order the kernel queued
them, and appends every datagram to OUT as <u32 length><bytes> until SIGTERM.
parse(OUT) gives them back as Record / Event objects. A socket overrun
(ENOBUFS) is counted in OUT.overruns.
"""
import errno
import os
import signal
import socket
import struct
import sys
from dataclasses import dataclass, field

NETLINK_NETFILTER, NFNL_SUBSYS_CTNETLINK, NFNL_SUBSYS_CTNETLINK_EXP, NFNL_SUBSYS_ULOG = 12, 1, 2, 4
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE, NLMSG_ERROR = 1, 4, 0x200, 0x400, 2
SOL_NETLINK, NETLINK_ADD_MEMBERSHIP = 270, 1
CT_EVENT_GROUPS = (1, 2, 3, 4, 6)
# enum nfulnl_attr_type
(NFULA_PACKET_HDR, NFULA_MARK, NFULA_TIMESTAMP, NFULA_IFINDEX_INDEV, NFULA_IFINDEX_OUTDEV,
 NFULA_PAYLOAD, NFULA_PREFIX, NFULA_UID, NFULA_SEQ, NFULA_SEQ_GLOBAL) = 1, 2, 3, 4, 5, 9, 10, 11, 12, 13
TCP_STATES = ["NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT",
              "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2"]
IPS_BITS = ["EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED", "SRC_NAT", "DST_NAT",
            "SEQ_ADJUST", "SRC_NAT_DONE", "DST_NAT_DONE", "DYING", "FIXED_TIMEOUT",
            "TEMPLATE", "NAT_CLASH", "HELPER", "OFFLOAD", "HW_OFFLOAD"]


def nla(data):
    off = 0
    while off + 4 <= len(data):
        length, atype = struct.unpack("=HH", data[off:off + 4])
        if length < 4:
            break
        yield atype & 0x3FFF, data[off + 4:off + length]
        off += (length + 3) & ~3


def attr(typ, payload):
    length = 4 + len(payload)
    return struct.pack("=HH", length, typ) + payload + b"\0" * (((length + 3) & ~3) - length)


def _config(sock, seq, group, attrs):
    body = struct.pack("=BBH", socket.AF_UNSPEC, 0, socket.htons(group)) + b"".join(attrs)
    sock.send(struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_ULOG << 8) | 1,
                          NLM_F_REQUEST | NLM_F_ACK, seq, 0) + body)
    while True:
        data = sock.recv(65536)
        off = 0
        while off + 16 <= len(data):
            length, mtype, _f, rseq, _p = struct.unpack("=IHHII", data[off:off + 16])
            if mtype == NLMSG_ERROR and rseq == seq:
                err = struct.unpack("=i", data[off + 16:off + 20])[0]
                if err:
                    raise OSError(-err, f"nfnetlink_log group {group}: {os.strerror(-err)}")
                return
            off += (length + 3) & ~3


def record(out, ready, groups):
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    try:
        sock.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)     # SO_RCVBUFFORCE
    except OSError:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 20)
    sock.bind((0, 0))
    seq = 1
    for g in groups:
        _config(sock, seq, g, [attr(1, struct.pack("B", 1))])             # CMD_BIND
        _config(sock, seq + 1, g, [
            attr(2, struct.pack(">IBB", 256, 2, 0)),                       # MODE: packet, 256 B
            attr(5, struct.pack(">I", 1)),                                 # QTHRESH
            attr(4, struct.pack(">I", 1)),                                 # TIMEOUT
            attr(6, struct.pack(">H", 1 | 2)),                             # F_SEQ | F_SEQ_GLOBAL
        ])
        seq += 2
    for grp in CT_EVENT_GROUPS:
        sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, grp)
    stop = False

    def _stop(*_):
        nonlocal stop
        stop = True
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    overruns = 0
    buf = bytearray(1 << 20)
    sock.settimeout(0.2)
    with open(out, "wb") as f:
        open(ready, "w").close()
        while True:
            try:
                n = sock.recv_into(buf)
            except socket.timeout:
                f.flush()
                if stop:
                    break
                continue
            except InterruptedError:
                continue
            except OSError as exc:
                if exc.errno == errno.ENOBUFS:
                    overruns += 1
                    continue
                raise
            f.write(struct.pack("<I", n) + bytes(buf[:n]))
    with open(out + ".overruns", "w") as f:
        f.write(f"{overruns}\n")


# ------------------------------------------------------------------- parse --

@dataclass
class Record:
    group: int
    prefix: str = ""
    payload: bytes = b""
    mark: int = 0
    hook: int = -1
    indev: int | None = None
    outdev: int | None = None
    uid: int | None = None
    seq_global: int | None = None


@dataclass
class Event:
    kind: str
    ct: dict = field(default_factory=dict)


def _tuple(data):
    t = {}
    for typ, val in nla(data):
        if typ == 1:                                   # CTA_TUPLE_IP
            for ityp, ival in nla(val):
                fam = socket.AF_INET if len(ival) == 4 else socket.AF_INET6
                if ityp in (1, 3):
                    t["src"] = socket.inet_ntop(fam, ival)
                elif ityp in (2, 4):
                    t["dst"] = socket.inet_ntop(fam, ival)
        elif typ == 2:                                 # CTA_TUPLE_PROTO
            for ptyp, pval in nla(val):
                if ptyp == 1:
                    t["proto"] = pval[0]
                elif ptyp == 2:
                    t["sport"] = struct.unpack(">H", pval[:2])[0]
                elif ptyp == 3:
                    t["dport"] = struct.unpack(">H", pval[:2])[0]
                elif ptyp in (4, 7):
                    t["id"] = struct.unpack(">H", pval[:2])[0]
                elif ptyp in (5, 8):
                    t["type"] = pval[0]
                elif ptyp in (6, 9):
                    t["code"] = pval[0]
        elif typ == 3:                                 # CTA_TUPLE_ZONE
            t["zone"] = struct.unpack(">H", val[:2])[0]
    return t


def parse_ct(data):
    ct = {}
    for typ, val in nla(data):
        if typ == 1:
            ct["orig"] = _tuple(val)
        elif typ == 2:
            ct["reply"] = _tuple(val)
        elif typ == 14:
            ct["master"] = _tuple(val)
        elif typ == 3:
            ct["status"] = struct.unpack(">I", val[:4])[0]
        elif typ == 7:
            ct["timeout"] = struct.unpack(">I", val[:4])[0]
        elif typ == 8:
            ct["mark"] = struct.unpack(">I", val[:4])[0]
        elif typ == 12:
            ct["id"] = struct.unpack(">I", val[:4])[0]
        elif typ == 5:
            for htyp, hval in nla(val):
                if htyp == 1:
                    ct["helper"] = hval.split(b"\0", 1)[0].decode()
        elif typ == 4:
            for ptyp, pval in nla(val):
                if ptyp == 1:                          # CTA_PROTOINFO_TCP
                    for ttyp, tval in nla(pval):
                        if ttyp == 1:
                            s = tval[0]
                            ct["proto_state"] = TCP_STATES[s] if s < len(TCP_STATES) else f"tcp-{s}"
    return ct


def parse_expect(data):
    e = {}
    for typ, val in nla(data):
        if typ == 1:
            e["master"] = _tuple(val)
        elif typ == 2:
            e["tuple"] = _tuple(val)
        elif typ == 4:
            e["timeout"] = struct.unpack(">I", val[:4])[0]
        elif typ == 6:
            e["helper"] = val.split(b"\0", 1)[0].decode()
    return e


def _packet(body):
    rec = Record(group=struct.unpack(">BBH", body[:4])[2])
    for typ, val in nla(body[4:]):
        if typ == NFULA_PACKET_HDR:
            rec.hook = val[2]
        elif typ == NFULA_MARK:
            rec.mark = struct.unpack(">I", val[:4])[0]
        elif typ == NFULA_PREFIX:
            rec.prefix = val.split(b"\0", 1)[0].decode(errors="replace")
        elif typ == NFULA_PAYLOAD:
            rec.payload = bytes(val)
        elif typ == NFULA_UID:
            rec.uid = struct.unpack(">I", val[:4])[0]
        elif typ == NFULA_SEQ_GLOBAL:
            rec.seq_global = struct.unpack(">I", val[:4])[0]
        elif typ == NFULA_IFINDEX_INDEV:
            rec.indev = struct.unpack(">I", val[:4])[0]
        elif typ == NFULA_IFINDEX_OUTDEV:
            rec.outdev = struct.unpack(">I", val[:4])[0]
    return rec


def parse(path):
    """(items in arrival order, netlink error count)."""
    items, errors = [], 0
    blob = open(path, "rb").read()
    off = 0
    while off + 4 <= len(blob):
        n = struct.unpack("<I", blob[off:off + 4])[0]
        dgram = blob[off + 4:off + 4 + n]
        off += 4 + n
        moff = 0
        while moff + 16 <= len(dgram):
            length, mtype, flags, _s, _p = struct.unpack("=IHHII", dgram[moff:moff + 16])
            if length < 16:
                break
            body = dgram[moff + 16:moff + length]
            sub, msg = mtype >> 8, mtype & 0xFF
            if sub == NFNL_SUBSYS_ULOG and msg == 0:
                items.append(_packet(body))
            elif sub == NFNL_SUBSYS_CTNETLINK and msg in (0, 2):
                kind = "DESTROY" if msg == 2 else ("NEW" if flags & (NLM_F_CREATE | NLM_F_EXCL) else "UPDATE")
                items.append(Event(kind, parse_ct(body[4:])))
            elif sub == NFNL_SUBSYS_CTNETLINK_EXP and msg in (0, 2):
                items.append(Event("EXP_DESTROY" if msg == 2 else "EXP_NEW", parse_expect(body[4:])))
            elif mtype == NLMSG_ERROR:
                errors += 1
            moff += (length + 3) & ~3
    return items, errors


def status_names(status):
    return [name for bit, name in enumerate(IPS_BITS) if status & (1 << bit)]


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "record":
        record(sys.argv[2], sys.argv[3], [int(g) for g in sys.argv[4:]])
    else:
        sys.exit(__doc__)
