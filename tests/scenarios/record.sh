#!/usr/bin/env bash
# Build ctrack's scapy scenarios and record each through the kernel oracle.
#   record.sh OUTDIR [NAME...]     (all scenarios when none is named; root, scapy)
#   record.sh --list
# OUTDIR/<name>/ gets the kernel-replay outputs (packets.jsonl, replayed.pcap,
# sysctl.conf, table.txt, table.elapsed, expect.txt, events.txt,
# expect-events.txt, meta.json, replay.log) and scenario.txt (the script's
# docstring and the exact commands). input.pcap is not kept: the script
# regenerates it byte for byte. The fixtures in tests/fixtures/kernel/ctrack/
# were made with:  tests/scenarios/record.sh tests/fixtures/kernel/ctrack
# Environment: KTR=path of kernel-replay (default /work/shared/oracle/kernel-replay),
# PYTHON=python3, KTR_TAG (passed through: parallel runs need distinct tags).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOOL=${KTR:-/work/shared/oracle/kernel-replay}
PY=${PYTHON:-python3}

# name | script | kernel-replay options
MANIFEST='
udp-assured-two-seconds  | udp_assured_two_seconds.py | --set nf_conntrack_udp_timeout=3 --set nf_conntrack_udp_timeout_stream=20
udp-malformed            | udp_malformed.py           |
udp-checksum-on          | udp_checksum_on.py         | --set nf_conntrack_checksum=1
udplite                  | udplite.py                 |
udplite-checksum-on      | udplite_checksum_on.py     | --set nf_conntrack_checksum=1
icmp-query-types         | icmp_query_types.py        |
icmp-timeout             | icmp_timeout.py            | --set nf_conntrack_icmp_timeout=2 --set nf_conntrack_icmpv6_timeout=2
icmp-checksum-on         | icmp_checksum_on.py        | --set nf_conntrack_checksum=1
icmpv6-query-types       | icmpv6_query_types.py      |
generic-protocols        | generic_protocols.py       | --set nf_conntrack_generic_timeout=2
ipv6-extension-headers   | ipv6_extension_headers.py  |
ipv4-options             | ipv4_options.py            |
ipv4-header-anomalies    | ipv4_header_anomalies.py   |
ipv6-header-anomalies    | ipv6_header_anomalies.py   |
table-format-v4-v6       | table_format_v4_v6.py      |
tcp-handshake-close-client-first         | tcp_handshake_close_client_first.py |
tcp-close-server-first                   | tcp_close_server_first.py           |
tcp-simultaneous-close                   | tcp_simultaneous_close.py           |
tcp-fin-with-data                        | tcp_fin_with_data.py                |
tcp-half-close                           | tcp_half_close.py                   |
tcp-simultaneous-open                    | tcp_simultaneous_open.py            |
tcp-synack-without-syn                   | tcp_synack_without_syn.py           |
tcp-ack-pickup-loose1                    | tcp_ack_pickup.py                   |
tcp-ack-pickup-loose0                    | tcp_ack_pickup.py                   | --set nf_conntrack_tcp_loose=0
tcp-syn-retransmit                       | tcp_syn_retransmit.py               | --set nf_conntrack_tcp_timeout_syn_sent=3
tcp-synack-retransmit                    | tcp_synack_retransmit.py            |
tcp-syn-with-data                        | tcp_syn_with_data.py                |
tcp-syn-in-established                   | tcp_syn_in_established.py           |
tcp-syn-in-last-ack                      | tcp_syn_in_last_ack.py              |
tcp-challenge-ack-syn-sent               | tcp_challenge_ack_syn_sent.py       |
tcp-syn-reopen-time-wait                 | tcp_syn_reopen_time_wait.py         |
tcp-syn-reopen-close                     | tcp_syn_reopen_close.py             |
tcp-state-table-syn                      | tcp_state_table_syn.py              |
tcp-state-table-fin                      | tcp_state_table_fin.py              |
tcp-state-table-end                      | tcp_state_table_end.py              |
tcp-state-table-rst                      | tcp_state_table_rst.py              |
tcp-rst-in-syn-sent                      | tcp_rst_in_syn_sent.py              |
tcp-rst-ack-bad-ack                      | tcp_rst_ack_bad_ack.py              |
tcp-rst-exact-seq                        | tcp_rst_exact_seq.py                |
tcp-rst-in-window-not-exact              | tcp_rst_in_window_not_exact.py      | --set nf_conntrack_tcp_timeout_close=2
tcp-rst-out-of-window                    | tcp_rst_out_of_window.py            |
tcp-rst-out-of-window-ignore-invalid-rst | tcp_rst_out_of_window.py            | --set nf_conntrack_tcp_ignore_invalid_rst=1
tcp-window-seq-over-upper                | tcp_window_seq_over_upper.py        |
tcp-window-seq-under-lower               | tcp_window_seq_under_lower.py       |
tcp-window-ack-over-upper                | tcp_window_ack_over_upper.py        |
tcp-window-ack-under-lower               | tcp_window_ack_under_lower.py       |
tcp-window-out-of-window                 | tcp_window_out_of_window.py         |
tcp-window-liberal                       | tcp_window_out_of_window.py         | --set nf_conntrack_tcp_be_liberal=1
tcp-window-scale                         | tcp_window_scale.py                 |
tcp-wscale-over-14                       | tcp_wscale_over_14.py               |
tcp-sack-extends-ack                     | tcp_sack_extends_ack.py             |
tcp-options-malformed                    | tcp_options_malformed.py            |
tcp-zero-window-probe                    | tcp_zero_window_probe.py            | --set nf_conntrack_tcp_timeout_max_retrans=3
tcp-keepalive                            | tcp_keepalive.py                    | --set nf_conntrack_tcp_timeout_max_retrans=3
tcp-last-win-zero-timeout                | tcp_last_win_zero_timeout.py        | --set nf_conntrack_tcp_timeout_max_retrans=2
tcp-max-retrans                          | tcp_max_retrans.py                  | --set nf_conntrack_tcp_max_retrans=2 --set nf_conntrack_tcp_timeout_max_retrans=3 --set nf_conntrack_tcp_timeout_unacknowledged=10
tcp-unacknowledged                       | tcp_unacknowledged.py               | --set nf_conntrack_tcp_timeout_unacknowledged=3
tcp-bad-flags-more                       | tcp_bad_flags_more.py               |
tcp-bad-header                           | tcp_bad_header.py                   |
tcp-checksum-on                          | tcp_checksum_on.py                  | --set nf_conntrack_checksum=1
tcp-timeouts                             | tcp_timeouts.py                     | --set nf_conntrack_tcp_timeout_syn_sent=2 --set nf_conntrack_tcp_timeout_syn_recv=3 --set nf_conntrack_tcp_timeout_close=4
tcp-timeouts-closing                     | tcp_timeouts_closing.py             | --set nf_conntrack_tcp_timeout_fin_wait=2 --set nf_conntrack_tcp_timeout_close_wait=3 --set nf_conntrack_tcp_timeout_last_ack=4 --set nf_conntrack_tcp_timeout_time_wait=5
tcp-ipv6-handshake                       | tcp_ipv6_handshake.py               |
frag-protocols-v4                        | frag_protocols_v4.py                | --keep-raw
frag-protocols-v6                        | frag_protocols_v6.py                | --keep-raw
frag-order                               | frag_order.py                       | --keep-raw
frag-tiny                                | frag_tiny.py                        | --keep-raw
frag-duplicates                          | frag_duplicates.py                  | --keep-raw
frag-dup-inside                          | frag_dup_inside.py                  | --keep-raw
frag-overlap                             | frag_overlap.py                     | --keep-raw
frag-end-conflicts                       | frag_end_conflicts.py               | --keep-raw
frag-unaligned-v4                        | frag_unaligned_v4.py                | --keep-raw
frag-timeout                             | frag_timeout.py                     | --keep-raw --set net.ipv4.ipfrag_time=2 --set nf_conntrack_frag6_timeout=2
frag-atomic                              | frag_atomic.py                      | --keep-raw
frag-v6-ext-headers                      | frag_v6_ext_headers.py              | --keep-raw
frag-icmp-errors                         | frag_icmp_errors.py                 | --keep-raw
frag-invalid-reassembled                 | frag_invalid_reassembled.py         | --keep-raw
frag-oversize-v4                         | frag_oversize_v4.py                 | --keep-raw
frag-oversize-v6                         | frag_oversize_v6.py                 | --keep-raw
frag-thresholds-v4                       | frag_thresholds_v4.py               | --keep-raw --set net.ipv4.ipfrag_low_thresh=1024 --set net.ipv4.ipfrag_high_thresh=8192 --set net.ipv4.ipfrag_time=2
frag-thresholds-v6                       | frag_thresholds_v6.py               | --keep-raw --set nf_conntrack_frag6_low_thresh=1024 --set nf_conntrack_frag6_high_thresh=8192 --set nf_conntrack_frag6_timeout=2
frag-max-dist-v4                         | frag_max_dist_v4.py                 | --keep-raw
frag-queue-keys                          | frag_queue_keys.py                  | --keep-raw
frag-ecn-ttl-tos                         | frag_ecn_ttl_tos.py                 | --keep-raw
sctp-assoc-v4                            | sctp_assoc_v4.py                    |
sctp-assoc-v6-peer-shutdown              | sctp_assoc_v6_peer_shutdown.py      |
sctp-abort-init                          | sctp_abort_init.py                  |
sctp-abort-states                        | sctp_abort_states.py                |
sctp-vtag                                | sctp_vtag.py                        |
sctp-heartbeat                           | sctp_heartbeat.py                   |
sctp-heartbeat-vtag                      | sctp_heartbeat_vtag.py              |
sctp-init-collision                      | sctp_init_collision.py              |
sctp-ootb                                | sctp_ootb.py                        |
sctp-malformed                           | sctp_malformed.py                   |
sctp-chunk-types                         | sctp_chunk_types.py                 |
sctp-checksum-on                         | sctp_checksum_on.py                 | --set nf_conntrack_checksum=1
sctp-timeouts                            | sctp_timeouts.py                    | --set nf_conntrack_sctp_timeout_closed=2 --set nf_conntrack_sctp_timeout_cookie_wait=2 --set nf_conntrack_sctp_timeout_cookie_echoed=2 --set nf_conntrack_sctp_timeout_established=4 --set nf_conntrack_sctp_timeout_shutdown_sent=2 --set nf_conntrack_sctp_timeout_shutdown_recd=2 --set nf_conntrack_sctp_timeout_shutdown_ack_sent=2 --set nf_conntrack_sctp_timeout_heartbeat_sent=2
sctp-reuse                               | sctp_reuse.py                       |
sctp-shutdown-variants                   | sctp_shutdown_variants.py           |
icmperr-quote-protocols                  | icmperr_quote_protocols.py          |
icmperr-outer-daddr                      | icmperr_outer_daddr.py              |
icmperr-truncated                        | icmperr_truncated.py                |
icmperr-inner-header                     | icmperr_inner_header.py             |
icmperr-types                            | icmperr_types.py                    |
icmperr-v6                               | icmperr_v6.py                       |
icmperr-v6-exthdr                        | icmperr_v6_exthdr.py                |
icmperr-refresh                          | icmperr_refresh.py                  | --set nf_conntrack_udp_timeout=3 --set nf_conntrack_icmp_timeout=3
gre-v0                                   | gre_v0.py                           |
gre-v1-pptp                              | gre_v1_pptp.py                      |
gre-v6-timeouts                          | gre_v6_timeouts.py                  | --set nf_conntrack_gre_timeout=2 --set nf_conntrack_gre_timeout_stream=4
helper-ftp-v4-commands                   | helper_ftp_v4_commands.py           |
helper-ftp-v4-malformed-port             | helper_ftp_v4_malformed_port.py     |
helper-ftp-v4-malformed-pasv             | helper_ftp_v4_malformed_pasv.py     |
helper-ftp-v4-seq                        | helper_ftp_v4_seq.py                |
helper-ftp-v4-dataconn                   | helper_ftp_v4_dataconn.py           |
helper-ftp-v6                            | helper_ftp_v6.py                    |
helper-tftp                              | helper_tftp.py                      |
helper-irc-dcc                           | helper_irc_dcc.py                   |
helper-irc-malformed                     | helper_irc_malformed.py             |
helper-irc-max-dcc                       | helper_irc_max_dcc.py               |
helper-sip-invite                        | helper_sip_invite.py                |
helper-sip-malformed                     | helper_sip_malformed.py             |
helper-sip-register                      | helper_sip_register.py              |
helper-sip-v6                            | helper_sip_v6.py                    |
helper-pptp-call                         | helper_pptp_call.py                 |
helper-pptp-malformed                    | helper_pptp_malformed.py            |
table-full-assured                       | table_full_assured.py               | --set nf_conntrack_max=4 --set nf_conntrack_sctp_timeout_shutdown_sent=30 --set nf_conntrack_sctp_timeout_shutdown_ack_sent=30
table-full-would-be-new                  | table_full_would_be_new.py          | --set nf_conntrack_max=4
table-would-be-new-free                  | table_full_would_be_new.py          |
table-expiry-full                        | table_expiry_full.py                | --set nf_conntrack_max=4 --set nf_conntrack_udp_timeout=3 --set nf_conntrack_udp_timeout_stream=4
table-early-drop-random                  | table_early_drop_random.py          | --set nf_conntrack_max=256 --set nf_conntrack_buckets=1
table-gc-early-drop                      | table_gc_early_drop.py              | --set nf_conntrack_max=100 --set nf_conntrack_udp_timeout=300 --set nf_conntrack_tcp_timeout_syn_sent=300 --set nf_conntrack_tcp_timeout_fin_wait=300 --set nf_conntrack_tcp_timeout_close_wait=300 --set nf_conntrack_tcp_timeout_last_ack=300 --set nf_conntrack_tcp_timeout_time_wait=300 --set nf_conntrack_tcp_timeout_close=300 --set nf_conntrack_sctp_timeout_closed=300 --set nf_conntrack_sctp_timeout_shutdown_sent=300 --set nf_conntrack_sctp_timeout_shutdown_ack_sent=300
table-max-zero                           | table_max_zero.py                   | --set nf_conntrack_max=0
table-expiry-timing                      | table_expiry_timing.py              | --set nf_conntrack_udp_timeout=2 --set nf_conntrack_icmp_timeout=2 --set nf_conntrack_icmpv6_timeout=2 --set nf_conntrack_generic_timeout=2 --set nf_conntrack_tcp_timeout_syn_sent=2
table-acct                               | table_acct.py                       | --set nf_conntrack_acct=1
table-acct-tcp                           | table_acct_tcp.py                   | --set nf_conntrack_acct=1
table-timestamp                          | table_timestamp.py                  | --set nf_conntrack_timestamp=1 --set nf_conntrack_generic_timeout=1
table-timestamp-acct                     | table_timestamp.py                  | --set nf_conntrack_timestamp=1 --set nf_conntrack_generic_timeout=1 --set nf_conntrack_acct=1
table-marks-zones                        | table_marks_zones.py                | --rules tests/scenarios/table_marks_zones.rules
table-events                             | table_events.py                     | --set nf_conntrack_udp_timeout=2 --set nf_conntrack_tcp_timeout_close=2
rules-conntrack-forward                  | rules_conntrack_forward.py          | --rules tests/scenarios/rules_conntrack_forward.v4
rules-forward-chains                     | rules_conntrack_forward.py          | --rules tests/scenarios/rules_forward_chains.v4
rules-nft-forward                        | rules_conntrack_forward.py          | --nft tests/scenarios/rules_nft_forward.nft
rules-state-user-chain                   | rules_state_user_chain.py           | --rules tests/scenarios/rules_state_user_chain.v4
rules-goto                               | rules_goto.py                       | --rules tests/scenarios/rules_goto.v4
rules-reject                             | rules_reject.py                     | --rules tests/scenarios/rules_reject.v4 --rules6 tests/scenarios/rules_reject.v6
rules-notrack                            | rules_notrack.py                    | --rules tests/scenarios/rules_notrack.v4 --rules6 tests/scenarios/rules_notrack.v6
rules-nft-notrack                        | rules_notrack.py                    | --nft tests/scenarios/rules_nft_notrack.nft
rules-nft-vmap                           | rules_conntrack_forward.py          | --nft tests/scenarios/rules_nft_vmap.nft
rules-ct-helper-ftp                      | rules_ct_helper_ftp.py              | --no-helpers --rules tests/scenarios/rules_ct_helper_ftp.v4
rules-drop-hooks                         | rules_drop_hooks.py                 | --rules tests/scenarios/rules_drop_hooks.v4
rules-marks                              | rules_marks.py                      | --rules tests/scenarios/rules_marks.v4
rules-ipv6-stateful                      | rules_ipv6_stateful.py              | --rules6 tests/scenarios/rules_ipv6_stateful.v6
rules-invalid-drop                       | rules_invalid.py                    | --rules tests/scenarios/rules_invalid_drop.v4
rules-invalid-accept                     | rules_invalid.py                    | --rules tests/scenarios/rules_invalid_accept.v4
rules-limit                              | rules_limit.py                      | --rules tests/scenarios/rules_limit.v4
'
list() { echo "$MANIFEST" | awk -F'|' 'NF>1 {gsub(/ /,"",$1); print $1}'; }
if [ "${1:-}" = "--list" ]; then list; exit 0; fi
[ $# -ge 1 ] || { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
OUT=$(mkdir -p "$1" && cd "$1" && pwd); shift
for n in "$@"; do list | grep -qx "$n" || { echo "unknown scenario: $n" >&2; exit 2; }; done
WANT=" $* "; rc=0
TMP=$(mktemp -d /tmp/ctrack-scenarios.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
while IFS='|' read -r name script opts; do
    name=$(echo $name); script=$(echo $script); opts=$(echo $opts)
    [ -n "$name" ] || continue
    [ $# -eq 0 ] || [[ $WANT == *" $name "* ]] || continue
    out=$OUT/$name; rm -rf "$out"; mkdir -p "$out"
    pcap=$TMP/$name.pcap
    (cd "$HERE" && "$PY" "$script" "$pcap") >/dev/null
    {
        "$PY" -c "import ast,sys; print(ast.get_docstring(ast.parse(open(sys.argv[1]).read())))" "$HERE/$script"
        echo
        echo "Generated by tests/scenarios/$script; recorded with:"
        echo "  python3 tests/scenarios/$script input.pcap"
        echo "  kernel-replay input.pcap <dir>${opts:+ $opts}"
    } > "$out/scenario.txt"
    # shellcheck disable=SC2086
    if "$TOOL" "$pcap" "$out" $opts > "$out/replay.log" 2>&1; then
        echo "[ctrack-scenarios] $name: $(grep '^\[post\]' "$out/replay.log" | sed 's/^\[post\] //')"
    else
        echo "[ctrack-scenarios] $name: FAILED (see $out/replay.log)"; rc=1
    fi
    rm -f "$out"/counters.v4 "$out"/counters.v6 "$out"/counters.nft "$out"/input.pcap "$out"/returned.pcap
done <<< "$MANIFEST"
exit $rc
