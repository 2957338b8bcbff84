#!/usr/bin/env bash
# KTR wrapper for the rules-* scenarios of record.sh: runs kernel-replay with
# the same arguments, then copies its per-rule counters (counters.v4,
# counters.v6, counters.nft: iptables-save -c / ip6tables-save -c / nft list
# ruleset right after the last frame), which record.sh deletes, into
# OUTDIR/counters/. Usage (from the repository root):
#   KTR=tests/scenarios/rules_ktr.sh KTR_TAG=r tests/scenarios/record.sh tests/fixtures/kernel/rules rules-goto ...
# KTR_REAL: the kernel-replay to run (default /work/shared/oracle/kernel-replay).
set -uo pipefail
REAL=${KTR_REAL:-/work/shared/oracle/kernel-replay}
"$REAL" "$@"
rc=$?
out=${2:?usage: rules_ktr.sh PCAP OUTDIR [kernel-replay options]}
mkdir -p "$out/counters"
for f in counters.v4 counters.v6 counters.nft; do
    if [ -f "$out/$f" ]; then cp "$out/$f" "$out/counters/$f"; fi
done
exit $rc
