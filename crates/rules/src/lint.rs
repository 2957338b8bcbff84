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
//!
//! The lints are written once, here, over a `Model` of the ruleset: its
//! chains and, per rule, what ends it, its conditions' conntrack states, the
//! chains it jumps to, its TCP and SYN requirements, and whether one rule
//! covers another. Each format builds its model from its own rules
//! (`iptables::analysis`, `nft::lint`) and names its hints in its own
//! syntax (`Words`).

use crate::iptables::st;
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

/// Lint iptables-save rulesets; `strict` adds `new-without-syn`. Findings
/// come sorted by file and line.
pub fn lint(sources: &[&crate::iptables::Ruleset], strict: bool) -> Vec<Lint> {
    let models: Vec<Model<'_>> = sources
        .iter()
        .map(|rs| crate::iptables::analysis::model(rs))
        .collect();
    run(&models, strict)
}

/// Lint nft rulesets: the same lints, on `nft list ruleset` files.
pub fn lint_nft(sources: &[&crate::nft::Ruleset], strict: bool) -> Vec<Lint> {
    let models: Vec<Model<'_>> = sources
        .iter()
        .map(|rs| crate::nft::lint::model(rs))
        .collect();
    run(&models, strict)
}

fn run(models: &[Model<'_>], strict: bool) -> Vec<Lint> {
    let mut out = Vec::new();
    for m in models {
        for t in &m.tables {
            let cx = Cx { m, t };
            for ci in 0..t.chains.len() {
                cx.shadowing(ci, &mut out);
            }
            cx.unused_chains(&mut out);
            cx.no_established(&mut out);
            cx.state_order(strict, &mut out);
        }
    }
    out.sort_by(|a, b| (&a.file, a.line, a.kind).cmp(&(&b.file, b.line, b.kind)));
    out
}

// ---------------------------------------------------------------------------
// The model.

/// The conntrack states, as `iptables::st` numbers them.
pub(crate) const ALL_STATES: u16 =
    st::INVALID | st::NEW | st::RELATED | st::ESTABLISHED | st::UNTRACKED;

/// A ruleset as the lints see it.
pub(crate) struct Model<'a> {
    pub file: String,
    pub words: &'static Words,
    pub tables: Vec<MTable<'a>>,
}

/// A table: its chains, and whether rule `a` of a chain matches every
/// packet rule `b` of the same chain matches (`covers(chain, a, b)`).
pub(crate) struct MTable<'a> {
    pub chains: Vec<MChain>,
    pub covers: Box<dyn Fn(usize, usize, usize) -> bool + 'a>,
}

pub(crate) struct MChain {
    pub name: String,
    /// The declaration's line.
    pub line: usize,
    /// How an `unused-chain` finding names it.
    pub decl: RuleRef,
    pub base: Option<MBase>,
    pub rules: Vec<MRule>,
}

pub(crate) struct MBase {
    pub hook: Hook,
    /// The state lints apply (a filter-like table or chain type).
    pub filter: bool,
    pub policy_drop: bool,
    pub policy: RuleRef,
}

/// What ends a rule when all its conditions hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    /// Nothing: the next rule follows (a jump comes back).
    None,
    Accept,
    Drop,
    Reject,
    Return,
    /// Goto the chain (its index).
    Goto(usize),
}

pub(crate) struct MRule {
    pub line: usize,
    pub rref: RuleRef,
    pub end: End,
    /// No condition at all.
    pub unconditional: bool,
    /// The states its conditions admit (`None`: not restricted).
    pub states: Option<u16>,
    /// A verdict map on the conntrack state is its only condition: the
    /// states it accepts and drops.
    pub state_map: Option<(u16, u16)>,
    /// Another verdict map of the rule can accept.
    pub map_accepts: bool,
    /// The chains it jumps or goes to, with the states sent there (beyond
    /// the rule's own: a `ct state` map element's).
    pub jumps: Vec<(usize, u16)>,
    pub may_be_tcp: bool,
    pub is_tcp: bool,
    /// It matches only segments with SYN.
    pub requires_syn: bool,
    /// It matches every segment without SYN.
    pub takes_all_without_syn: bool,
}

impl MRule {
    fn terminal(&self) -> bool {
        self.end != End::None
    }

    fn drops(&self) -> bool {
        matches!(self.end, End::Drop | End::Reject)
    }
}

/// How findings name states and fixes, in the ruleset's own syntax.
pub(crate) struct Words {
    /// Before a chain's name ("" / "chain ").
    pub chain: &'static str,
    /// Before a user chain's name in `unused-chain`.
    pub user_chain: &'static str,
    pub established: &'static str,
    pub related: &'static str,
    pub invalid: &'static str,
    pub new: &'static str,
    /// The pair in `no-established` ("ESTABLISHED,RELATED").
    pub established_related: &'static str,
    pub established_hint: &'static str,
    pub invalid_hint: &'static str,
    pub syn_hint: &'static str,
    pub drop: &'static str,
}

pub(crate) const IPTABLES_WORDS: Words = Words {
    chain: "",
    user_chain: "user chain ",
    established: "ESTABLISHED",
    related: "RELATED",
    invalid: "INVALID",
    new: "NEW",
    established_related: "ESTABLISHED,RELATED",
    established_hint: "-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
    invalid_hint: "-m conntrack --ctstate INVALID -j DROP",
    syn_hint: "--syn",
    drop: "DROP",
};

pub(crate) const NFT_WORDS: Words = Words {
    chain: "chain ",
    user_chain: "chain ",
    established: "established",
    related: "related",
    invalid: "invalid",
    new: "new",
    established_related: "established and related",
    established_hint: "`ct state established,related accept`",
    invalid_hint: "`ct state invalid drop`",
    syn_hint: "`tcp flags & (fin|syn|rst|ack) == syn`",
    drop: "drop",
};

// ---------------------------------------------------------------------------
// The lints.

struct Cx<'m, 'a> {
    m: &'m Model<'a>,
    t: &'m MTable<'a>,
}

impl Cx<'_, '_> {
    fn push(
        &self,
        out: &mut Vec<Lint>,
        kind: LintKind,
        line: usize,
        rule: RuleRef,
        message: String,
    ) {
        out.push(Lint {
            kind,
            file: self.m.file.clone(),
            line,
            rule,
            message,
        });
    }

    fn at(&self, r: &MRule) -> String {
        format!("{}:{} ({})", self.m.file, r.line, r.rref)
    }

    /// What a terminal rule does with `what` ("it", "every packet").
    fn does(&self, r: &MRule, what: &str) -> String {
        match r.end {
            End::Accept => format!("accepts {what}"),
            End::Drop => format!("drops {what}"),
            End::Reject => format!("rejects {what}"),
            End::Return => format!("returns {what}"),
            End::Goto(i) => format!(
                "sends {what} to {}{} (goto)",
                self.m.words.chain, self.t.chains[i].name
            ),
            End::None => format!("ends the chain for {what}"),
        }
    }

    /// `unreachable` and `shadowed` within one chain.
    fn shadowing(&self, ci: usize, out: &mut Vec<Lint>) {
        let c = &self.t.chains[ci];
        let end = c.rules.iter().position(|r| r.terminal() && r.unconditional);
        if let Some(k) = end
            && k + 1 < c.rules.len()
        {
            let more = c.rules.len() - k - 2;
            self.push(
                out,
                LintKind::Unreachable,
                c.rules[k + 1].line,
                c.rules[k + 1].rref.clone(),
                format!(
                    "never reached{}: {} has no condition and {}",
                    if more > 0 {
                        format!(" (nor the {more} rules after it)")
                    } else {
                        String::new()
                    },
                    self.at(&c.rules[k]),
                    self.does(&c.rules[k], "every packet")
                ),
            );
        }
        let last = end.map_or(c.rules.len(), |k| k + 1);
        for j in 1..last {
            let b = &c.rules[j];
            if let Some(i) = (0..j).find(|&i| c.rules[i].terminal() && (self.t.covers)(ci, i, j)) {
                self.push(
                    out,
                    LintKind::Shadowed,
                    b.line,
                    b.rref.clone(),
                    format!(
                        "never matches: {} matches every packet this rule matches and {} first",
                        self.at(&c.rules[i]),
                        self.does(&c.rules[i], "it")
                    ),
                );
            }
        }
    }

    fn unused_chains(&self, out: &mut Vec<Lint>) {
        let referenced: HashSet<usize> = self
            .t
            .chains
            .iter()
            .flat_map(|c| &c.rules)
            .flat_map(|r| r.jumps.iter().map(|&(j, _)| j))
            .collect();
        for (ci, c) in self.t.chains.iter().enumerate() {
            if c.base.is_none() && !referenced.contains(&ci) {
                self.push(
                    out,
                    LintKind::UnusedChain,
                    c.line,
                    c.decl.clone(),
                    format!(
                        "no rule jumps or goes to {}{}: its {} rule(s) never run",
                        self.m.words.user_chain,
                        c.name,
                        c.rules.len()
                    ),
                );
            }
        }
    }

    /// The rules a packet may meet from the start of chain `ci` up to rule
    /// `upto` (exclusive), following jumps and gotos, in order: (chain,
    /// rule, the states a packet meeting the rule can be in, whether it has
    /// SYN). What the rule that jumps required holds in the chain it jumps
    /// to: its states (and those a state map sends there) and a SYN check.
    fn path(
        &self,
        ci: usize,
        upto: usize,
        entry: (u16, bool),
        seen: &mut HashSet<(usize, u16, bool)>,
        out: &mut Vec<(usize, usize, u16, bool)>,
    ) {
        // A chain met again the same way adds nothing (and the kernel
        // refuses loops).
        if !seen.insert((ci, entry.0, entry.1)) {
            return;
        }
        for (i, r) in self.t.chains[ci].rules.iter().enumerate().take(upto) {
            out.push((ci, i, entry.0, entry.1));
            let here = entry.0 & r.states.unwrap_or(ALL_STATES);
            let syn = entry.1 || r.requires_syn;
            for &(j, sent) in &r.jumps {
                self.path(j, usize::MAX, (here & sent, syn), seen, out);
            }
        }
    }

    /// `no-established`: a dropping input/forward chain must let replies in.
    fn no_established(&self, out: &mut Vec<Lint>) {
        let w = self.m.words;
        for (ci, c) in self.t.chains.iter().enumerate() {
            let Some(base) = &c.base else { continue };
            if !base.filter || !matches!(base.hook, Hook::Input | Hook::Forward) {
                continue;
            }
            // Where the chain drops everything that is left.
            let final_drop = c.rules.iter().position(|r| r.drops() && r.unconditional);
            let (line, rule, what, upto) = match final_drop {
                Some(k) => (
                    c.rules[k].line,
                    c.rules[k].rref.clone(),
                    format!("rule {} drops every packet left", k + 1),
                    k,
                ),
                None if base.policy_drop => (
                    c.line,
                    base.policy.clone(),
                    format!("the policy is {}", w.drop),
                    c.rules.len(),
                ),
                None => continue,
            };
            let mut rules = Vec::new();
            self.path(
                ci,
                upto,
                (ALL_STATES, false),
                &mut HashSet::new(),
                &mut rules,
            );
            let rule_at = |cj: usize, i: usize| &self.t.chains[cj].rules[i];
            let may_accept = |r: &MRule| {
                r.end == End::Accept
                    || r.map_accepts
                    || r.state_map.is_some_and(|(acc, _)| acc != 0)
            };
            // A chain that lets nothing through has no replies to lose (a
            // host that does not forward: FORWARD policy DROP and no rule).
            if !rules.iter().any(|&(cj, i, ..)| may_accept(rule_at(cj, i))) {
                continue;
            }
            // An accept counts for the states it is restricted to, by its
            // own state match or by the way into its chain.
            let mut accepted = 0u16;
            for &(cj, i, entry, _) in &rules {
                let r = rule_at(cj, i);
                if (r.end == End::Accept || r.map_accepts)
                    && (r.states.is_some() || entry != ALL_STATES)
                {
                    accepted |= r.states.unwrap_or(ALL_STATES) & entry;
                }
                if let Some((acc, _)) = r.state_map {
                    accepted |= acc & entry;
                }
            }
            let message = if accepted & st::ESTABLISHED == 0 {
                format!(
                    "{what} on {}{} and no rule before accepts {} packets ({}): replies to the \
                     connections it lets through are dropped",
                    w.chain, c.name, w.established_related, w.established_hint
                )
            } else if accepted & st::RELATED == 0 {
                format!(
                    "{what} on {}{} and the rules before accept {} but not {} packets: ICMP \
                     errors and the connections helpers expect (FTP data...) are dropped",
                    w.chain, c.name, w.established, w.related
                )
            } else {
                continue;
            };
            self.push(out, LintKind::NoEstablished, line, rule, message);
        }
    }

    /// `invalid-not-dropped` and (strict) `new-without-syn`, along every
    /// base chain the state lints apply to.
    fn state_order(&self, strict: bool, out: &mut Vec<Lint>) {
        let w = self.m.words;
        let mut reported: HashSet<(LintKind, usize, usize)> = HashSet::new();
        for (ci, c) in self.t.chains.iter().enumerate() {
            if !c.base.as_ref().is_some_and(|b| b.filter) {
                continue;
            }
            let mut rules = Vec::new();
            self.path(
                ci,
                usize::MAX,
                (ALL_STATES, false),
                &mut HashSet::new(),
                &mut rules,
            );
            let mut invalid_dropped = false;
            let mut nosyn_dropped = false;
            for (cj, i, entry, syn_entry) in rules {
                let r = &self.t.chains[cj].rules[i];
                let states = r.states.unwrap_or(ALL_STATES) & entry;
                if r.drops() && states & st::INVALID != 0 {
                    invalid_dropped = true;
                }
                if r.drops() && r.may_be_tcp && r.takes_all_without_syn && states & st::NEW != 0 {
                    nosyn_dropped = true;
                }
                let accepts_new = match r.state_map {
                    Some((acc, drop)) => {
                        if drop & entry & st::INVALID != 0 {
                            invalid_dropped = true;
                        }
                        acc & entry & st::NEW != 0
                    }
                    None => (r.end == End::Accept || r.map_accepts) && states & st::NEW != 0,
                };
                if !accepts_new {
                    continue;
                }
                // A rule without a state match (entered from anywhere)
                // accepts every state, NEW and INVALID included.
                let stateless = r.states.is_none() && r.state_map.is_none() && entry == ALL_STATES;
                if !invalid_dropped && reported.insert((LintKind::InvalidNotDropped, cj, i)) {
                    let message = if stateless {
                        format!(
                            "accepts packets in any conntrack state and no rule before it (from \
                             {}{}) drops {} ones: {} packets it matches are accepted (add {} \
                             before it)",
                            w.chain, c.name, w.invalid, w.invalid, w.invalid_hint
                        )
                    } else {
                        format!(
                            "accepts {} packets, but no rule before it (from {}{}) drops {} ones: \
                             {} packets go on to the later rules and the policy (add {} before it)",
                            w.new, w.chain, c.name, w.invalid, w.invalid, w.invalid_hint
                        )
                    };
                    self.push(
                        out,
                        LintKind::InvalidNotDropped,
                        r.line,
                        r.rref.clone(),
                        message,
                    );
                }
                if strict
                    && r.may_be_tcp
                    && !r.requires_syn
                    && !syn_entry
                    && !nosyn_dropped
                    && reported.insert((LintKind::NewWithoutSyn, cj, i))
                {
                    let what = if r.is_tcp {
                        format!("accepts {} TCP packets", w.new)
                    } else {
                        format!("accepts {} packets, TCP ones included,", w.new)
                    };
                    self.push(
                        out,
                        LintKind::NewWithoutSyn,
                        r.line,
                        r.rref.clone(),
                        format!(
                            "{what} without requiring SYN ({}): conntrack picks up connections \
                             from a mid-stream segment (nf_conntrack_tcp_loose=1), so any ACK \
                             opens one",
                            w.syn_hint
                        ),
                    );
                }
            }
        }
    }
}
