#!/usr/bin/env bash
# Capture how the kernel and conntrack-tools print conntrack entries.
#   formats.sh OUTDIR        (root; iproute2, nftables, conntrack, python3)
# Makes two namespaces, ctf-a (192.0.2.1, 2001:db8::1) and ctf-b (192.0.2.2,
# 2001:db8::2), joined by a veth pair, with an nft ruleset in ctf-b that uses
# "ct state" (so conntrack runs there). formats_peer.py exchanges UDP (IPv4,
# IPv6), UDP-Lite, ICMP echo, ICMPv6 echo, TCP (connect + close), and sends
# one-way IP protocol 253 and GRE; one UDP datagram goes to a closed port.
# Pass 1 with nf_conntrack_acct=0, nf_conntrack_timestamp=0 (checksum=1, the
# default); then the table is flushed, acct and timestamp set to 1 and the
# traffic repeated (pass 2); pass 3: flushed again, acct=0, timestamp=0,
# checksum=0. Each pass writes the outputs of the commands listed in run()
# to OUTDIR/passN-commands.txt and /proc/net/nf_conntrack to
# OUTDIR/passN-proc-nf_conntrack.txt. The nft ruleset is reloaded before each
# pass (fresh counters); conntrack -S and /proc/net/stat/nf_conntrack count
# from the namespace's creation (they cannot be reset).
# The namespaces and the server are removed on exit.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=${PYTHON:-python3}
[ $# -eq 1 ] || { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
OUT=$(mkdir -p "$1" && cd "$1" && pwd)
NA=ctf-a; NB=ctf-b; SRV=""
TMP=$(mktemp -d /tmp/ctf.XXXXXX)
cleanup() {
    [ -n "$SRV" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null || true
    ip netns del $NA 2>/dev/null || true
    ip netns del $NB 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT
for ns in $NA $NB; do ip netns del $ns 2>/dev/null || true; ip netns add $ns; ip -n $ns link set lo up; done
ip -n $NA link add veth0 type veth peer name veth0 netns $NB
ip -n $NA addr add 192.0.2.1/24 dev veth0
ip -n $NB addr add 192.0.2.2/24 dev veth0
ip -n $NA addr add 2001:db8::1/64 dev veth0 nodad
ip -n $NB addr add 2001:db8::2/64 dev veth0 nodad
ip -n $NA link set veth0 up
ip -n $NB link set veth0 up
rules() {  # (re)load the ruleset: fresh counters
    ip netns exec $NB nft -f - <<'NFT'
table inet ctf
delete table inet ctf
table inet ctf {
    chain pre { type filter hook prerouting priority 0; policy accept; ct state invalid counter; }
    chain out { type filter hook output priority 0; policy accept; ct state invalid counter; }
}
NFT
}
rules
ip netns exec $NB "$PY" "$HERE/formats_peer.py" server "$TMP/ready" &
SRV=$!
for _ in $(seq 50); do [ -e "$TMP/ready" ] && break; sleep 0.1; done
[ -e "$TMP/ready" ] || { echo "server did not start" >&2; exit 1; }

inb() { ip netns exec $NB "$@"; }
run() {  # pass-number
    local p=$1 f
    f=$OUT/pass$p-commands.txt
    : > "$f"
    show() {  # title command...
        { echo "### ip netns exec ctf-b $*"; inb "$@" 2>&1; echo; } >> "$f"
    }
    show sh -c 'for s in acct timestamp checksum udp_timeout udp_timeout_stream; do echo "net.netfilter.nf_conntrack_$s = $(cat /proc/sys/net/netfilter/nf_conntrack_$s)"; done'
    inb cat /proc/net/nf_conntrack > "$OUT/pass$p-proc-nf_conntrack.txt"
    show cat /proc/net/nf_conntrack
    show conntrack -L
    show conntrack -L -o extended
    show conntrack -L -o id
    show conntrack -L -o timestamp
    show conntrack -L -o ktimestamp
    show conntrack -L -o extended,id,timestamp
    show conntrack -L -o xml
    show conntrack -L -f ipv6
    show conntrack -L -p udp
    show conntrack -C
    show conntrack -S
    show cat /proc/net/stat/nf_conntrack
    show cat /proc/sys/net/netfilter/nf_conntrack_count
    show nft list ruleset
    show nstat -saz IcmpOutDestUnreachs IcmpOutEchoReps Icmp6OutEchoReplies
}
inb sysctl -qw net.netfilter.nf_conntrack_acct=0 net.netfilter.nf_conntrack_timestamp=0
ip netns exec $NA "$PY" "$HERE/formats_peer.py" client
run 1
inb conntrack -F 2>/dev/null
rules
inb sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1
ip netns exec $NA "$PY" "$HERE/formats_peer.py" client
run 2
inb conntrack -F 2>/dev/null
rules
inb sysctl -qw net.netfilter.nf_conntrack_acct=0 net.netfilter.nf_conntrack_timestamp=0 \
    net.netfilter.nf_conntrack_checksum=0
ip netns exec $NA "$PY" "$HERE/formats_peer.py" client
run 3
echo "formats: wrote $(ls "$OUT" | grep -c '^pass') files to $OUT"
