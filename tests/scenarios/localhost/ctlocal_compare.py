#!/usr/bin/env python3
"""Compare two recordings frame by frame (local-host or kernel-replay).

  python3 tests/scenarios/localhost/ctlocal_compare.py DIR_A DIR_B

Compared: the verdict fields (dir, pkt, ctstate, ctdir, ctstatus, verdict,
hooks, note, reason, entry, proto_state, mark, helper, master, generated,
generated_by) and the events with their timeouts masked; a timeout that
differs (jiffies rounding: 30 vs 29) is listed separately and not counted.
local-only.jsonl (local-host recordings) is compared the same way.
Exit status 1 if anything but timeouts differs.
"""
import json
import os
import re
import sys

FIELDS = ["dir", "pkt", "ctstate", "ctdir", "ctstatus", "verdict", "hooks", "note", "reason",
          "entry", "proto_state", "mark", "helper", "master", "generated", "generated_by",
          "dropped", "sent"]


def load(d, name):
    p = os.path.join(d, name)
    return [json.loads(x) for x in open(p)] if os.path.exists(p) else []


def mask(events):
    return [re.sub(r"timeout \d+", "timeout N", e) for e in events or []]


def compare_lists(a, b, label):
    diffs, tdiffs = 0, 0
    if len(a) != len(b):
        print(f"{label}: count differs: {len(a)} vs {len(b)}")
        return 1, 0
    for n, (x, y) in enumerate(zip(a, b), 1):
        tag = f"{label} {x.get('i', x.get('ref', n))}"
        for k in FIELDS:
            if x.get(k) != y.get(k):
                diffs += 1
                print(f"{tag} {k}: {x.get(k)!r} vs {y.get(k)!r}")
        if mask(x.get("events")) != mask(y.get("events")):
            diffs += 1
            print(f"{tag} events: {x.get('events')!r} vs {y.get('events')!r}")
        elif x.get("events") != y.get("events"):
            tdiffs += 1
            print(f"{tag} (timeout only) events: {x.get('events')!r} vs {y.get('events')!r}")
    return diffs, tdiffs


def main(a, b):
    d1, t1 = compare_lists(load(a, "packets.jsonl"), load(b, "packets.jsonl"), "frame")
    d2, t2 = compare_lists(load(a, "local-only.jsonl"), load(b, "local-only.jsonl"), "local")
    n = len(load(a, "packets.jsonl"))
    print(f"{a} vs {b}: {n} frames, {d1 + d2} differences, {t1 + t2} timeout-only differences")
    return 1 if d1 + d2 else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
