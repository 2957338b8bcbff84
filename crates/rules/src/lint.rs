//! Lints on iptables and nft rulesets (`ctrack check-rules`): mistakes that
//! make a stateful firewall behave otherwise than it reads. [`lint`] takes
//! iptables-save rulesets, [`lint_nft`] nft ones (the same lints on the nft
//! filter chains: `input`/`forward` hooks for `no-established`, every
//! filter base chain for the state order).
//!
//! | kind | when |
//! |---|---|
//! | `shadowed` | an earlier rule of the same chain matches every packet this one matches and ends the chain (ACCEPT, DROP, REJECT, RETURN, goto) |
//! | `unreachable` | an earlier rule of the same chain has no condition and ends the chain |
//! | `no-established` | INPUT or FORWARD drops by policy (or a final unconditional DROP/REJECT) and no rule before accepts ESTABLISHED (and RELATED) packets |
//! | `invalid-not-dropped` | a rule accepts NEW packets and no rule before it (on the way from the base chain) drops INVALID ones |
//! | `new-without-syn` | (strict) a rule accepts NEW TCP packets without requiring SYN, and no rule before it drops NEW TCP packets without SYN |
//! | `unused-chain` | a user chain no rule jumps or goes to |
//!
//! Each lint names the rule (file:line) and says why.

use crate::iptables::analysis::{self, ALL_STATES};
use crate::iptables::{Chain, Policy, Ruleset, Table, TableKind, Target, st};
use crate::model::{Hook, RuleRef};
use core::fmt;
use std::collections::HashSet;

/// What is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LintKind {
    Shadowed,
    Unreachable,
    NoEstablished,
    InvalidNotDropped,
    NewWithoutSyn,
    UnusedChain,
}

impl LintKind {
    pub fn name(self) -> &'static str {
        match self {
            LintKind::Shadowed => "shadowed",
            LintKind::Unreachable => "unreachable",
            LintKind::NoEstablished => "no-established",
            LintKind::InvalidNotDropped => "invalid-not-dropped",
            LintKind::NewWithoutSyn => "new-without-syn",
            LintKind::UnusedChain => "unused-chain",
        }
    }
}

impl fmt::Display for LintKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lint {
    pub kind: LintKind,
    /// Where: the rule's line (a policy's or a chain's declaration line).
    pub file: String,
    pub line: usize,
    /// The rule, policy or chain it is about.
    pub rule: RuleRef,
    /// Why, in words.
    pub message: String,
}

impl fmt::Display for Lint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}: {}",
            self.file, self.line, self.kind, self.rule, self.message
        )
    }
}

/// Lint every source; `strict` adds `new-without-syn`. Findings come
/// sorted by file and line.
pub fn lint(sources: &[&Ruleset], strict: bool) -> Vec<Lint> {
    let mut out = Vec::new();
    for rs in sources {
        for t in rs.tables() {
            for &ci in &t.listing_order() {
                shadowing(rs, t, ci, &mut out);
            }
            unused_chains(rs, t, &mut out);
            no_established(rs, t, &mut out);
            state_order(rs, t, strict, &mut out);
        }
    }
    out.sort_by(|a, b| (&a.file, a.line, a.kind).cmp(&(&b.file, b.line, b.kind)));
    out
}

fn at(rs: &Ruleset, t: &Table, c: &Chain, i: usize) -> String {
    format!(
        "{}:{} ({})",
        rs.file(),
        c.rules[i].line,
        rs.rule_ref(t, c, i)
    )
}

fn push(
    out: &mut Vec<Lint>,
    rs: &Ruleset,
    kind: LintKind,
    line: usize,
    rule: RuleRef,
    message: String,
) {
    out.push(Lint {
        kind,
        file: rs.file().to_string(),
        line,
        rule,
        message,
    });
}

/// What a terminal rule does with `what` ("it", "every packet").
fn verdict(t: &Target, names: &[String], what: &str) -> String {
    match t {
        Target::Accept => format!("accepts {what}"),
        Target::Drop => format!("drops {what}"),
        Target::Reject(_) => format!("rejects {what}"),
        Target::Return => format!("returns {what}"),
        Target::Goto(i) => format!("sends {what} to {} (goto)", names[*i]),
        _ => format!("ends the chain for {what}"),
    }
}

/// `unreachable` and `shadowed` within one chain.
fn shadowing(rs: &Ruleset, t: &Table, ci: usize, out: &mut Vec<Lint>) {
    let c = &t.chains[ci];
    let names: Vec<String> = t.chains.iter().map(|c| c.name.clone()).collect();
    let end = c
        .rules
        .iter()
        .position(|r| analysis::terminal(&r.target) && analysis::unconditional(r));
    if let Some(k) = end
        && k + 1 < c.rules.len()
    {
        let more = c.rules.len() - k - 2;
        push(
            out,
            rs,
            LintKind::Unreachable,
            c.rules[k + 1].line,
            rs.rule_ref(t, c, k + 1),
            format!(
                "never reached{}: {} has no condition and {}",
                if more > 0 {
                    format!(" (nor the {more} rules after it)")
                } else {
                    String::new()
                },
                at(rs, t, c, k),
                verdict(&c.rules[k].target, &names, "every packet")
            ),
        );
    }
    let last = end.map_or(c.rules.len(), |k| k + 1);
    for j in 1..last {
        let b = &c.rules[j];
        if let Some(i) = (0..j).find(|&i| {
            let a = &c.rules[i];
            analysis::terminal(&a.target) && analysis::covers(a, b)
        }) {
            push(
                out,
                rs,
                LintKind::Shadowed,
                b.line,
                rs.rule_ref(t, c, j),
                format!(
                    "never matches: {} matches every packet this rule matches and {} first",
                    at(rs, t, c, i),
                    verdict(&c.rules[i].target, &names, "it")
                ),
            );
        }
    }
}

fn unused_chains(rs: &Ruleset, t: &Table, out: &mut Vec<Lint>) {
    for &i in &t.listing_order() {
        let c = &t.chains[i];
        if c.builtin.is_none() && t.references(i) == 0 {
            push(
                out,
                rs,
                LintKind::UnusedChain,
                c.decl_line,
                RuleRef {
                    chain: rs.chain_label(t.kind, &c.name),
                    number: None,
                    text: format!(":{} - [0:0]", c.name),
                },
                format!(
                    "no rule jumps or goes to user chain {}: its {} rule(s) never run",
                    c.name,
                    c.rules.len()
                ),
            );
        }
    }
}

/// The rules a packet may meet from the start of chain `ci` up to rule
/// `upto` (exclusive), following jumps and gotos into user chains, in
/// order: (chain, rule index, the states a packet meeting the rule can be
/// in, narrowed by the state match of the rule that jumped, and whether it
/// has SYN because that rule required it).
fn path(
    t: &Table,
    ci: usize,
    upto: usize,
    entry: (u16, bool),
    seen: &mut HashSet<usize>,
    out: &mut Vec<(usize, usize, u16, bool)>,
) {
    if !seen.insert(ci) {
        return;
    }
    for (i, r) in t.chains[ci].rules.iter().enumerate().take(upto) {
        out.push((ci, i, entry.0, entry.1));
        if let Target::Jump(j) | Target::Goto(j) = r.target {
            let here = (
                entry.0 & analysis::states(r).unwrap_or(ALL_STATES),
                entry.1 || analysis::syn_flags(r, false),
            );
            path(t, j, usize::MAX, here, seen, out);
        }
    }
}

/// `no-established`: a dropping INPUT/FORWARD chain must let replies in.
fn no_established(rs: &Ruleset, t: &Table, out: &mut Vec<Lint>) {
    if !matches!(
        t.kind,
        TableKind::Filter | TableKind::Mangle | TableKind::Security
    ) {
        return;
    }
    for (ci, c) in t.chains.iter().enumerate() {
        if !matches!(c.builtin, Some(Hook::Input | Hook::Forward)) || !c.exists {
            continue;
        }
        // Where the chain drops everything that is left.
        let final_drop = c.rules.iter().position(|r| {
            matches!(r.target, Target::Drop | Target::Reject(_)) && analysis::unconditional(r)
        });
        let (line, rule, what, upto) = match final_drop {
            Some(k) => (
                c.rules[k].line,
                rs.rule_ref(t, c, k),
                format!("rule {} drops every packet left", k + 1),
                k,
            ),
            None if c.policy == Policy::Drop => (
                c.decl_line,
                rs.policy_ref(t, c),
                "the policy is DROP".to_string(),
                c.rules.len(),
            ),
            None => continue,
        };
        let mut rules = Vec::new();
        path(
            t,
            ci,
            upto,
            (ALL_STATES, false),
            &mut HashSet::new(),
            &mut rules,
        );
        // A chain that lets nothing through has no replies to lose (a host
        // that does not forward: FORWARD policy DROP and no rule).
        if !rules
            .iter()
            .any(|&(cj, i, ..)| t.chains[cj].rules[i].target == Target::Accept)
        {
            continue;
        }
        // An ACCEPT counts for the states it is restricted to, by its own
        // state match or by the way into its chain.
        let mut accepted = 0u16;
        for (cj, i, entry, _) in rules {
            let r = &t.chains[cj].rules[i];
            let st = analysis::states(r);
            if r.target == Target::Accept && (st.is_some() || entry != ALL_STATES) {
                accepted |= st.unwrap_or(ALL_STATES) & entry;
            }
        }
        let message = if accepted & st::ESTABLISHED == 0 {
            format!(
                "{what} on {} and no rule before accepts ESTABLISHED,RELATED packets \
                 (-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT): replies to the \
                 connections it lets through are dropped",
                c.name
            )
        } else if accepted & st::RELATED == 0 {
            format!(
                "{what} on {} and the rules before accept ESTABLISHED but not RELATED packets: \
                 ICMP errors and the connections helpers expect (FTP data...) are dropped",
                c.name
            )
        } else {
            continue;
        };
        push(out, rs, LintKind::NoEstablished, line, rule, message);
    }
}

/// `invalid-not-dropped` and (strict) `new-without-syn`, along every base
/// chain of the filter-like tables.
fn state_order(rs: &Ruleset, t: &Table, strict: bool, out: &mut Vec<Lint>) {
    if !matches!(
        t.kind,
        TableKind::Filter | TableKind::Mangle | TableKind::Security
    ) {
        return;
    }
    let mut reported: HashSet<(LintKind, usize, usize)> = HashSet::new();
    for (ci, c) in t.chains.iter().enumerate() {
        if c.builtin.is_none() || !c.exists {
            continue;
        }
        let mut rules = Vec::new();
        path(
            t,
            ci,
            usize::MAX,
            (ALL_STATES, false),
            &mut HashSet::new(),
            &mut rules,
        );
        let mut invalid_dropped = false;
        let mut nosyn_dropped = false;
        for (cj, i, entry, syn_entry) in rules {
            let ch = &t.chains[cj];
            let r = &ch.rules[i];
            let states = analysis::states(r).unwrap_or(ALL_STATES) & entry;
            let drops = matches!(r.target, Target::Drop | Target::Reject(_));
            if drops && states & st::INVALID != 0 {
                invalid_dropped = true;
            }
            if drops
                && analysis::may_be_tcp(r)
                && analysis::syn_flags(r, true)
                && states & st::NEW != 0
            {
                nosyn_dropped = true;
            }
            // A rule without a state match accepts every state, NEW and
            // INVALID included.
            let stateless = analysis::states(r).is_none() && entry == ALL_STATES;
            let accepts_new = r.target == Target::Accept && states & st::NEW != 0;
            if !accepts_new {
                continue;
            }
            if !invalid_dropped && reported.insert((LintKind::InvalidNotDropped, cj, i)) {
                let message = if stateless {
                    format!(
                        "accepts packets in any conntrack state and no rule before it (from {}) \
                         drops INVALID ones: INVALID packets it matches are accepted (add -m \
                         conntrack --ctstate INVALID -j DROP before it)",
                        c.name
                    )
                } else {
                    format!(
                        "accepts NEW packets, but no rule before it (from {}) drops INVALID ones: \
                         INVALID packets go on to the later rules and the policy (add -m \
                         conntrack --ctstate INVALID -j DROP before it)",
                        c.name
                    )
                };
                push(
                    out,
                    rs,
                    LintKind::InvalidNotDropped,
                    r.line,
                    rs.rule_ref(t, ch, i),
                    message,
                );
            }
            if strict
                && analysis::may_be_tcp(r)
                && !analysis::syn_flags(r, false)
                && !syn_entry
                && !nosyn_dropped
                && reported.insert((LintKind::NewWithoutSyn, cj, i))
            {
                let what = if analysis::is_tcp(r) {
                    "accepts NEW TCP packets"
                } else {
                    "accepts NEW packets, TCP ones included,"
                };
                push(
                    out,
                    rs,
                    LintKind::NewWithoutSyn,
                    r.line,
                    rs.rule_ref(t, ch, i),
                    format!(
                        "{what} without requiring SYN (--syn): conntrack picks up connections \
                         from a mid-stream segment (nf_conntrack_tcp_loose=1), so any ACK opens \
                         one"
                    ),
                );
            }
        }
    }
}

/// Lint nft rulesets: the same lints, on `nft list ruleset` files.
pub fn lint_nft(sources: &[&crate::nft::Ruleset], strict: bool) -> Vec<Lint> {
    let mut out = Vec::new();
    for rs in sources {
        crate::nft::lint::lint(rs, strict, &mut out);
    }
    out.sort_by(|a, b| (&a.file, a.line, a.kind).cmp(&(&b.file, b.line, b.kind)));
    out
}
