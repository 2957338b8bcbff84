//! `iptables-save` / `ip6tables-save` rulesets, read as `iptables-restore`
//! (iptables 1.8.9, nf_tables backend, the version the kernel fixtures were
//! recorded with) reads them, and run as the 6.18 kernel runs them.
//!
//! - [`Ruleset::parse`] reads one family's file: `*table` ... `COMMIT`
//!   sections (raw, mangle, filter, nat, security), `:CHAIN POLICY
//!   [packets:bytes]` declarations, `-A`/`-I [N]`/`-N`/`-P` lines with an
//!   optional `[packets:bytes]` prefix (as `iptables-save -c` writes them;
//!   counters are loaded, as `iptables-restore -c` loads them), `#`
//!   comments, quoted arguments. Anything ctrack does not implement is an
//!   error naming file, line and column, never ignored: `parse.rs` (the
//!   line grammar and getopt rules), `matches.rs` and `targets.rs` (the
//!   extensions) list what is supported.
//! - The ruleset is a [`RuleSource`]: each built-in chain that exists
//!   (declared, or given a rule: iptables-nft creates base chains on
//!   demand) is a base chain at its table's priority (raw -300, mangle
//!   -150, nat -100 on PREROUTING/OUTPUT and 100 on INPUT/POSTROUTING,
//!   filter 0, security 50). `eval.rs` runs it: packet headers as
//!   `nft_set_pktinfo_ipv4/6()` see them, rules in order, jumps, gotos and
//!   RETURN as `nft_do_chain()`, per-rule and per-policy counters of
//!   packets and `PacketInfo::len` bytes.
//! - [`Ruleset::save_counters`] prints the ruleset as `iptables-save -c`
//!   does (canonical option order and spelling), and
//!   [`RuleSource::counters_report`] as `iptables -t TABLE -L -v -x -n
//!   --line-numbers` does, table by table (`counters.rs`).
//! - `analysis.rs` answers what [`crate::lint`] asks.
//!
//! The match `limit` always matches (no packet time reaches a rule
//! source), `statistic` runs in nth mode only.

pub(crate) mod analysis;
mod counters;
mod eval;
mod lexer;
mod matches;
mod names;
mod parse;
mod targets;
mod values;

use crate::model::{
    BaseChainId, ChainFamily, ChainResult, Hook, Meta, PacketInfo, ParseError, RuleRef, RuleSource,
    priority,
};
use ctrack_core::hooks::CtSnapshot;
use ctrack_core::tuple::Family;
use std::sync::Arc;

pub use counters::table_section;
pub(crate) use matches::{Match, st};
pub(crate) use targets::Target;
pub(crate) use values::Net;

/// The five tables of the IP families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableKind {
    Raw,
    Mangle,
    Filter,
    Nat,
    Security,
}

impl TableKind {
    pub fn name(self) -> &'static str {
        match self {
            TableKind::Raw => "raw",
            TableKind::Mangle => "mangle",
            TableKind::Filter => "filter",
            TableKind::Nat => "nat",
            TableKind::Security => "security",
        }
    }

    pub fn from_name(s: &str) -> Option<TableKind> {
        Some(match s {
            "raw" => TableKind::Raw,
            "mangle" => TableKind::Mangle,
            "filter" => TableKind::Filter,
            "nat" => TableKind::Nat,
            "security" => TableKind::Security,
            _ => return None,
        })
    }

    /// The built-in chains, in the order iptables lists them.
    pub fn hooks(self) -> &'static [Hook] {
        use Hook::*;
        match self {
            TableKind::Raw => &[Prerouting, Output],
            TableKind::Mangle => &[Prerouting, Input, Forward, Output, Postrouting],
            TableKind::Filter | TableKind::Security => &[Input, Forward, Output],
            TableKind::Nat => &[Prerouting, Input, Output, Postrouting],
        }
    }

    /// The table's priority on `hook` (`enum nf_ip_hook_priorities`).
    pub fn priority(self, hook: Hook) -> i32 {
        match self {
            TableKind::Raw => priority::RAW,
            TableKind::Mangle => priority::MANGLE,
            TableKind::Filter => priority::FILTER,
            TableKind::Security => priority::SECURITY,
            TableKind::Nat => match hook {
                Hook::Prerouting | Hook::Output => priority::NAT_DST,
                _ => priority::NAT_SRC,
            },
        }
    }
}

/// Packets and bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    pub packets: u64,
    pub bytes: u64,
}

impl Counters {
    fn add(&mut self, bytes: usize) {
        self.packets += 1;
        self.bytes += bytes as u64;
    }
}

/// A built-in chain's policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    Accept,
    Drop,
}

impl Policy {
    pub fn name(self) -> &'static str {
        match self {
            Policy::Accept => "ACCEPT",
            Policy::Drop => "DROP",
        }
    }
}

/// `-p`, `-s`, `-d`, `-i`, `-o`, `-f` (`struct ipt_ip` / `ip6t_ip6`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct IpSpec {
    /// Protocol and inversion; `None` for any (`-p all`).
    pub proto: Option<(u8, bool)>,
    pub src: Option<(Net, bool)>,
    pub dst: Option<(Net, bool)>,
    pub iif: Option<(String, bool)>,
    pub oif: Option<(String, bool)>,
    /// `-f` / `! -f` (IPv4 only).
    pub frag: Option<bool>,
}

/// One rule.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    /// Where it was written.
    pub line: usize,
    /// As written, without the counters prefix.
    pub text: String,
    pub ip: IpSpec,
    pub matches: Vec<Match>,
    pub target: Target,
    pub counters: Counters,
    /// Where the target (`-j`/`-g` argument) was written: line, column.
    pub target_at: (usize, usize),
}

/// A chain.
#[derive(Debug, Clone)]
pub(crate) struct Chain {
    pub name: String,
    /// The hook of a built-in chain.
    pub builtin: Option<Hook>,
    pub policy: Policy,
    pub policy_counters: Counters,
    /// The `:CHAIN` line (0 when never declared).
    pub decl_line: usize,
    /// A built-in chain exists in the kernel once declared or given a rule
    /// (iptables-nft creates base chains on demand).
    pub exists: bool,
    pub rules: Vec<Rule>,
    /// What reports name this chain's policy and rules by, built once the
    /// file is read ([`Ruleset::parse`]).
    pub refs: ChainRefs,
}

impl Chain {
    /// How reports name rule `i` (0-based).
    pub fn rule_ref(&self, i: usize) -> RuleRef {
        self.refs.rules[i].clone()
    }

    /// How reports name the policy.
    pub fn policy_ref(&self) -> RuleRef {
        self.refs.policy.clone()
    }
}

/// A chain's [`RuleRef`]s: its policy's and one per rule.
#[derive(Debug, Clone, Default)]
pub(crate) struct ChainRefs {
    pub policy: RuleRef,
    pub rules: Vec<RuleRef>,
}

/// A table.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub kind: TableKind,
    pub line: usize,
    /// Built-in chains first (in `TableKind::hooks()` order), then user
    /// chains in declaration order.
    pub chains: Vec<Chain>,
}

impl Table {
    pub fn chain_index(&self, name: &str) -> Option<usize> {
        self.chains.iter().position(|c| c.name == name)
    }

    /// Chains in the order iptables prints them: built-in, then user
    /// chains sorted by name.
    pub fn listing_order(&self) -> Vec<usize> {
        let mut builtin: Vec<usize> = (0..self.chains.len())
            .filter(|&i| self.chains[i].builtin.is_some())
            .collect();
        let mut user: Vec<usize> = (0..self.chains.len())
            .filter(|&i| self.chains[i].builtin.is_none())
            .collect();
        user.sort_by(|&a, &b| {
            self.chains[a]
                .name
                .as_bytes()
                .cmp(self.chains[b].name.as_bytes())
        });
        builtin.append(&mut user);
        builtin
    }

    /// Rules jumping or going to chain `i`.
    pub fn references(&self, i: usize) -> usize {
        self.chains
            .iter()
            .flat_map(|c| &c.rules)
            .filter(|r| matches!(r.target, Target::Jump(j) | Target::Goto(j) if j == i))
            .count()
    }
}

/// One family's ruleset (an `iptables-save` or `ip6tables-save` file).
#[derive(Debug, Clone)]
pub struct Ruleset {
    family: Family,
    file: String,
    tables: Vec<Table>,
    /// The evaluator's jump stack, reused from packet to packet.
    jump_stack: Vec<(usize, usize)>,
}

impl Ruleset {
    /// Read `text` (named `file_name` in errors) as `iptables-restore`
    /// (`Family::Ipv4`) or `ip6tables-restore` (`Family::Ipv6`) would.
    pub fn parse(text: &str, file_name: &str, family: Family) -> Result<Ruleset, ParseError> {
        let mut rs = Ruleset {
            family,
            file: file_name.to_string(),
            tables: parse::parse(text, file_name, family)?,
            jump_stack: Vec::new(),
        };
        for ti in 0..rs.tables.len() {
            for ci in 0..rs.tables[ti].chains.len() {
                let (t, c) = (&rs.tables[ti], &rs.tables[ti].chains[ci]);
                let chain: Arc<str> = rs.chain_label(t.kind, &c.name).into();
                let refs = ChainRefs {
                    policy: RuleRef {
                        chain: chain.clone(),
                        number: None,
                        text: format!("policy {}", c.policy.name()).into(),
                    },
                    rules: (0..c.rules.len())
                        .map(|i| RuleRef {
                            chain: chain.clone(),
                            number: Some(i + 1),
                            text: c.rules[i].text.as_str().into(),
                        })
                        .collect(),
                };
                rs.tables[ti].chains[ci].refs = refs;
            }
        }
        Ok(rs)
    }

    pub fn family(&self) -> Family {
        self.family
    }

    /// The file name given to [`Ruleset::parse`].
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The tables, in file order.
    pub fn table_names(&self) -> Vec<&'static str> {
        self.tables.iter().map(|t| t.kind.name()).collect()
    }

    /// Every table as `iptables-save -c` prints it: `*table`, the chains
    /// with their policy counters, `[packets:bytes] -A ...` rules in
    /// canonical form, `COMMIT`. Tables come in file order, without the
    /// `# Generated by` / `# Completed on` comment lines (which carry a
    /// date).
    pub fn save_counters(&self) -> String {
        self.tables
            .iter()
            .map(|t| counters::save_table(t, self.family))
            .collect()
    }

    /// One table as [`Ruleset::save_counters`] prints it, if the file has it.
    pub fn save_counters_table(&self, table: &str) -> Option<String> {
        self.tables
            .iter()
            .find(|t| t.kind.name() == table)
            .map(|t| counters::save_table(t, self.family))
    }

    /// Set every counter to zero (`iptables -Z`).
    pub fn zero_counters(&mut self) {
        for c in self.tables.iter_mut().flat_map(|t| &mut t.chains) {
            c.policy_counters = Counters::default();
            for r in &mut c.rules {
                r.counters = Counters::default();
            }
        }
    }

    /// The counters of rule `number` (1-based) of `chain` in `table`, or of
    /// the chain's policy when `number` is `None`.
    pub fn counters(&self, table: &str, chain: &str, number: Option<usize>) -> Option<Counters> {
        let t = self.tables.iter().find(|t| t.kind.name() == table)?;
        let c = &t.chains[t.chain_index(chain)?];
        match number {
            None => Some(c.policy_counters),
            Some(n) => c.rules.get(n.checked_sub(1)?).map(|r| r.counters),
        }
    }

    pub(crate) fn tables(&self) -> &[Table] {
        &self.tables
    }

    /// The chain name reports use: `filter FORWARD`, `ip6 filter FORWARD`.
    pub(crate) fn chain_label(&self, table: TableKind, chain: &str) -> String {
        match self.family {
            Family::Ipv4 => format!("{} {chain}", table.name()),
            Family::Ipv6 => format!("ip6 {} {chain}", table.name()),
        }
    }

    fn chain_family(&self) -> ChainFamily {
        match self.family {
            Family::Ipv4 => ChainFamily::Ipv4,
            Family::Ipv6 => ChainFamily::Ipv6,
        }
    }
}

impl RuleSource for Ruleset {
    fn base_chains(&self) -> Vec<BaseChainId> {
        let mut out = Vec::new();
        for t in &self.tables {
            for c in &t.chains {
                if let Some(hook) = c.builtin
                    && c.exists
                {
                    out.push(BaseChainId {
                        family: self.chain_family(),
                        hook,
                        priority: t.kind.priority(hook),
                        key: format!("{}/{}", t.kind.name(), c.name),
                    });
                }
            }
        }
        out
    }

    fn run(
        &mut self,
        id: &BaseChainId,
        pkt: &PacketInfo<'_>,
        ct: &CtSnapshot,
        meta: &mut Meta,
    ) -> ChainResult {
        eval::run(self, id, pkt, ct, meta)
    }

    fn saved(&self) -> String {
        self.save_counters()
    }

    fn counters_report(&self) -> String {
        counters::report(self)
    }

    fn unmatched(&self) -> Vec<RuleRef> {
        let mut out = Vec::new();
        for t in &self.tables {
            for &ci in &t.listing_order() {
                let c = &t.chains[ci];
                for (i, r) in c.rules.iter().enumerate() {
                    if r.counters.packets == 0 {
                        out.push(c.rule_ref(i));
                    }
                }
            }
        }
        out
    }
}
