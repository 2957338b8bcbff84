"""Shared helpers for the IP fragment scenarios (frag_*.py).

Builders for IPv4 and IPv6 fragments that do exactly what they are told
(offsets in bytes, any length, any flag), on top of the byte builders of
common.py, plus two tools used after recording:

  python3 common_frag.py post DIR...      for each recorded fixture DIR:
      writes DIR/ipfrag.conf (the ipfrag / frag6 sysctls in force: ipfrag_time,
      ipfrag_high_thresh, ipfrag_low_thresh from meta.json "ipfrag", read by
      kernel-replay inside the bridge namespace after the run;
      nf_conntrack_frag6_* from sysctl.conf; ipfrag_max_dist from the --set
      options, else the per-namespace default 64, which kernel-replay does not
      read back), and DIR/reassembled.jsonl (for every frame that got a
      conntrack verdict: the first 256 bytes of the packet conntrack saw, i.e.
      the reassembled datagram, as logged by kernel-replay's mangle FORWARD
      NFLOG rule; needs --keep-raw, and deletes DIR/nflog.bin afterwards).
  python3 common_frag.py compare DIR1 DIR2 compares two recordings frame by
      frame (ctstate, ctdir, ctstatus, note, verdict, reason, entry).
  python3 common_frag.py raw DIR           prints, per frame that reached the IP
      hooks, what the raw NFLOG stream (DIR/nflog.bin, --keep-raw) says without
      kernel-replay's attribution: reasons, the conntrack verdict record (state,
      length, whether it is still a fragment), accepted at postrouting, events.
      For recordings kernel-replay cannot attribute (frag_v6_passthrough.py).

Nothing here sends a packet.
"""
import json
import os
import struct
import sys

from common import ipv4, ipv6  # noqa: F401  (re-exported for the scripts)

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.environ.get("KTR_DIR", "/work/shared/oracle")

IP_DF, IP_MF = 0x4000, 0x2000


def frag4(src, dst, proto, data, off, more, ident, *, ttl=64, tos=0, df=False,
          options=b"", tot_len=None, off_units=None):
    """One IPv4 fragment carrying `data` at byte offset `off` (must be a
    multiple of 8 unless off_units, the raw 13-bit field, is given)."""
    if off_units is None:
        if off % 8:
            raise ValueError(f"IPv4 fragment offset {off} is not a multiple of 8")
        off_units = off // 8
    ff = (IP_DF if df else 0) | (IP_MF if more else 0) | (off_units & 0x1FFF)
    return ipv4(src, dst, proto, data, ident=ident, flags_frag=ff, ttl=ttl, tos=tos,
                options=options, tot_len=tot_len)


def fraghdr6(nh, off, more, ident, res=0, res2=0):
    """IPv6 fragment header (8 bytes): next header, reserved, offset|res2|M, id."""
    if off % 8:
        raise ValueError(f"IPv6 fragment offset {off} is not a multiple of 8")
    return struct.pack(">BBHI", nh, res, off | ((res2 & 3) << 1) | (1 if more else 0), ident)


def frag6(src, dst, nh, data, off, more, ident, *, pre=b"", first_nh=None, hlim=64,
          tclass=0, plen=None):
    """One IPv6 fragment: IPv6 header, `pre` (extension headers in front of the
    fragment header; their last next-header byte must be 44 and first_nh is
    the IPv6 header's next header), the fragment header (next header `nh`,
    offset `off` in bytes), then `data`."""
    if pre and first_nh is None:
        raise ValueError("pre needs first_nh")
    body = pre + fraghdr6(nh, off, more, ident) + data
    return ipv6(src, dst, first_nh if pre else 44, body, hlim=hlim, tclass=tclass, plen=plen)


def cut(payload, *sizes):
    """Split payload into pieces of the given sizes (the rest is the last
    piece). Returns [(offset, bytes, more)]: more is False only on the last."""
    out, off = [], 0
    for s in sizes:
        out.append((off, payload[off:off + s]))
        off += s
    out.append((off, payload[off:]))
    return [(o, d, i < len(out) - 1) for i, (o, d) in enumerate(out)]


def send4(cap, src, dst, proto, payload, sizes, ident, order=None, frm="a", gap=0.001,
          at=None, **kw):
    """Cut payload (cut(payload, *sizes)) and send the pieces as IPv4 fragments
    in `order` (1-based piece numbers, default in order); kw go to frag4."""
    pieces = cut(payload, *sizes)
    for n, k in enumerate(order or range(1, len(pieces) + 1)):
        off, d, more = pieces[k - 1]
        cap.add(frag4(src, dst, proto, d, off, more, ident, **kw), frm=frm,
                gap=gap, at=at if n == 0 else None)
    return pieces


def send6(cap, src, dst, nh, payload, sizes, ident, order=None, frm="a", gap=0.001,
          at=None, **kw):
    """The same for IPv6 fragments (kw go to frag6)."""
    pieces = cut(payload, *sizes)
    for n, k in enumerate(order or range(1, len(pieces) + 1)):
        off, d, more = pieces[k - 1]
        cap.add(frag6(src, dst, nh, d, off, more, ident, **kw), frm=frm,
                gap=gap, at=at if n == 0 else None)
    return pieces


def pattern(n, seed=0):
    """n deterministic payload bytes (different seeds give different bytes)."""
    return bytes(((i * 7 + seed * 31 + 1) & 0xFF) for i in range(n))


# ------------------------------------------------------------ post-record --

def _ipfrag_conf(d):
    meta = json.load(open(os.path.join(d, "meta.json")))
    lines = []
    ipf = meta.get("ipfrag") or {}
    for k in ("ipfrag_time", "ipfrag_high_thresh", "ipfrag_low_thresh"):
        lines.append(f"net.ipv4.{k} = {ipf.get(k)}")
    sets = dict(s.split("=", 1) for s in meta.get("options", {}).get("set", []))
    md = sets.get("net.ipv4.ipfrag_max_dist")
    lines.append(f"net.ipv4.ipfrag_max_dist = {md if md is not None else 64}"
                 + ("" if md is not None else
                    "   # default of a new namespace (seen in ktr-br during a run; kernel-replay"
                    " does not record it)"))
    for line in open(os.path.join(d, "sysctl.conf")):
        if line.startswith("net.netfilter.nf_conntrack_frag6_"):
            lines.append(line.rstrip("\n"))
    # every --set that names a fragment sysctl must be what is in force
    for k, v in sets.items():
        short = k.split(".")[-1]
        for line in lines:
            name, _, val = line.partition(" = ")
            if name.split(".")[-1] == short and val.split()[0] != v:
                raise SystemExit(f"{d}: {k}={v} requested but {line!r} in force")
    with open(os.path.join(d, "ipfrag.conf"), "w") as f:
        f.write("\n".join(lines) + "\n")


def _reassembled(d):
    raw = os.path.join(d, "nflog.bin")
    if not os.path.exists(raw):
        return False
    sys.path.insert(0, ORACLE)
    from ktr import nflog, postprocess  # noqa: E402
    items, _ = nflog.parse_file(raw)
    pk = [json.loads(x) for x in open(os.path.join(d, "packets.jsonl"))]
    # walk the stream as postprocess does: each PRE record starts a frame
    sent = [o for o in pk if o.get("sent", True) is not False]
    recs = [it for it in items if isinstance(it, nflog.Record)]
    out, k = [], -1
    verdict_seen = set()
    for r in recs:
        if r.group == postprocess.G_PRE:
            k += 1
            continue
        if r.group != postprocess.G_VERDICT or k < 0 or k in verdict_seen:
            continue
        verdict_seen.add(k)
        # PRE records exist only for frames that reached the IP hooks: map
        # the k-th PRE back to its frame (frames without PRE have notes
        # "dropped before IP/netfilter hooks" / "not IP")
        out.append((k, r))
    pre_frames = [o["i"] for o in sent
                  if not (o.get("note") or "").startswith("not IP")
                  and "dropped before IP/netfilter hooks" not in (o.get("note") or "")]
    npre = sum(1 for r in recs if r.group == postprocess.G_PRE)
    if npre != len(pre_frames):
        raise SystemExit(f"{d}: {npre} PRE records but {len(pre_frames)} frames reached the hooks")
    with open(os.path.join(d, "reassembled.jsonl"), "w") as f:
        for k, r in out:
            p = r.payload
            tot = postprocess.ip_total_len(p)
            f.write(json.dumps({"i": pre_frames[k], "state": r.prefix, "len": tot,
                                "l3_first_256": p.hex()}) + "\n")
    os.remove(raw)
    return True


def raw(d):
    sys.path.insert(0, ORACLE)
    from ktr import nflog, postprocess  # noqa: E402
    items, _ = nflog.parse_file(os.path.join(d, "nflog.bin"))
    k, cur, out = 0, None, []
    for it in items:
        if isinstance(it, nflog.Record) and it.group == postprocess.G_PRE:
            k += 1
            cur = {"pre": k, "reason": [], "verdict": None, "accepted": False, "events": []}
            out.append(cur)
        elif cur is None:
            continue
        elif isinstance(it, nflog.Event):
            cur["events"].append(it.kind)
        elif it.group == postprocess.G_REASON:
            cur["reason"].append(it.prefix.strip())
        elif it.group == postprocess.G_VERDICT and cur["verdict"] is None:
            frag = postprocess.frag_key(it.payload) is not None
            cur["verdict"] = {"state": it.prefix, "len": postprocess.ip_total_len(it.payload),
                              "fragment": frag}
        elif it.group == postprocess.G_POST:
            cur["accepted"] = True
    for o in out:
        print(json.dumps(o))


def post(dirs):
    for d in dirs:
        _ipfrag_conf(d)
        r = _reassembled(d)
        print(f"{d}: ipfrag.conf" + (", reassembled.jsonl" if r else ""))


FIELDS = ("ctstate", "ctdir", "ctstatus", "note", "verdict", "reason", "entry")


def compare(a, b):
    pa = [json.loads(x) for x in open(os.path.join(a, "packets.jsonl"))]
    pb = [json.loads(x) for x in open(os.path.join(b, "packets.jsonl"))]
    diffs = 0
    if len(pa) != len(pb):
        print(f"frame count differs: {len(pa)} vs {len(pb)}")
        return 1
    for x, y in zip(pa, pb):
        for k in FIELDS:
            if x.get(k) != y.get(k):
                diffs += 1
                print(f"f{x['i']} {k}: {x.get(k)!r} vs {y.get(k)!r}")
    print(f"{a} vs {b}: {len(pa)} frames, {diffs} differences")
    return 1 if diffs else 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "post":
        post(sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "raw":
        raw(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    else:
        print(__doc__)
        sys.exit(2)
