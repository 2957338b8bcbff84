//! The lints on nft rulesets, each with a ruleset that has the mistake and
//! one that does not, and the kernel-recorded nft fixtures' findings.

use ctrack_rules::lint::{Lint, LintKind, lint_nft};
use ctrack_rules::nft::Ruleset;

fn rs(text: &str) -> Ruleset {
    Ruleset::parse(text, "fw.nft").unwrap_or_else(|e| panic!("{e}"))
}

/// An inet table whose `forward` filter chain (policy `policy`) holds
/// `rules`, one per line from line 4, and `extra` chains after it.
fn fwd(policy: &str, rules: &str, extra: &str) -> Ruleset {
    rs(&format!(
        "table inet fw {{\n\tchain forward {{\n\t\ttype filter hook forward priority filter; policy {policy};\n{rules}\t}}\n{extra}}}\n"
    ))
}

fn kinds(l: &[Lint]) -> Vec<(LintKind, usize)> {
    l.iter().map(|x| (x.kind, x.line)).collect()
}

fn of(r: &Ruleset, strict: bool, kind: LintKind) -> Vec<Lint> {
    lint_nft(&[r], strict)
        .into_iter()
        .filter(|l| l.kind == kind)
        .collect()
}

#[test]
fn shadowed() {
    let r = fwd(
        "accept",
        "\t\tmeta l4proto tcp accept
\t\ttcp dport 80 drop
\t\tip saddr 10.0.0.0/8 ct state new drop
\t\tip saddr 10.1.0.0/16 ct state new udp dport 53 log
\t\ttcp dport { 22, 80-90 } drop
\t\tudp dport 1000-2000 reject
\t\tudp dport { 1500, 1999 } accept
\t\tct state established,related accept
\t\tct state { established } counter accept
\t\tudp dport != 53 accept
\t\tudp dport 54 drop
",
        "",
    );
    let l = of(&r, false, LintKind::Shadowed);
    assert_eq!(
        kinds(&l),
        [
            (LintKind::Shadowed, 5),
            (LintKind::Shadowed, 7),
            (LintKind::Shadowed, 8),
            (LintKind::Shadowed, 10),
            (LintKind::Shadowed, 12),
            (LintKind::Shadowed, 14)
        ]
    );
    assert_eq!(
        l[0].to_string(),
        "fw.nft:5: shadowed: inet fw forward rule 2: tcp dport 80 drop: never matches: fw.nft:4 \
         (inet fw forward rule 1: meta l4proto tcp accept) matches every packet this rule matches \
         and accepts it first"
    );
    assert!(l[3].message.contains("rule 6: udp dport 1000-2000 reject"));
    assert!(l[3].message.ends_with("rejects it first"), "{}", l[3]);
    // The narrower rule first, a non-terminal covering rule, names,
    // wildcards and jumps: nothing.
    let r = fwd(
        "accept",
        "\t\ttcp dport 80 drop
\t\tmeta l4proto tcp accept
\t\tmeta l4proto udp log
\t\tudp dport 53 accept
\t\tiifname \"eth*\" drop
\t\tiifname \"eth0\" drop
\t\tudp dport 1000-2000 jump u
\t\tudp dport 1500 drop
\t\tct state new,established udp dport 99 accept
\t\tct state new,related udp dport 99 accept
",
        "\tchain u {\n\t}\n",
    );
    assert!(of(&r, false, LintKind::Shadowed).is_empty());
}

#[test]
fn unreachable() {
    let r = fwd(
        "accept",
        "\t\tcounter accept comment \"all\"
\t\tmeta l4proto tcp drop
\t\tdrop
",
        "",
    );
    let l = of(&r, false, LintKind::Unreachable);
    assert_eq!(kinds(&l), [(LintKind::Unreachable, 5)]);
    assert!(
        l[0].message.contains("nor the 1 rules after it"),
        "{}",
        l[0]
    );
    assert!(
        l[0].message
            .ends_with("has no condition and accepts every packet"),
        "{}",
        l[0]
    );
    assert!(of(&r, false, LintKind::Shadowed).is_empty());
    let r = fwd("accept", "\t\tiifname \"eth0\" accept\n\t\tdrop\n", "");
    assert!(of(&r, false, LintKind::Unreachable).is_empty());
    // A counter or a jump does not end the chain.
    let r = fwd(
        "accept",
        "\t\tcounter\n\t\tjump u\n\t\tdrop\n",
        "\tchain u {\n\t}\n",
    );
    assert!(of(&r, false, LintKind::Unreachable).is_empty());
}

#[test]
fn no_established() {
    let r = fwd("drop", "\t\ttcp dport 80 accept\n", "");
    let l = of(&r, false, LintKind::NoEstablished);
    assert_eq!(kinds(&l), [(LintKind::NoEstablished, 2)]);
    assert_eq!(&*l[0].rule.text, "policy drop");
    assert_eq!(&*l[0].rule.chain, "inet fw forward");
    assert!(
        l[0].message
            .contains("no rule before accepts established and related packets"),
        "{}",
        l[0]
    );
    // A final drop rule; established but not related.
    let r = fwd(
        "accept",
        "\t\tct state established accept\n\t\ttcp dport 80 accept\n\t\tdrop\n",
        "",
    );
    let l = of(&r, false, LintKind::NoEstablished);
    assert_eq!(kinds(&l), [(LintKind::NoEstablished, 6)]);
    assert!(l[0].message.contains("not related"), "{}", l[0]);
    // Accepted in a chain jumped to, or as a set: fine.
    let r = fwd(
        "drop",
        "\t\tjump stateful\n\t\ttcp dport 80 accept\n",
        "\tchain stateful {\n\t\tct state { established, related } accept\n\t}\n",
    );
    assert!(of(&r, false, LintKind::NoEstablished).is_empty());
    // An accept policy needs nothing; nor does a chain accepting nothing;
    // nor an output chain.
    assert!(
        of(
            &fwd("accept", "\t\ttcp dport 22 drop\n", ""),
            false,
            LintKind::NoEstablished
        )
        .is_empty()
    );
    assert!(of(&fwd("drop", "", ""), false, LintKind::NoEstablished).is_empty());
    let out = rs(
        "table ip t {\n\tchain o {\n\t\ttype filter hook output priority 0; policy drop;\n\t\ttcp dport 53 accept\n\t}\n}\n",
    );
    assert!(of(&out, false, LintKind::NoEstablished).is_empty());
}

#[test]
fn invalid_not_dropped() {
    let r = fwd(
        "drop",
        "\t\tct state established,related accept\n\t\ttcp dport 22 ct state new accept\n",
        "",
    );
    let l = of(&r, false, LintKind::InvalidNotDropped);
    assert_eq!(kinds(&l), [(LintKind::InvalidNotDropped, 5)]);
    assert!(l[0].message.contains("accepts new packets"), "{}", l[0]);
    // A rule without a state match accepts invalid packets itself.
    let r = fwd(
        "drop",
        "\t\tct state established,related accept\n\t\ttcp dport 22 accept\n",
        "",
    );
    let l = of(&r, false, LintKind::InvalidNotDropped);
    assert!(l[0].message.contains("any conntrack state"), "{}", l[0]);
    // `ct state invalid drop` first: no finding.
    let r = fwd(
        "drop",
        "\t\tct state invalid drop\n\t\tct state established,related accept\n\t\ttcp dport 22 ct state new accept\n",
        "",
    );
    assert!(of(&r, false, LintKind::InvalidNotDropped).is_empty());
    // The invalid drop may come before the jump into another chain.
    let r = fwd(
        "drop",
        "\t\tct state invalid drop\n\t\tjump allow\n",
        "\tchain allow {\n\t\tct state established,related accept\n\t\ttcp dport 22 ct state new accept\n\t}\n",
    );
    assert!(of(&r, false, LintKind::InvalidNotDropped).is_empty());
    // ... but not after it.
    let r = fwd(
        "drop",
        "\t\tjump allow\n\t\tct state invalid drop\n",
        "\tchain allow {\n\t\tct state established,related accept\n\t\ttcp dport 22 ct state new accept\n\t}\n",
    );
    assert_eq!(
        kinds(&of(&r, false, LintKind::InvalidNotDropped)),
        [(LintKind::InvalidNotDropped, 9)]
    );
}

#[test]
fn new_without_syn() {
    let body = "\t\tct state established,related accept
\t\tct state invalid drop
\t\ttcp dport 22 ct state new accept
\t\ttcp flags & (fin|syn|rst|ack) == syn tcp dport 80 ct state new accept
\t\ttcp flags syn / fin,syn,rst,ack tcp dport 81 ct state new accept
\t\tudp dport 53 ct state new accept
";
    let r = fwd("drop", body, "");
    assert!(of(&r, false, LintKind::NewWithoutSyn).is_empty());
    let l = of(&r, true, LintKind::NewWithoutSyn);
    assert_eq!(kinds(&l), [(LintKind::NewWithoutSyn, 6)]);
    assert!(
        l[0].message.starts_with("accepts new TCP packets"),
        "{}",
        l[0]
    );
    // Dropping new packets without SYN first makes it right.
    let r = fwd(
        "drop",
        &body.replace(
            "\t\ttcp dport 22",
            "\t\ttcp flags & (fin|syn|rst|ack) != syn ct state new drop\n\t\ttcp dport 22",
        ),
        "",
    );
    assert!(of(&r, true, LintKind::NewWithoutSyn).is_empty());
    // A rule for any protocol accepts TCP too.
    let r = fwd(
        "drop",
        "\t\tct state invalid drop\n\t\tct state new accept\n",
        "",
    );
    let l = of(&r, true, LintKind::NewWithoutSyn);
    assert!(l[0].message.contains("TCP ones included"), "{}", l[0]);
}

#[test]
fn unused_chain() {
    let r = fwd(
        "accept",
        "\t\tjump used\n",
        "\tchain used {\n\t}\n\tchain logdrop {\n\t\tdrop\n\t}\n",
    );
    let l = of(&r, false, LintKind::UnusedChain);
    assert_eq!(kinds(&l), [(LintKind::UnusedChain, 8)]);
    assert_eq!(
        l[0].to_string(),
        "fw.nft:8: unused-chain: inet fw logdrop chain logdrop: no rule jumps or goes to chain \
         logdrop: its 1 rule(s) never run"
    );
}

/// The kernel-recorded nft fixtures: the classic stateful firewall has one
/// finding, and only under `--strict` (its new TCP rule lacks a SYN check).
#[test]
fn fixtures() {
    for name in ["nft-stateful-http", "nft-stateful-mixed"] {
        let path = format!(
            "{}/../../tests/fixtures/kernel/rules/{name}/rules.nft",
            env!("CARGO_MANIFEST_DIR")
        );
        let r = Ruleset::parse(&std::fs::read_to_string(&path).unwrap(), "rules.nft").unwrap();
        assert!(
            lint_nft(&[&r], false).is_empty(),
            "{name}: {:?}",
            lint_nft(&[&r], false)
        );
        let l = lint_nft(&[&r], true);
        assert_eq!(kinds(&l), [(LintKind::NewWithoutSyn, 8)], "{name}");
    }
}

/// Verdict maps: a `ct state vmap` counts as the accepts and drops of its
/// elements, jumps in maps lead somewhere, a map is a condition.
#[test]
fn verdict_maps() {
    let r = fwd(
        "drop",
        "\t\tct state vmap { established : accept, related : accept, invalid : drop }
\t\ttcp flags & (fin|syn|rst|ack) == syn tcp dport vmap { 22 : accept, 80 : jump web }
",
        "\tchain web {\n\t\taccept\n\t}\n",
    );
    assert!(
        lint_nft(&[&r], true).is_empty(),
        "{:?}",
        lint_nft(&[&r], true)
    );
    // Established only; no invalid drop before the port map.
    let r = fwd(
        "drop",
        "\t\tct state vmap { established : accept }\n\t\ttcp dport vmap { 22 : accept }\n",
        "",
    );
    assert_eq!(
        kinds(&lint_nft(&[&r], false)),
        [
            (LintKind::NoEstablished, 2),
            (LintKind::InvalidNotDropped, 5)
        ]
    );
    assert!(lint_nft(&[&r], false)[0].message.contains("not related"));
    // A chain only a map jumps to is used; a rule after a map is reached;
    // a map after a covering accept is shadowed.
    let r = fwd(
        "accept",
        "\t\tmeta l4proto vmap { udp : jump u }\n\t\tmeta l4proto tcp accept\n\t\ttcp dport vmap { 22 : drop }\n",
        "\tchain u {\n\t}\n",
    );
    assert_eq!(
        kinds(&of(&r, false, LintKind::Shadowed)),
        [(LintKind::Shadowed, 6)]
    );
    assert!(of(&r, false, LintKind::Unreachable).is_empty());
    assert!(of(&r, false, LintKind::UnusedChain).is_empty());
    // Related packets accepted in the chain `related : jump` leads to.
    let r = rs(include_str!("../../../tests/scenarios/rules_nft_vmap.nft"));
    assert!(
        lint_nft(&[&r], true).is_empty(),
        "{:?}",
        lint_nft(&[&r], true)
    );
}
