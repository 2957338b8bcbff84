//! The lints, each with a ruleset that has the mistake and one that does
//! not.

use ctrack_core::tuple::Family;
use ctrack_rules::iptables::Ruleset;
use ctrack_rules::lint::{Lint, LintKind, lint};

fn rs(body: &str) -> Ruleset {
    Ruleset::parse(body, "rules.v4", Family::Ipv4).unwrap_or_else(|e| panic!("{e}"))
}

fn filter(chains: &str, rules: &str) -> Ruleset {
    rs(&format!(
        "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n{chains}{rules}COMMIT\n"
    ))
}

fn kinds(l: &[Lint]) -> Vec<(LintKind, usize)> {
    l.iter().map(|x| (x.kind, x.line)).collect()
}

fn of(r: &Ruleset, strict: bool, kind: LintKind) -> Vec<Lint> {
    lint(&[r], strict)
        .into_iter()
        .filter(|l| l.kind == kind)
        .collect()
}

#[test]
fn shadowed() {
    let r = filter(
        "",
        "-A FORWARD -p tcp -j ACCEPT
-A FORWARD -p tcp --dport 80 -j DROP
-A FORWARD -s 10.0.0.0/8 -m conntrack --ctstate NEW -j DROP
-A FORWARD -s 10.1.0.0/16 -m conntrack --ctstate NEW -p udp --dport 53 -j LOG
",
    );
    let l = of(&r, false, LintKind::Shadowed);
    assert_eq!(
        kinds(&l),
        [(LintKind::Shadowed, 6), (LintKind::Shadowed, 8)]
    );
    assert_eq!(
        l[0].to_string(),
        "rules.v4:6: shadowed: filter FORWARD rule 2: -A FORWARD -p tcp --dport 80 -j DROP: never \
         matches: rules.v4:5 (filter FORWARD rule 1: -A FORWARD -p tcp -j ACCEPT) matches every \
         packet this rule matches and accepts it first"
    );
    // The narrower rule first, or a non-terminal covering rule: nothing.
    let r = filter(
        "",
        "-A FORWARD -p tcp --dport 80 -j DROP
-A FORWARD -p tcp -j ACCEPT
-A FORWARD -p udp -j LOG
-A FORWARD -p udp --dport 53 -j ACCEPT
-A FORWARD -p udp -m limit --limit 1/s -j DROP
-A FORWARD -p udp --dport 54 -j ACCEPT
",
    );
    assert!(of(&r, false, LintKind::Shadowed).is_empty());
}

#[test]
fn unreachable() {
    let r = filter(
        "",
        "-A FORWARD -m comment --comment all -j ACCEPT
-A FORWARD -p tcp -j DROP
-A FORWARD -j DROP
",
    );
    let l = of(&r, false, LintKind::Unreachable);
    assert_eq!(kinds(&l), [(LintKind::Unreachable, 6)]);
    assert!(
        l[0].message.contains("nor the 1 rules after it"),
        "{}",
        l[0]
    );
    // Reported once, not also as shadowed.
    assert!(of(&r, false, LintKind::Shadowed).is_empty());
    let r = filter("", "-A FORWARD -i eth0 -j ACCEPT\n-A FORWARD -j DROP\n");
    assert!(of(&r, false, LintKind::Unreachable).is_empty());
}

#[test]
fn no_established() {
    let r = rs("*filter
:FORWARD DROP [0:0]
-A FORWARD -p tcp --dport 80 -j ACCEPT
COMMIT
");
    let l = of(&r, false, LintKind::NoEstablished);
    assert_eq!(kinds(&l), [(LintKind::NoEstablished, 2)]);
    assert_eq!(&*l[0].rule.text, "policy DROP");
    assert!(
        l[0].message
            .contains("no rule before accepts ESTABLISHED,RELATED")
    );
    // A final DROP rule; ESTABLISHED but not RELATED.
    let r = filter(
        "",
        "-A INPUT -m state --state ESTABLISHED -j ACCEPT
-A INPUT -j DROP
",
    );
    let l = of(&r, false, LintKind::NoEstablished);
    assert_eq!(kinds(&l), [(LintKind::NoEstablished, 6)]);
    assert!(l[0].message.contains("not RELATED"), "{}", l[0]);
    // Accepted in a user chain jumped to: fine.
    let r = rs("*filter
:FORWARD DROP [0:0]
:STATEFUL - [0:0]
-A FORWARD -j STATEFUL
-A STATEFUL -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
");
    assert!(of(&r, false, LintKind::NoEstablished).is_empty());
    // An ACCEPT policy needs nothing.
    assert!(
        of(
            &filter("", "-A FORWARD -p tcp -j DROP\n"),
            false,
            LintKind::NoEstablished
        )
        .is_empty()
    );
}

#[test]
fn invalid_not_dropped() {
    let r = rs("*filter
:FORWARD DROP [0:0]
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -p tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT
COMMIT
");
    let l = of(&r, false, LintKind::InvalidNotDropped);
    assert_eq!(kinds(&l), [(LintKind::InvalidNotDropped, 4)]);
    let fixture = include_str!("data/iptables/fixtures/stateful-conntrack-http/rules.v4");
    let r = rs(fixture);
    assert!(lint(&[&r], false).is_empty(), "{:?}", lint(&[&r], false));
    // The INVALID drop may come before the jump into a user chain.
    let user = include_str!("data/iptables/fixtures/state-match-user-chain-http/rules.v4");
    assert!(lint(&[&rs(user)], false).is_empty());
}

#[test]
fn new_without_syn() {
    let body = "*filter
:FORWARD DROP [0:0]
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -m conntrack --ctstate INVALID -j DROP
-A FORWARD -p tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT
-A FORWARD -p tcp --syn --dport 80 -m conntrack --ctstate NEW -j ACCEPT
COMMIT
";
    let r = rs(body);
    assert!(of(&r, false, LintKind::NewWithoutSyn).is_empty());
    let l = of(&r, true, LintKind::NewWithoutSyn);
    assert_eq!(kinds(&l), [(LintKind::NewWithoutSyn, 5)]);
    // Dropping NEW without SYN first makes it right.
    let r = rs(&body.replace(
        "-A FORWARD -p tcp --dport 22",
        "-A FORWARD -p tcp ! --syn -m conntrack --ctstate NEW -j DROP\n-A FORWARD -p tcp --dport 22",
    ));
    assert!(of(&r, true, LintKind::NewWithoutSyn).is_empty());
}

#[test]
fn unused_chain() {
    let r = filter(
        ":LOGDROP - [0:0]\n:USED - [0:0]\n",
        "-A INPUT -j USED\n-A LOGDROP -j DROP\n",
    );
    let l = of(&r, false, LintKind::UnusedChain);
    assert_eq!(kinds(&l), [(LintKind::UnusedChain, 5)]);
    assert_eq!(
        l[0].to_string(),
        "rules.v4:5: unused-chain: filter LOGDROP :LOGDROP - [0:0]: no rule jumps or goes to user chain \
         LOGDROP: its 1 rule(s) never run"
    );
}

#[test]
fn sorted_over_sources() {
    let a = filter(":X - [0:0]\n", "");
    let b = Ruleset::parse(
        "*filter\n:FORWARD DROP [0:0]\n-A FORWARD -m conntrack --ctstate INVALID -j DROP\n-A FORWARD -p tcp --dport 22 -j ACCEPT\nCOMMIT\n",
        "rules.v6",
        Family::Ipv6,
    )
    .unwrap();
    let l = lint(&[&b, &a], false);
    assert_eq!(
        l.iter()
            .map(|x| (x.file.as_str(), x.kind))
            .collect::<Vec<_>>(),
        [
            ("rules.v4", LintKind::UnusedChain),
            ("rules.v6", LintKind::NoEstablished)
        ]
    );
    assert_eq!(&*l[1].rule.chain, "ip6 filter FORWARD");
}

#[test]
fn a_chain_that_accepts_nothing_needs_no_established_rule() {
    // A host that does not forward: FORWARD policy DROP, no rules.
    let rs = Ruleset::parse(
        "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\nCOMMIT\n",
        "rules.v4",
        Family::Ipv4,
    )
    .unwrap();
    assert!(lint(&[&rs], true).is_empty());
}

/// What the rule that jumps into a user chain required holds inside it:
/// its states, and SYN.
#[test]
fn the_way_into_a_user_chain_narrows_it() {
    let r = rs("*filter
:FORWARD DROP [0:0]
:REL - [0:0]
:WEB - [0:0]
-A FORWARD -m conntrack --ctstate ESTABLISHED -j ACCEPT
-A FORWARD -m conntrack --ctstate RELATED -j REL
-A FORWARD -m conntrack --ctstate INVALID -j DROP
-A FORWARD -p tcp --syn -m conntrack --ctstate NEW -j WEB
-A REL -m conntrack --ctdir REPLY -j ACCEPT
-A WEB -p tcp --dport 80 -j ACCEPT
COMMIT
");
    assert!(lint(&[&r], true).is_empty(), "{:?}", lint(&[&r], true));
    // Without the SYN check on the way in, the accept in WEB is flagged.
    let r = rs("*filter
:FORWARD DROP [0:0]
:WEB - [0:0]
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -m conntrack --ctstate INVALID -j DROP
-A FORWARD -p tcp -m conntrack --ctstate NEW -j WEB
-A WEB -p tcp --dport 80 -j ACCEPT
COMMIT
");
    assert_eq!(kinds(&lint(&[&r], true)), [(LintKind::NewWithoutSyn, 7)]);
}

/// A chain reached two ways is checked for each: here RELATED packets
/// first (nothing to say), then NEW ones before any INVALID drop.
#[test]
fn a_chain_reached_two_ways_is_checked_for_both() {
    let r = rs("*filter
:FORWARD DROP [0:0]
:U - [0:0]
-A FORWARD -m conntrack --ctstate ESTABLISHED -j ACCEPT
-A FORWARD -m conntrack --ctstate RELATED -j U
-A FORWARD -m conntrack --ctstate NEW -j U
-A U -j ACCEPT
COMMIT
");
    let l = of(&r, false, LintKind::InvalidNotDropped);
    assert_eq!(kinds(&l), [(LintKind::InvalidNotDropped, 7)]);
    assert!(l[0].message.starts_with("accepts NEW packets"), "{}", l[0]);
}
