#!/usr/bin/env python3
"""Run each case through the real iptables-restore in a private netns.
stdin: lines "v4|v6 TABLE RULE..." ; prints for each: the case, then either
ERR <stderr> or the save line(s) and the -L line(s)."""
import subprocess, sys, json
out = []
for line in sys.stdin:
    line = line.rstrip('\n')
    if not line or line.startswith('#'):
        continue
    fam, table, rule = line.split(' ', 2)
    b = 'iptables' if fam == 'v4' else 'ip6tables'
    text = '*%s\n:X - [0:0]\n%s\nCOMMIT\n' % (table, rule)
    r = subprocess.run([b + '-restore', '-c'], input=text, capture_output=True, text=True)
    res = {'case': line}
    if r.returncode != 0:
        res['err'] = r.stderr.strip()
    else:
        s = subprocess.run([b + '-save', '-t', table, '-c'], capture_output=True, text=True).stdout
        res['save'] = [l for l in s.splitlines() if l.startswith('[')]
        w = rule.split(); chain = (w[1] if len(w)>1 else '') if rule.startswith('-') else (w[2] if len(w)>2 else '')
        l = subprocess.run([b, '-t', table, '-L', chain, '-v', '-x', '-n', '--line-numbers'], capture_output=True, text=True).stdout
        res['list'] = l.splitlines()[2:]
    subprocess.run([b, '-t', table, '-F'])
    subprocess.run([b, '-t', table, '-X'])
    print(json.dumps(res))
