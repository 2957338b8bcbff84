#!/usr/bin/env python3
"""ctlocal: record what the Linux kernel's netfilter does on a host that
filters its OWN traffic (INPUT / OUTPUT hooks), as ground truth for ctrack.

  sudo python3 tests/scenarios/localhost/ctlocal.py OUTROOT [NAME...] [--tag T] [--keep-raw]
  python3 tests/scenarios/localhost/ctlocal.py --list

NAME is a scenario module in this directory (local_input_v4 ...; '-' or '_'
both work); OUTROOT/<name with dashes>/ gets the recording. See README.md.

Per scenario: two network namespaces joined by one veth pair, `ctl<T>-cli`
(cli0, the client) and `ctl<T>-fw` (fw0, the firewall host, ruleset loaded
with iptables-restore / ip6tables-restore / nft -f). Neighbour entries are
static (no ARP; no NDP unless the scenario wants it), offloads are off, every
process that makes traffic is pinned to CPU 0, so the kernel handles all of
it in one order. In the firewall namespace:
  * nft table `inet ctl_log` (loaded after the ruleset):
      prerouting -450 / output -450   NFLOG group 1 "PRE" / "OUT": the packet
                                      reached the hook (before defrag, conntrack)
      prerouting -190 / output -190   NFLOG group 2 "ST/<PRE|OUT>/<ctstate>/<dir>/<status>"
                                      (after raw -300 and conntrack -200, before
                                      mangle -150, nat and filter)
      input 400 / forward 400 / postrouting 400
                                      NFLOG group 3 "IN" / "FWD" / "POST": the
                                      packet was accepted by everything before
                                      conntrack confirm (INT_MAX)
  * nf_conntrack_log_invalid=255 with nf_log -> nfnetlink_log (group 0): reasons
  * one netlink socket reads NFLOG groups 0-3 and the ctnetlink events in the
    kernel's order (ctlocal_nflog.py); `conntrack -E` writes events.txt
  * tcpdump -i fw0 writes the capture (replayed.pcap)
All traffic stays inside the two namespaces; they are deleted, and every
process the harness started is stopped by PID, on exit, error or Ctrl-C.
"""
import argparse
import hashlib
import importlib
import ipaddress
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from collections import defaultdict, deque

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ctlocal_nflog as nfl  # noqa: E402

PY = os.environ.get("PYTHON", sys.executable)
AGENT = os.path.join(HERE, "ctlocal_agent.py")
MAC_CLI, MAC_FW = "02:00:00:00:0a:10", "02:00:00:00:0f:01"
MAC_SRV, MAC_FW1 = "02:00:00:00:0b:10", "02:00:00:00:0f:02"      # routed topology only
ADDR = {
    "srv4": "203.0.113.10", "fw4_srv": "203.0.113.1", "srv6": "2001:db8:2::10", "fw6_srv": "2001:db8:2::1",
    "cli4": "192.0.2.10", "cli4b": "192.0.2.11", "fw4": "192.0.2.1", "fw4_lo": "198.51.100.1",
    "cli6": "2001:db8::10", "fw6": "2001:db8::1", "fw6_lo": "2001:db8:1::1",
    "cli_ll": "fe80::10", "fw_ll": "fe80::1",
}
STEP_GAP = 0.3
TRAFFIC_CPU, TOOL_CPU = "0", "1"
STATES = ["NEW", "ESTABLISHED", "RELATED"]
DIRS = ["ORIGINAL", "REPLY"]
STATUS = [("EXPECTED", "expected"), ("SEEN_REPLY", "seen-reply"), ("ASSURED", "assured")]


def log(msg):
    print(f"[ctlocal] {msg}", file=sys.stderr, flush=True)


def sh(*cmd, check=True, capture=False, inp=None):
    r = subprocess.run(cmd, check=False, text=True, input=inp,
                       stdout=subprocess.PIPE if capture else None,
                       stderr=subprocess.PIPE if capture else None)
    if check and r.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr if capture else ''}")
    return r


# ----------------------------------------------------------- instrumentation --

def instrumentation_nft():
    """The harness' own nft table in the firewall namespace."""
    st = []
    for hook in ("PRE", "OUT"):
        rules = []
        for s in STATES:
            for d in DIRS:
                for combo in range(8):
                    names = [STATUS[b][0] for b in range(3) if combo >> b & 1]
                    vals = [STATUS[b][1] for b in range(3) if combo >> b & 1]
                    cmp = "|".join(vals) if vals else "0"
                    prefix = f"ST/{hook}/{s}/{d}/{','.join(names)}"
                    rules.append(f"ct state {s.lower()} ct direction {d.lower()} "
                                 f"ct status & (expected|seen-reply|assured) == {cmp} "
                                 f"log prefix \"{prefix}\" group 2 snaplen 256 queue-threshold 1 accept")
        rules.append(f"ct state invalid log prefix \"ST/{hook}/INVALID\" group 2 snaplen 256 queue-threshold 1 accept")
        rules.append(f"ct state untracked log prefix \"ST/{hook}/UNTRACKED\" group 2 snaplen 256 queue-threshold 1 accept")
        rules.append(f"log prefix \"ST/{hook}/UNKNOWN\" group 2 snaplen 256 queue-threshold 1")
        st.append(rules)
    body = ["table inet ctl_log {"]

    def chain(name, hook, prio, rules):
        body.append(f"    chain {name} {{")
        body.append(f"        type filter hook {hook} priority {prio}; policy accept;")
        body.extend("        " + r for r in rules)
        body.append("    }")
    chain("pre_hook", "prerouting", -450, ['log prefix "PRE" group 1 snaplen 256 queue-threshold 1'])
    chain("out_hook", "output", -450, ['log prefix "OUT" group 1 snaplen 256 queue-threshold 1'])
    chain("pre_state", "prerouting", -190, st[0])
    chain("out_state", "output", -190, st[1])
    chain("in_verdict", "input", 400, ['log prefix "IN" group 3 snaplen 256 queue-threshold 1'])
    chain("fwd_verdict", "forward", 400, ['log prefix "FWD" group 3 snaplen 256 queue-threshold 1'])
    chain("post_verdict", "postrouting", 400, ['log prefix "POST" group 3 snaplen 256 queue-threshold 1'])
    body.append("}")
    return "\n".join(body) + "\n"


# ------------------------------------------------------------ packet parsing --

def ip_len(ip):
    if not ip:
        return 0
    if ip[0] >> 4 == 4 and len(ip) >= 20:
        return min(len(ip), struct.unpack(">H", ip[2:4])[0])
    if ip[0] >> 4 == 6 and len(ip) >= 40:
        return min(len(ip), 40 + struct.unpack(">H", ip[4:6])[0])
    return len(ip)


def l4_offset(ip):
    """(protocol, offset of the L4 header) or (proto, None) for non-first fragments."""
    if ip[0] >> 4 == 4:
        ihl = (ip[0] & 15) * 4
        frag = struct.unpack(">H", ip[6:8])[0] & 0x1FFF
        return ip[9], (ihl if frag == 0 else None)
    nh, off = ip[6], 40
    while nh in (0, 43, 60, 44, 51) and off + 8 <= len(ip):
        if nh == 44:
            if struct.unpack(">H", ip[off + 2:off + 4])[0] & 0xFFF8:
                return ip[off], None
            nh, off = ip[off], off + 8
        elif nh == 51:
            nh, off = ip[off], off + (ip[off + 1] + 2) * 4
        else:
            nh, off = ip[off], off + (ip[off + 1] + 1) * 8
    return nh, off


CSUM_AT = {6: 16, 17: 6, 136: 6, 1: 2, 58: 2, 132: 8}


def norm(ip):
    """Matching key: the first 256 bytes of the IP packet, TTL/hop limit,
    IPv4 header checksum and L4 checksum zeroed (NFLOG sees locally made
    packets before the checksum is finished, and forwarded ones after TTL)."""
    ip = ip[:ip_len(ip)]
    b = bytearray(ip[:256])
    if len(b) < 20:
        return bytes(b)
    if b[0] >> 4 == 4:
        b[8] = 0
        b[10:12] = b"\0\0"
    elif b[0] >> 4 == 6 and len(b) >= 40:
        b[7] = 0
    try:
        proto, off = l4_offset(ip)
        if off is not None and proto in CSUM_AT and off + CSUM_AT[proto] + 2 <= len(b):
            at = off + CSUM_AT[proto]
            b[at:at + (4 if proto == 132 else 2)] = b"\0" * (4 if proto == 132 else 2)
    except (IndexError, struct.error):
        pass
    return bytes(b)


def addr_str(raw):
    return str(ipaddress.ip_address(raw))


def five_tuple(ip):
    """(tuple, inner tuple of an ICMP error or None). Tuples: (proto, src, dst,
    sport, dport) or for ICMP queries (proto, src, dst, id)."""
    try:
        v4 = ip[0] >> 4 == 4
        src, dst = (addr_str(ip[12:16]), addr_str(ip[16:20])) if v4 else (addr_str(ip[8:24]), addr_str(ip[24:40]))
        proto, off = l4_offset(ip)
        if off is None:
            return (proto, src, dst), None
        l4 = ip[off:]
        if proto in (6, 17, 132, 136) and len(l4) >= 4:
            return (proto, src, dst) + struct.unpack(">HH", l4[:4]), None
        if proto in (1, 58) and len(l4) >= 8:
            typ = l4[0]
            if (proto == 1 and typ in (0, 8, 13, 14, 15, 16, 17, 18)) or (proto == 58 and typ in (128, 129)):
                return (proto, src, dst, struct.unpack(">H", l4[4:6])[0]), None
            if (proto == 1 and typ in (3, 4, 5, 11, 12)) or (proto == 58 and typ in (1, 2, 3, 4)):
                inner, _ = five_tuple(l4[8:])
                return (proto, src, dst), inner
        return (proto, src, dst), None
    except (IndexError, ValueError, struct.error):
        return None, None


def summary(ip):
    try:
        t, inner = five_tuple(ip)
        proto, off = l4_offset(ip)
        name = {6: "TCP", 17: "UDP", 1: "ICMP", 58: "ICMPv6", 132: "SCTP"}.get(proto, f"proto {proto}")
        fmt = (lambda a, p: f"[{a}]:{p}") if ":" in t[1] else (lambda a, p: f"{a}:{p}")
        if proto == 6 and off is not None:
            fl = ip[off + 13]
            flags = "".join(c for c, bit in zip("FSRPAU", (1, 2, 4, 8, 16, 32)) if fl & bit)
            ln = ip_len(ip) - off - (ip[off + 12] >> 4) * 4
            return f"TCP {fmt(t[1], t[3])} > {fmt(t[2], t[4])} [{flags}]" + (f" len {ln}" if ln else "")
        if proto == 17:
            return f"UDP {fmt(t[1], t[3])} > {fmt(t[2], t[4])}"
        if proto in (1, 58) and off is not None:
            typ, code = ip[off], ip[off + 1]
            s = f"{name} {t[1]} > {t[2]} type {typ} code {code}"
            if len(t) == 4:
                s += f" id {t[3]}"
            if inner:
                s += f" quoting {inner}"
            return s
        return f"{name} {t[1]} > {t[2]}"
    except (IndexError, TypeError, ValueError, struct.error):
        return "?"


def read_pcap(path):
    data = open(path, "rb").read()
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    off, frames = 24, []
    while off + 16 <= len(data):
        sec, frac, incl, _orig = struct.unpack(endian + "IIII", data[off:off + 16])
        frames.append((sec + frac / (1e9 if nano else 1e6), data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return linktype, frames


# ------------------------------------------------------------- postprocess --

class Pkt:
    def __init__(self, n, path, rec, idx):
        self.n, self.path, self.first = n, path, idx
        self.dev = rec.indev if path == "in" else rec.outdev
        self.payload = rec.payload
        self.key = norm(rec.payload)
        self.tuple, self.inner = five_tuple(rec.payload)
        self.uid = rec.uid
        self.state = self.ctdir = None
        self.status = []
        self.mark = None
        self.stages = [("PRE" if path == "in" else "OUT", idx)]
        self.reasons, self.events = [], []
        self.entry_at_state = None
        self.frame = None
        self.last = idx

    def has(self, stage):
        return any(s == stage for s, _ in self.stages)

    def verdict_idx(self):
        for s, i in self.stages:
            if s in ("IN", "POST"):
                return i
        return None


def tkeys(t):
    if not t:
        return []
    return [tuple(t)]


def ct_keys(tup):
    """Lookup keys of a ctnetlink tuple."""
    p = tup.get("proto")
    if p in (1, 58):
        return [(p, tup.get("src"), tup.get("dst"), tup.get("id"))]
    if "sport" in tup:
        return [(p, tup.get("src"), tup.get("dst"), tup.get("sport"), tup.get("dport"))]
    return [(p, tup.get("src"), tup.get("dst"))]


def postprocess(work, out, ifaces, meta):
    """ifaces: name -> (ifindex, the firewall's MAC on it, pcap file name)."""
    items, nl_errors = nfl.parse(os.path.join(work, "nflog.bin"))
    pkts, unmatched, reasons_orphan = [], [], 0
    by_key = defaultdict(list)          # key -> packets, newest last
    entries = {}                        # ct id -> entry number
    live = {}                           # tuple key -> ct id
    dead = {}                           # tuple key -> (ct id, item index of its DESTROY)
    ent_state = {}                      # entry -> last proto_state
    ent_helper, ent_master = {}, {}
    seq_prev, seq_gaps = None, 0
    unattributed = []
    for idx, it in enumerate(items):
        if isinstance(it, nfl.Record):
            if it.seq_global is not None:
                if seq_prev is not None and it.seq_global != seq_prev + 1:
                    seq_gaps += 1
                seq_prev = it.seq_global
            key = norm(it.payload)
            if it.group == 1:
                p = Pkt(len(pkts) + 1, "in" if it.prefix == "PRE" else "out", it, idx)
                pkts.append(p)
                by_key[key].append(p)
                continue
            cands = by_key.get(key, [])
            if it.group == 0:
                target = cands[-1] if cands else None
                if target:
                    target.reasons.append(it.prefix.strip())
                    target.last = idx
                else:
                    reasons_orphan += 1
                continue
            want = None
            if it.group == 2:
                hook = it.prefix.split("/")[1]
                want = [p for p in cands if p.path == ("in" if hook == "PRE" else "out") and p.state is None]
            elif it.group == 3:
                if it.prefix == "IN":
                    want = [p for p in cands if p.path == "in" and not p.has("IN") and not p.has("FWD")]
                elif it.prefix == "FWD":
                    want = [p for p in cands if p.path == "in" and not p.has("FWD") and not p.has("IN")]
                else:
                    want = [p for p in cands if not p.has("POST") and (p.path == "out" or p.has("FWD"))]
            if not want:
                unmatched.append({"record": idx, "group": it.group, "prefix": it.prefix})
                continue
            p = want[-1]
            p.last = idx
            if it.group == 2:
                parts = it.prefix.split("/")
                p.state = parts[2]
                p.ctdir = parts[3] if len(parts) > 3 else None
                p.status = [s for s in parts[4].split(",") if s] if len(parts) > 4 else []
                p.mark = it.mark
                p.stages.append(("ST", idx))
                look = [p.inner] if p.state == "RELATED" and p.inner else [p.tuple]
                for t in look:
                    cid = None
                    if t and tuple(t) in live:
                        cid = live[tuple(t)]
                    elif t and tuple(t) in dead and dead[tuple(t)][1] > p.first:
                        cid = dead[tuple(t)][0]     # killed by this very packet (RST in SYN_SENT...)
                    if cid is not None:
                        p.entry_at_state = entries[cid]
                        p.ps_at_state = ent_state.get(p.entry_at_state)
            else:
                p.stages.append((it.prefix, idx))
                if it.prefix == "POST":
                    p.post_outdev = it.outdev
        else:
            ev = it
            ct = ev.ct
            if ev.kind in ("NEW", "UPDATE", "DESTROY"):
                cid = ct.get("id")
                if ev.kind == "NEW" and cid not in entries:
                    entries[cid] = len(entries) + 1
                    for tk in ct_keys(ct.get("orig", {})) + ct_keys(ct.get("reply", {})):
                        live[tk] = cid
                if cid not in entries:
                    entries[cid] = len(entries) + 1
                n = entries[cid]
                if ct.get("proto_state"):
                    ent_state[n] = ct["proto_state"]
                if ct.get("helper"):
                    ent_helper[n] = ct["helper"]
                if ct.get("master"):
                    mk = ct_keys(ct["master"])
                    if mk and mk[0] in live:
                        ent_master[n] = entries[live[mk[0]]]
                text = f"{ev.kind} {n}"
                if ev.kind != "DESTROY":
                    if ct.get("proto_state"):
                        text += f" {ct['proto_state']}"
                    if "timeout" in ct:
                        text += f" timeout {ct['timeout']}"
                    st = [s for s in nfl.status_names(ct.get("status", 0))
                          if s in ("EXPECTED", "SEEN_REPLY", "ASSURED")]
                    if st:
                        text += f" [{','.join(st)}]"
                    if ct.get("mark"):
                        text += f" mark {ct['mark']}"
                    if ct.get("helper"):
                        text += f" helper {ct['helper']}"
                if ev.kind == "DESTROY":
                    for tk in ct_keys(ct.get("orig", {})) + ct_keys(ct.get("reply", {})):
                        if live.get(tk) == cid:
                            del live[tk]
                            dead[tk] = (cid, idx)
                keys = set(ct_keys(ct.get("orig", {})) + ct_keys(ct.get("reply", {})))
            else:
                e = ct
                t, mt = e.get("tuple", {}), e.get("master", {})
                pname = {6: "tcp", 17: "udp"}.get(t.get("proto"), str(t.get("proto")))
                master = entries.get(live.get(ct_keys(mt)[0])) if mt else None
                text = (f"{ev.kind} {pname} {t.get('src')}:{t.get('sport', 0)} > "
                        f"{t.get('dst')}:{t.get('dport', 0)} helper {e.get('helper')} master {master}")
                keys = set(ct_keys(mt)) if mt else set()
            target = None
            recent = sorted(pkts, key=lambda q: q.last, reverse=True)[:30]
            if ev.kind.startswith("EXP_"):
                # the expected connection's first packet (EXP_DESTROY when it is
                # matched), else the master's packet that created it
                want = (t.get("proto"), t.get("src"), t.get("dst"), t.get("dport"))
                for p in recent:
                    if p.tuple and len(p.tuple) == 5 and (p.tuple[0], p.tuple[1], p.tuple[2], p.tuple[4]) == want:
                        target = p
                        break
            for p in ([] if target else recent):
                if (p.tuple and tuple(p.tuple) in keys) or (p.inner and tuple(p.inner) in keys):
                    target = p
                    break
            if target is None:
                unattributed.append({"after_packet": pkts[-1].n if pkts else None, "event": text})
            else:
                target.events.append(text)
                target.last = max(target.last, idx)
                if ev.kind in ("NEW", "UPDATE"):
                    target.event_entry = entries.get(ct.get("id"))
                    if ct.get("proto_state"):
                        target.ps_event = ct["proto_state"]
    # -------- which packets the kernel sent while handling another one: a
    # kernel-sent packet (no socket with a file: SYN/ACK, RST, ICMP, REJECT
    # replies) whose first record comes right after the records of the
    # previous packet, with no other packet's record in between
    owner = {}
    for p in pkts:
        for _s, i in p.stages:
            owner[i] = p.n
    for prev, q in zip(pkts, pkts[1:]):
        if q.path != "out" or q.uid is not None:
            continue
        if all(owner.get(i, prev.n) == prev.n for i in range(prev.first + 1, q.first)):
            q.generated_by = prev
            prev.__dict__.setdefault("generated", []).append(q)
    # -------- frames (one capture per firewall interface, merged by time)
    linktype, frames = None, []
    for name, (ifindex, mac, pcap) in ifaces.items():
        lt, fr = read_pcap(os.path.join(out, pcap))
        linktype = lt
        frames += [(ts, name, n, data) for n, (ts, data) in enumerate(fr, 1)]
    frames.sort(key=lambda f: (f[0], list(ifaces).index(f[1])))
    in_q, out_q = defaultdict(deque), defaultdict(deque)
    for p in pkts:
        if p.path == "in":
            in_q[(p.dev, p.key)].append(p)
        if p.has("POST"):
            out_q[(getattr(p, "post_outdev", p.dev), p.key)].append(p)
    records, no_record = [], 0
    t0 = frames[0][0] if frames else 0
    # How long after the last captured frame the table was read (both are
    # CLOCK_REALTIME): the replay ages its table by as much to compare.
    table_time = meta.pop("table_time", None)
    if frames and table_time is not None:
        elapsed = max(0.0, table_time - frames[-1][0])
        with open(os.path.join(out, "table.elapsed"), "w") as f:
            f.write(f"{elapsed:.6f}\n")
        meta["table_elapsed_s"] = round(elapsed, 6)
    for i, (ts, ifname, ifn, fr) in enumerate(frames, 1):
        ifindex, mac, _pcap = ifaces[ifname]
        rec = {"i": i, "t": round(ts - t0, 6)}
        if len(ifaces) > 1:
            rec["if"], rec["if_frame"] = ifname, ifn
        src_mac = ":".join(f"{b:02x}" for b in fr[6:12])
        rec["dir"] = "out" if src_mac == mac else "in"
        etype = struct.unpack(">H", fr[12:14])[0] if len(fr) >= 14 else None
        if etype not in (0x0800, 0x86DD):
            rec.update({"pkt": f"ethertype 0x{etype:04x}" if etype else "runt", "ctstate": None,
                        "ctdir": None, "ctstatus": [], "verdict": None, "note": "not IP"})
            records.append(rec)
            continue
        ip = fr[14:]
        ip = ip[:ip_len(ip)]
        rec["pkt"] = summary(ip)
        q = (out_q if rec["dir"] == "out" else in_q)[(ifindex, norm(ip))]
        if not q:
            no_record += 1
            rec.update({"ctstate": None, "ctdir": None, "ctstatus": [], "verdict": None,
                        "note": "no NFLOG record matched this frame"})
            records.append(rec)
            continue
        p = q.popleft()
        if p.path == "in" and rec["dir"] == "out":
            rec["forwarded_from"] = p.frame        # the egress copy of a routed packet
        else:
            p.frame = i
        records.append(rec)
        rec["_p"] = p
    # -------- per-frame records
    local_only = [p for p in pkts if p.frame is None]
    ref = {}
    for p in pkts:
        ref[p.n] = p.frame if p.frame is not None else f"L{p.n}"
    out_records = []
    for rec in records:
        p = rec.pop("_p", None)
        if p is not None:
            rec.update(pkt_fields(p, ent_helper, ent_master, pkts, ref))
            if "forwarded_from" in rec:
                # the egress copy of a routed packet: the same packet, already
                # counted (events, reasons, generated) on its ingress frame
                for k in ("events", "reason", "generated"):
                    rec.pop(k, None)
        out_records.append(rec)
    with open(os.path.join(out, "packets.jsonl"), "w") as f:
        for rec in out_records:
            f.write(json.dumps(rec) + "\n")
    with open(os.path.join(out, "local-only.jsonl"), "w") as f:
        for p in local_only:
            devname = {v[0]: k for k, v in ifaces.items()}
            r = {"ref": f"L{p.n}", "dir": p.path,
                 "dev": "lo" if p.dev == 1 else devname.get(p.dev, p.dev),
                 "pkt": summary(p.payload)}
            r.update(pkt_fields(p, ent_helper, ent_master, pkts, ref))
            f.write(json.dumps(r) + "\n")
    counts, counts_v, counts_dir = defaultdict(int), defaultdict(int), defaultdict(int)
    for r in out_records:
        counts[str(r.get("ctstate"))] += 1
        counts_v[f"{r['dir']} {r.get('verdict')}"] += 1
        counts_dir[f"{r.get('ctstate')}/{r.get('ctdir')}"] += 1
    overruns = int(open(os.path.join(work, "nflog.bin.overruns")).read().strip() or 0)
    meta["frames"] = len(out_records)
    meta["linktype"] = linktype
    meta["counts"] = dict(sorted(counts.items()))
    meta["counts_by_dir"] = dict(sorted(counts_dir.items()))
    meta["counts_by_verdict"] = dict(sorted(counts_v.items()))
    meta["entries"] = len(entries)
    meta["local_only_packets"] = len(local_only)
    meta["nflog"] = {
        "records": sum(isinstance(i, nfl.Record) for i in items),
        "ct_events": sum(isinstance(i, nfl.Event) for i in items),
        "packets": len(pkts), "unmatched_records": len(unmatched), "orphan_reasons": reasons_orphan,
        "seq_gaps": seq_gaps, "socket_overruns": overruns, "netlink_errors": nl_errors,
        "frames_without_record": no_record, "unattributed_events": unattributed,
    }
    if unmatched:
        meta["nflog"]["unmatched_detail"] = unmatched[:20]
    clean = not (unmatched or reasons_orphan or seq_gaps or overruns or nl_errors or no_record)
    meta["nflog"]["clean"] = clean
    return clean


def pkt_fields(p, ent_helper, ent_master, pkts, ref):
    r = {"ctstate": p.state, "ctdir": p.ctdir, "ctstatus": p.status}
    stages = [s for s, _ in p.stages]
    if p.path == "in":
        hooks = ["PREROUTING"] + (["INPUT"] if "IN" in stages else []) + \
                (["FORWARD"] if "FWD" in stages else []) + (["POSTROUTING"] if "POST" in stages else [])
        accepted = "IN" in stages or "POST" in stages
    else:
        hooks = ["OUTPUT"] + (["POSTROUTING"] if "POST" in stages else [])
        accepted = "POST" in stages
    r["hooks"] = ">".join(hooks)
    r["verdict"] = "ACCEPT" if accepted else "DROP"
    note = None
    if not accepted:
        note = "dropped before conntrack" if p.state is None else "dropped after conntrack (never reached the 400 log)"
    r["note"] = note
    if p.path == "out":
        r["sender"] = "socket" if p.uid is not None else "kernel"
    if p.mark:
        r["mark"] = p.mark
    if p.reasons:
        r["reason"] = p.reasons
    if p.events:
        r["events"] = p.events
    entry = getattr(p, "event_entry", None) or p.entry_at_state
    if entry:
        r["entry"] = entry
        ps = getattr(p, "ps_event", None) or getattr(p, "ps_at_state", None)
        if ps:
            r["proto_state"] = ps
        if entry in ent_master:
            r["master"] = ent_master[entry]
        if entry in ent_helper:
            r["helper"] = ent_helper[entry]
    gen = []
    for q in getattr(p, "generated", []):
        vi = p.verdict_idx()
        gen.append({"ref": ref[q.n], "pkt": summary(q.payload), "ctstate": q.state, "ctdir": q.ctdir,
                    "when": "during the hooks" if vi is None or q.first < vi else "after acceptance"})
    if gen:
        r["generated"] = gen
    if getattr(p, "generated_by", None) is not None:
        r["generated_by"] = ref[p.generated_by.n]
    return r


# ------------------------------------------------------------------- runner --

class Run:
    def __init__(self, name, mod, outroot, tag, keep_raw):
        self.name, self.mod, self.tag, self.keep_raw = name, mod, tag, keep_raw
        self.out = os.path.join(outroot, name.replace("_", "-"))
        self.cli, self.fw, self.srv = f"ctl{tag}-cli", f"ctl{tag}-fw", f"ctl{tag}-srv"
        self.procs = []
        self.work = tempfile.mkdtemp(prefix="ctlocal.")
        topo = getattr(mod, "TOPOLOGY", {})
        self.ipv6 = topo.get("ipv6", False)
        self.dynamic_nd6 = topo.get("dynamic_nd6", False)
        self.routed = topo.get("routed", False)
        self.namespaces = [self.cli, self.fw] + ([self.srv] if self.routed else [])

    def ns(self, which):
        return {"cli": self.cli, "fw": self.fw, "srv": self.srv}[which]

    def nsx(self, which, *cmd, **kw):
        return sh("ip", "netns", "exec", self.ns(which), *cmd, **kw)

    def spawn(self, which, cmd, cpu, stdout=None, stderr=None):
        p = subprocess.Popen(["ip", "netns", "exec", self.ns(which), "taskset", "-c", cpu] + cmd,
                             stdout=stdout or subprocess.DEVNULL, stderr=stderr or subprocess.DEVNULL)
        self.procs.append(p)
        return p

    def cleanup(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.procs = []
        for n in (self.cli, self.fw, self.srv):
            sh("ip", "netns", "del", n, check=False, capture=True)
        shutil.rmtree(self.work, ignore_errors=True)

    # --- topology
    def setup(self):
        for n in self.namespaces:
            if sh("ip", "netns", "list", capture=True).stdout.split().count(n):
                log(f"removing stale namespace {n}")
                sh("ip", "netns", "del", n)
            sh("ip", "netns", "add", n)
            x = lambda *c: sh("ip", "netns", "exec", n, *c, capture=True)  # noqa: E731
            if self.ipv6:
                x("sysctl", "-qw", "net.ipv6.conf.all.accept_ra=0", "net.ipv6.conf.default.accept_ra=0",
                  "net.ipv6.conf.all.router_solicitations=0", "net.ipv6.conf.default.router_solicitations=0",
                  "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0",
                  "net.ipv6.conf.all.dad_transmits=0", "net.ipv6.conf.default.dad_transmits=0",
                  "net.ipv6.conf.all.addr_gen_mode=1", "net.ipv6.conf.default.addr_gen_mode=1")
            else:
                x("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
            sh("ip", "-n", n, "link", "set", "lo", "up")
        sh("ip", "-n", self.fw, "link", "add", "fw0", "address", MAC_FW, "type", "veth",
           "peer", "name", "cli0", "address", MAC_CLI, "netns", self.cli)
        links = [(self.fw, "fw0"), (self.cli, "cli0")]
        if self.routed:
            sh("ip", "-n", self.fw, "link", "add", "fw1", "address", MAC_FW1, "type", "veth",
               "peer", "name", "srv0", "address", MAC_SRV, "netns", self.srv)
            links += [(self.fw, "fw1"), (self.srv, "srv0")]
        for n, dev in links:
            sh("ip", "netns", "exec", n, "ethtool", "-K", dev, "tx", "off", "tso", "off", "gso", "off",
               "gro", "off", "lro", "off", check=False, capture=True)
            if self.ipv6:
                sh("ip", "netns", "exec", n, "sysctl", "-qw",
                   f"net.ipv6.neigh.{dev}.delay_first_probe_time=60",
                   f"net.ipv6.neigh.{dev}.base_reachable_time_ms=600000", capture=True)
        a = ADDR
        sh("ip", "-n", self.fw, "addr", "add", a["fw4"] + "/24", "dev", "fw0")
        sh("ip", "-n", self.fw, "addr", "add", a["fw4_lo"] + "/32", "dev", "lo")
        sh("ip", "-n", self.cli, "addr", "add", a["cli4"] + "/24", "dev", "cli0")
        sh("ip", "-n", self.cli, "addr", "add", a["cli4b"] + "/24", "dev", "cli0")
        if self.ipv6:
            sh("ip", "-n", self.fw, "addr", "add", a["fw6"] + "/64", "dev", "fw0", "nodad")
            sh("ip", "-n", self.fw, "addr", "add", a["fw_ll"] + "/64", "dev", "fw0", "nodad")
            sh("ip", "-n", self.fw, "addr", "add", a["fw6_lo"] + "/128", "dev", "lo")
            sh("ip", "-n", self.cli, "addr", "add", a["cli6"] + "/64", "dev", "cli0", "nodad")
            sh("ip", "-n", self.cli, "addr", "add", a["cli_ll"] + "/64", "dev", "cli0", "nodad")
        if self.routed:
            sh("ip", "-n", self.fw, "addr", "add", a["fw4_srv"] + "/24", "dev", "fw1")
            sh("ip", "-n", self.srv, "addr", "add", a["srv4"] + "/24", "dev", "srv0")
            if self.ipv6:
                sh("ip", "-n", self.fw, "addr", "add", a["fw6_srv"] + "/64", "dev", "fw1", "nodad")
                sh("ip", "-n", self.fw, "addr", "add", "fe80::2/64", "dev", "fw1", "nodad")
                sh("ip", "-n", self.srv, "addr", "add", a["srv6"] + "/64", "dev", "srv0", "nodad")
                sh("ip", "-n", self.srv, "addr", "add", "fe80::20/64", "dev", "srv0", "nodad")
            sh("ip", "-n", self.fw, "link", "set", "fw1", "up")
            sh("ip", "-n", self.srv, "link", "set", "srv0", "up")
            sh("ip", "-n", self.srv, "route", "add", "192.0.2.0/24", "via", a["fw4_srv"])
            sh("ip", "-n", self.srv, "route", "add", "198.51.100.0/24", "via", a["fw4_srv"])
            sh("ip", "netns", "exec", self.fw, "sysctl", "-qw", "net.ipv4.ip_forward=1", capture=True)
            sh("ip", "-n", self.fw, "neigh", "replace", a["srv4"], "lladdr", MAC_SRV, "dev", "fw1", "nud", "permanent")
            sh("ip", "-n", self.srv, "neigh", "replace", a["fw4_srv"], "lladdr", MAC_FW1, "dev", "srv0", "nud", "permanent")
            if self.ipv6:
                sh("ip", "netns", "exec", self.fw, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1", capture=True)
                sh("ip", "-n", self.srv, "-6", "route", "add", "2001:db8::/64", "via", a["fw6_srv"])
                for ip6 in (a["srv6"], "fe80::20"):
                    sh("ip", "-n", self.fw, "neigh", "replace", ip6, "lladdr", MAC_SRV, "dev", "fw1", "nud", "permanent")
                for ip6 in (a["fw6_srv"], "fe80::2"):
                    sh("ip", "-n", self.srv, "neigh", "replace", ip6, "lladdr", MAC_FW1, "dev", "srv0", "nud", "permanent")
        sh("ip", "-n", self.fw, "link", "set", "fw0", "up")
        sh("ip", "-n", self.cli, "link", "set", "cli0", "up")
        sh("ip", "-n", self.cli, "route", "add", "198.51.100.0/24", "via", a["fw4"])
        if self.routed:
            sh("ip", "-n", self.cli, "route", "add", "203.0.113.0/24", "via", a["fw4"])
            if self.ipv6:
                sh("ip", "-n", self.cli, "-6", "route", "add", "2001:db8:2::/64", "via", a["fw6"])
        if self.ipv6:
            sh("ip", "-n", self.cli, "-6", "route", "add", "2001:db8:1::/64", "via", a["fw6"])
        for ip4 in (a["cli4"], a["cli4b"]):
            sh("ip", "-n", self.fw, "neigh", "replace", ip4, "lladdr", MAC_CLI, "dev", "fw0", "nud", "permanent")
        sh("ip", "-n", self.cli, "neigh", "replace", a["fw4"], "lladdr", MAC_FW, "dev", "cli0", "nud", "permanent")
        if self.ipv6 and not self.dynamic_nd6:
            for ip6 in (a["cli6"], a["cli_ll"]):
                sh("ip", "-n", self.fw, "neigh", "replace", ip6, "lladdr", MAC_CLI, "dev", "fw0", "nud", "permanent")
            for ip6 in (a["fw6"], a["fw_ll"]):
                sh("ip", "-n", self.cli, "neigh", "replace", ip6, "lladdr", MAC_FW, "dev", "cli0", "nud", "permanent")
    def load_rules(self):
        """After the link-up noise (MLD reports) has passed, so that neither
        conntrack nor the counters see it."""
        fwx = lambda *c: self.nsx("fw", *c, capture=True)  # noqa: E731
        fwx("sysctl", "-qw", "net.netfilter.nf_conntrack_log_invalid=255")
        fwx("sh", "-c", "echo nfnetlink_log > /proc/sys/net/netfilter/nf_log/2; "
                        "echo nfnetlink_log > /proc/sys/net/netfilter/nf_log/10")
        for k, v in getattr(self.mod, "SYSCTL", {}).items():
            fwx("sysctl", "-qw", f"{k}={v}")
        # rulesets, then the instrumentation
        self.rulesets = []
        rules = getattr(self.mod, "RULES", {})
        for kind, cmd in (("nft", ["nft", "-f"]), ("v4", ["iptables-restore"]), ("v6", ["ip6tables-restore"])):
            f = rules.get(kind)
            if not f:
                continue
            path = os.path.join(HERE, f)
            self.nsx("fw", *cmd, path if kind == "nft" else "/dev/stdin", capture=True,
                     inp=None if kind == "nft" else open(path).read())
            self.rulesets.append({"kind": {"v4": "iptables", "v6": "ip6tables", "nft": "nft"}[kind],
                                  "file": f, "sha256": hashlib.sha256(open(path, "rb").read()).hexdigest()})
        self.instr = instrumentation_nft()
        self.nsx("fw", "nft", "-f", "-", inp=self.instr, capture=True)
        self.ifaces = {}
        for dev, mac, pcap in (("fw0", MAC_FW, "replayed.pcap"), ("fw1", MAC_FW1, "replayed-fw1.pcap")):
            if dev == "fw1" and not self.routed:
                continue
            idx = json.loads(self.nsx("fw", "ip", "-j", "link", "show", dev, capture=True).stdout)[0]["ifindex"]
            self.ifaces[dev] = (idx, mac, pcap)

    def start_tools(self):
        env_pp = self.work
        ready = os.path.join(env_pp, "nflog.ready")
        self.nflog = self.spawn("fw", [PY, os.path.join(HERE, "ctlocal_nflog.py"), "record",
                                       os.path.join(env_pp, "nflog.bin"), ready, "0", "1", "2", "3"],
                                TOOL_CPU, stderr=open(os.path.join(env_pp, "nflog.err"), "w"))
        self.wait_file(ready, "NFLOG reader", self.nflog)
        self.events_out = open(os.path.join(self.out, "events.txt"), "w")
        self.events = self.spawn("fw", ["conntrack", "-E", "-e", "ALL", "-o", "timestamp,id,extended",
                                        "-b", "16777216"], TOOL_CPU, stdout=self.events_out,
                                 stderr=open(os.path.join(env_pp, "events.err"), "w"))
        self.tcpdumps = []
        for dev, (_idx, _mac, pcap) in self.ifaces.items():
            err = os.path.join(env_pp, f"tcpdump-{dev}.err")
            p = self.spawn("fw", ["tcpdump", "-i", dev, "-w", os.path.join(self.out, pcap), "-U", "-nn",
                                  "-s", "0", "--time-stamp-precision=nano", "-Z", "root"],
                           TOOL_CPU, stderr=open(err, "w"))
            for _ in range(100):
                if "listening on" in open(err).read():
                    break
                time.sleep(0.05)
            else:
                raise RuntimeError("tcpdump did not start: " + open(err).read())
            self.tcpdumps.append(p)
        time.sleep(0.3)

    def wait_file(self, path, what, proc):
        for _ in range(200):
            if os.path.exists(path):
                return
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"{what} did not start")

    def start_services(self):
        self.services = []
        for i, (which, action, args) in enumerate(getattr(self.mod, "SERVICES", [])):
            args = dict(args)
            args["ready"] = os.path.join(self.work, f"svc{i}.ready")
            p = self.spawn(which, [PY, AGENT, action, json.dumps(args)], TRAFFIC_CPU)
            self.wait_file(args["ready"], f"service {action}", p)
            self.services.append({"ns": which, "action": action,
                                  "args": {k: v for k, v in args.items() if k != "ready"}})

    def run_steps(self):
        results = []
        t0 = time.monotonic()
        for i, step in enumerate(self.mod.STEPS, 1):
            which, action = step[0], step[1]
            args = step[2] if len(step) > 2 else {}
            if which == "sleep":
                time.sleep(action)
                continue
            start = round(time.monotonic() - t0, 3)
            r = sh("ip", "netns", "exec", self.ns(which), "taskset", "-c", TRAFFIC_CPU, PY, AGENT,
                   action, json.dumps(args), capture=True, check=False)
            try:
                res = json.loads(r.stdout.strip().splitlines()[-1])
            except (json.JSONDecodeError, IndexError):
                res = {"error": r.stderr.strip()[-500:]}
            results.append({"step": i, "ns": which, "action": action, "args": args,
                            "started_s": start, "result": res})
            time.sleep(STEP_GAP)
        return results

    def collect(self):
        fw = lambda *c: self.nsx("fw", *c, capture=True, check=False).stdout  # noqa: E731
        before = time.time()
        table = fw("cat", "/proc/net/nf_conntrack")
        self.table_time = (before + time.time()) / 2
        open(os.path.join(self.out, "table.txt"), "w").write(table)
        open(os.path.join(self.out, "expect.txt"), "w").write(fw("cat", "/proc/net/nf_conntrack_expect"))
        open(os.path.join(self.out, "conntrack-L.txt"), "w").write(fw("conntrack", "-L", "-o", "extended"))
        open(os.path.join(self.out, "counters.v4"), "w").write(fw("iptables-save", "-c"))
        open(os.path.join(self.out, "counters.v6"), "w").write(fw("ip6tables-save", "-c"))
        open(os.path.join(self.out, "counters.nft"), "w").write(fw("nft", "list", "ruleset"))
        sysctl = fw("sh", "-c", 'for f in /proc/sys/net/netfilter/nf_conntrack_*; do '
                                '[ "${f##*/}" = nf_conntrack_count ] && continue; n=${f#/proc/sys/}; '
                                'echo "$(echo $n | tr / .) = $(cat $f)"; done')
        open(os.path.join(self.out, "sysctl.conf"), "w").write(sysctl)
        self.sysctl = dict(line.split(" = ", 1) for line in sysctl.splitlines() if " = " in line)
        self.local_addrs = json.loads(fw("ip", "-j", "addr", "show"))

    def stop_tools(self):
        time.sleep(0.3)
        for p in self.tcpdumps + [self.events]:
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
        for p in self.tcpdumps + [self.events]:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
        self.events_out.close()
        prev = -1
        for _ in range(50):
            cur = os.path.getsize(os.path.join(self.work, "nflog.bin"))
            if cur == prev:
                break
            prev = cur
            time.sleep(0.2)
        self.nflog.terminate()
        self.nflog.wait(timeout=5)
        for p in self.procs:
            if p.poll() is None:
                p.terminate()

    def go(self):
        shutil.rmtree(self.out, ignore_errors=True)
        os.makedirs(self.out)
        t_start = time.time()
        self.setup()
        time.sleep(3.0 if self.ipv6 else 0.5)     # let MLD reports / link-up noise pass
        self.load_rules()
        self.start_tools()
        self.start_services()
        time.sleep(0.3)
        results = self.run_steps()
        time.sleep(0.5)
        self.collect()
        self.stop_tools()
        for kind, fname in (("v4", "rules.v4"), ("v6", "rules.v6"), ("nft", "rules.nft")):
            f = getattr(self.mod, "RULES", {}).get(kind)
            if f:
                shutil.copy(os.path.join(HERE, f), os.path.join(self.out, fname))
        with open(os.path.join(self.out, "results.jsonl"), "w") as f:
            for r in results:
                f.write(json.dumps(r) + "\n")
        local = []
        for link in self.local_addrs:
            for ai in link.get("addr_info", []):
                local.append(f"{ai['local']}/{ai['prefixlen']} dev {link['ifname']}")
        meta = {
            "tool": "ctlocal", "scenario": self.name.replace("_", "-"),
            "module": f"tests/scenarios/localhost/{self.name}.py",
            "kernel": os.uname().release, "kernel_version": open("/proc/version").read().strip(),
            "topology": {
                "namespaces": {"client": self.cli, "firewall": self.fw}
                | ({"server": self.srv} if self.routed else {}),
                "links": {"fw0": MAC_FW, "cli0": MAC_CLI} | ({"fw1": MAC_FW1, "srv0": MAC_SRV} if self.routed else {}),
                "capture": "tcpdump -i fw0 (replayed.pcap)" + (" and -i fw1 (replayed-fw1.pcap)" if self.routed else "")
                + " in the firewall namespace",
                "routed": self.routed,
                "firewall_local_addresses": local,
                "client_addresses": [ADDR["cli4"], ADDR["cli4b"]] + ([ADDR["cli6"], ADDR["cli_ll"]] if self.ipv6 else []),
                "ipv6": self.ipv6, "dynamic_nd6": self.dynamic_nd6,
                "neighbours": "static (nud permanent) for IPv4" + ("" if self.dynamic_nd6 or not self.ipv6
                                                                   else " and IPv6"),
                "routes": "client: 198.51.100.0/24 via 192.0.2.1" + (", 2001:db8:1::/64 via 2001:db8::1" if self.ipv6 else "")
                + ("; client: 203.0.113.0/24 via 192.0.2.1; server 203.0.113.10: 192.0.2.0/24 and 198.51.100.0/24 "
                   "via 203.0.113.1; ip_forward=1" if self.routed else ""),
            },
            "rulesets": self.rulesets,
            "instrumentation": self.instr,
            "services": self.services,
            "steps": results,
            "step_gap_s": STEP_GAP,
            "sysctl": self.sysctl,
            "wall_s": round(time.time() - t_start, 1),
            "table_time": self.table_time,
        }
        clean = postprocess(self.work, self.out, self.ifaces, meta)
        if self.keep_raw:
            shutil.copy(os.path.join(self.work, "nflog.bin"), os.path.join(self.out, "nflog.bin"))
        with open(os.path.join(self.out, "meta.json"), "w") as f:
            json.dump(meta, f, indent=1)
            f.write("\n")
        doc = (self.mod.__doc__ or "").strip()
        cmd = f"sudo python3 tests/scenarios/localhost/ctlocal.py <outroot> {self.name.replace('_', '-')}"
        with open(os.path.join(self.out, "scenario.txt"), "w") as f:
            f.write(doc + f"\n\nRecorded with the local-host harness:\n  {cmd}\n"
                    f"(module tests/scenarios/localhost/{self.name}.py, see tests/scenarios/localhost/README.md)\n")
        return clean, meta


def scenario_names():
    return sorted(f[:-3] for f in os.listdir(HERE) if f.startswith("local_") and f.endswith(".py"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outroot", nargs="?")
    ap.add_argument("names", nargs="*")
    ap.add_argument("--tag", default="", help="namespace tag (ctl<T>-cli, ctl<T>-fw)")
    ap.add_argument("--keep-raw", action="store_true", help="keep the raw netlink stream as nflog.bin")
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list:
        print("\n".join(n.replace("_", "-") for n in scenario_names()))
        return 0
    if not a.outroot:
        ap.error("OUTROOT is required")
    if os.geteuid() != 0:
        sys.exit("ctlocal: must run as root (network namespaces, netfilter rules)")
    names = [n.replace("-", "_") for n in a.names] or scenario_names()
    rc = 0
    run = None

    def _term(*_):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, _term)
    for name in names:
        mod = importlib.import_module(name)
        run = Run(name, mod, os.path.abspath(a.outroot), a.tag, a.keep_raw)
        try:
            clean, meta = run.go()
            status = "ok" if clean else "HARNESS ANOMALIES (see meta.json nflog)"
            log(f"{name.replace('_', '-')}: {meta['frames']} frames {meta['counts']} "
                f"{meta['counts_by_verdict']} local-only {meta['local_only_packets']}: {status}")
            rc |= 0 if clean else 1
        except KeyboardInterrupt:
            log("interrupted")
            rc = 130
            break
        except Exception as exc:  # noqa: BLE001
            log(f"{name}: FAILED: {exc}")
            rc = 1
        finally:
            run.cleanup()
    return rc


if __name__ == "__main__":
    sys.exit(main())
