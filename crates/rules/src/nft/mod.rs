//! nftables rulesets in `nft list ruleset` syntax (what `nft -f` reads),
//! evaluated as the 6.18 kernel's nf_tables evaluates them, and listed
//! back as nftables 1.0.6 lists them.
//!
//! [`Ruleset::parse`] reads `table ip|ip6|inet NAME { ... }` blocks with
//! base and regular chains, named sets, `ct helper` objects and rules of
//! the stateful-filtering subset (ct state/direction/status/mark/zone/
//! protocol, meta l4proto/nfproto/mark/iifname/oifname, iif/oif by name, ip/ip6/tcp/udp/th/
//! icmp/icmpv6 header fields, anonymous and named sets, ranges, prefixes,
//! flag lists and masks; verdict maps, anonymous and named; counter, log,
//! meta/ct mark set, ct zone set, ct helper set, notrack, reject, accept,
//! drop, jump, goto, return, continue). Anything else is an error naming
//! the file, line and column.
//!
//! The file goes through the steps nft itself takes: `lexer` and `parse`
//! (`src/scanner.l`, `src/parser_bison.y`), `eval` (`src/evaluate.c`: types,
//! implicit protocol dependencies, payload merges), giving the ruleset as
//! the kernel holds it (`ir`), which `exec` runs (`nf_tables_core.c` and
//! the `nft_*` expressions) and `print` lists (`src/netlink_delinearize.c`,
//! `src/rule.c`, `src/statement.c`).

mod eval;
mod exec;
mod ir;
mod lexer;
pub(crate) mod lint;
mod parse;
mod print;
mod services;
mod types;

use crate::model::{
    BaseChainId, ChainFamily, ChainResult, Meta, PacketInfo, ParseError, RuleRef, RuleSource,
};
use ctrack_core::hooks::CtSnapshot;

/// A parsed nftables ruleset: one or more tables.
#[derive(Debug, Clone)]
pub struct Ruleset {
    /// The file name given to [`Ruleset::parse`].
    file: String,
    tables: Vec<ir::Table>,
    /// Base chains: (id, table, chain).
    bases: Vec<(BaseChainId, usize, usize)>,
}

impl Ruleset {
    /// Read a ruleset in `nft list ruleset` / `nft -f` syntax. `file_name`
    /// names the file in errors (`rules.nft:3:5: ...`).
    pub fn parse(text: &str, file_name: &str) -> Result<Ruleset, ParseError> {
        let to_err = |e: parse::Error| ParseError {
            file: file_name.to_string(),
            line: e.pos.line,
            column: e.pos.col,
            message: e.message,
        };
        let cmds = parse::parse(text).map_err(to_err)?;
        let mut tables = eval::build(cmds).map_err(to_err)?;
        let mut bases = Vec::new();
        for (ti, table) in tables.iter_mut().enumerate() {
            let texts: Vec<Vec<String>> = table
                .chains
                .iter()
                .map(|c| {
                    c.rules
                        .iter()
                        .map(|r| print::rule_text(table, r, true))
                        .collect()
                })
                .collect();
            let family = match table.family {
                ir::Family::Ip => ChainFamily::Ipv4,
                ir::Family::Ip6 => ChainFamily::Ipv6,
                ir::Family::Inet => ChainFamily::Inet,
            };
            for (ci, (chain, texts)) in table.chains.iter_mut().zip(texts).enumerate() {
                for (n, (r, text)) in chain.rules.iter_mut().zip(texts).enumerate() {
                    r.rref = RuleRef {
                        chain: chain.label.clone(),
                        number: Some(n + 1),
                        text: text.into(),
                    };
                }
                if let Some(b) = &chain.base {
                    chain.policy_ref = RuleRef {
                        chain: chain.label.clone(),
                        number: None,
                        text: if b.policy_drop {
                            "policy drop"
                        } else {
                            "policy accept"
                        }
                        .into(),
                    };
                }
                if let Some(b) = &chain.base {
                    bases.push((
                        BaseChainId {
                            family,
                            hook: b.hook,
                            priority: b.prio,
                            key: chain.label.to_string(),
                        },
                        ti,
                        ci,
                    ));
                }
            }
        }
        Ok(Ruleset {
            file: file_name.to_string(),
            tables,
            bases,
        })
    }

    /// The file name the ruleset was read under.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The ruleset as `nft list ruleset` prints it, with the counters'
    /// current values.
    pub fn listing(&self) -> String {
        print::ruleset(&self.tables, false)
    }

    /// As `nft --stateless list ruleset` prints it (no counter values).
    pub fn listing_stateless(&self) -> String {
        print::ruleset(&self.tables, true)
    }

    /// Every rule with the packets that matched all its expressions, in
    /// listing order.
    pub fn rule_hits(&self) -> Vec<(RuleRef, u64)> {
        self.tables
            .iter()
            .flat_map(|t| t.chains.iter())
            .flat_map(|c| c.rules.iter())
            .map(|r| (r.rref.clone(), r.hits))
            .collect()
    }
}

impl RuleSource for Ruleset {
    fn base_chains(&self) -> Vec<BaseChainId> {
        self.bases.iter().map(|(id, ..)| id.clone()).collect()
    }

    fn run(
        &mut self,
        id: &BaseChainId,
        pkt: &PacketInfo<'_>,
        ct: &CtSnapshot,
        meta: &mut Meta,
    ) -> ChainResult {
        let Some(&(_, ti, ci)) = self.bases.iter().find(|(b, ..)| b.key == id.key) else {
            return ChainResult::Accept { by: None };
        };
        let base = self.tables[ti].chains[ci]
            .base
            .as_ref()
            .expect("a base chain");
        let pre = exec::before_conntrack(base.hook, base.prio);
        let view = exec::PktView::new(pkt);
        let env = exec::Env {
            pkt: &view,
            info: pkt,
            ct,
            pre,
        };
        exec::run_base_chain(&mut self.tables[ti], ci, &env, meta)
    }

    /// `nft list ruleset` with the counters' current values.
    fn saved(&self) -> String {
        self.counters_report()
    }

    fn counters_report(&self) -> String {
        self.listing()
    }

    /// Every rule (with or without a `counter`) that no packet matched
    /// completely.
    fn unmatched(&self) -> Vec<RuleRef> {
        self.rule_hits()
            .into_iter()
            .filter(|(_, n)| *n == 0)
            .map(|(r, _)| r)
            .collect()
    }
}

#[cfg(test)]
mod tests;
