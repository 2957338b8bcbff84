//! What the `ctrack check-rules` lints (see [`crate::lint`]) need to know
//! about nft rules: their model of an nft ruleset.
//!
//! A rule's conditions are its match expressions. What a match admits is
//! worked out on the key's raw value with the evaluator's own comparison
//! ([`exec::match_value`]): by trying every value where the key has at most
//! 256 (or, for `ct state`, the five states), and as intervals where the
//! match is a comparison, a range, a set of numbers or a prefix. Anything
//! else (names, other masks) only covers an identical match: "covers" is
//! claimed only when it certainly holds. A verdict map is a condition (the
//! rule stops when no element matches) and never ends the chain for every
//! packet; on `ct state` its elements count as the accepts and drops they
//! are.

use super::exec::{self, Reg};
use super::ir::{
    CtKey, Key, Match, MetaKey, Op, PField, Rhs, Rule, SetDef, SetRef, Stmt, Table, Verdict,
};
use super::types::{DType, Val};
use super::{Ruleset, ir};
use crate::iptables::st;
use crate::lint::{ALL_STATES as LINT_ALL, End, MBase, MChain, MRule, MTable, Model, NFT_WORDS};
use crate::model::RuleRef;

/// The `ct state` bits of the five states (`NF_CT_STATE_*_BIT`).
const INVALID: u128 = 1;
const ESTABLISHED: u128 = 2;
const RELATED: u128 = 4;
const NEW: u128 = 8;
const UNTRACKED: u128 = 64;
const STATES: [u128; 5] = [INVALID, ESTABLISHED, RELATED, NEW, UNTRACKED];

const SYN: u128 = 0x02;

/// Sorted, disjoint, inclusive intervals of raw key values.
type Ranges = Vec<(u128, u128)>;

fn normalize(mut r: Ranges) -> Ranges {
    r.sort_unstable();
    let mut out: Ranges = Vec::with_capacity(r.len());
    for (a, b) in r {
        match out.last_mut() {
            Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

fn complement(r: &Ranges, max: u128) -> Ranges {
    let mut out = Vec::new();
    let mut next = 0u128;
    let mut done = false;
    for &(a, b) in r {
        if a > next {
            out.push((next, a - 1));
        }
        if b == max {
            done = true;
            break;
        }
        next = b + 1;
    }
    if !done {
        out.push((next, max));
    }
    out
}

fn intersect(a: &Ranges, b: &Ranges) -> Ranges {
    let mut out = Vec::new();
    for &(x, y) in a {
        for &(u, v) in b {
            let (lo, hi) = (x.max(u), y.min(v));
            if lo <= hi {
                out.push((lo, hi));
            }
        }
    }
    normalize(out)
}

fn subset(a: &Ranges, b: &Ranges) -> bool {
    a.iter()
        .all(|&(x, y)| b.iter().any(|&(u, v)| u <= x && y <= v))
}

fn set_of<'a>(r: &'a SetRef, t: &'a Table) -> &'a SetDef {
    match r {
        SetRef::Anon(s) => s,
        SetRef::Named(i) => &t.sets[*i],
    }
}

/// The raw key values for which the match holds, where they can be told.
fn admitted(m: &Match, t: &Table) -> Option<Ranges> {
    let dt = m.key.dtype();
    if dt.is_string() {
        return None;
    }
    let points: Option<Vec<u128>> = if dt == DType::CtState {
        Some(STATES.to_vec())
    } else if dt.max() <= 0xff {
        Some((0..=dt.max()).collect())
    } else {
        None
    };
    if let Some(points) = points {
        let hits = points
            .into_iter()
            .filter(|&v| exec::match_value(m, &t.sets, Reg::Num(v)))
            .map(|v| (v, v))
            .collect();
        return Some(normalize(hits));
    }
    let max = dt.max();
    let negate = |r: Ranges| match m.op {
        Op::Neq => complement(&r, max),
        _ => r,
    };
    match m.bitwise {
        None => match &m.rhs {
            Rhs::Val(Val::Num(c)) => {
                let c = *c;
                Some(match m.op {
                    Op::Eq => vec![(c, c)],
                    Op::Neq => complement(&vec![(c, c)], max),
                    Op::Lt if c == 0 => Vec::new(),
                    Op::Lt => vec![(0, c - 1)],
                    Op::Lte => vec![(0, c)],
                    Op::Gt if c >= max => Vec::new(),
                    Op::Gt => vec![(c + 1, max)],
                    Op::Gte => vec![(c, max)],
                })
            }
            Rhs::Range(a, b) => Some(negate(vec![(*a, *b)])),
            Rhs::Set(r) => {
                let mut out = Vec::new();
                for e in &set_of(r, t).elems {
                    match e {
                        ir::Elem::One(Val::Num(n)) => out.push((*n, *n)),
                        ir::Elem::Range(a, b) => out.push((*a, *b)),
                        ir::Elem::One(Val::Str { .. }) => return None,
                    }
                }
                Some(negate(normalize(out)))
            }
            Rhs::Val(Val::Str { .. }) => None,
        },
        // A prefix: `ip saddr 10.0.0.0/8`.
        Some((mask, 0)) if (!mask & max).wrapping_add(1) & (!mask & max) == 0 => {
            let Rhs::Val(Val::Num(c)) = m.rhs else {
                return None;
            };
            let host = !mask & max;
            let r = if c & host != 0 {
                Vec::new()
            } else {
                vec![(c, c | host)]
            };
            match m.op {
                Op::Eq | Op::Neq => Some(negate(r)),
                _ => None,
            }
        }
        Some(_) => None,
    }
}

/// The conditions of a rule.
fn conditions(r: &Rule) -> impl Iterator<Item = &Stmt> {
    r.stmts
        .iter()
        .filter(|s| matches!(s, Stmt::Match(_) | Stmt::Merged { .. } | Stmt::Vmap { .. }))
}

/// The verdicts a rule's verdict maps may give.
fn map_verdicts<'a>(r: &'a Rule, t: &'a Table) -> impl Iterator<Item = Verdict> + 'a {
    r.stmts.iter().flat_map(move |s| match s {
        Stmt::Vmap { map, .. } => set_of(map, t).map.clone().unwrap_or_default(),
        _ => Vec::new(),
    })
}

/// The states a `ct state vmap` of the rule gives verdict `v` (the rule's
/// other conditions aside).
fn vmap_states(r: &Rule, t: &Table, v: Verdict) -> u128 {
    let mut out = 0;
    for s in &r.stmts {
        if let Stmt::Vmap {
            key: Key::Ct(CtKey::State),
            bitwise: None,
            map,
        } = s
        {
            let set = set_of(map, t);
            for (e, w) in set.elems.iter().zip(set.map.as_deref().unwrap_or_default()) {
                if *w == v {
                    out |= elem_states(e);
                }
            }
        }
    }
    out
}

/// The rule's only condition is a `ct state vmap` (so the map alone
/// decides).
fn only_state_vmap(r: &Rule) -> bool {
    let mut n = 0;
    let all = conditions(r).all(|s| {
        n += 1;
        matches!(
            s,
            Stmt::Vmap {
                key: Key::Ct(CtKey::State),
                bitwise: None,
                ..
            }
        )
    });
    all && n > 0
}

/// What the rule's matches on `key` admit together (`None`: no match on
/// it, or not one that can be told).
fn admitted_on(r: &Rule, t: &Table, key: Key) -> Option<Ranges> {
    let mut out: Option<Ranges> = None;
    for s in &r.stmts {
        if let Stmt::Match(m) = s
            && m.key == key
        {
            let a = admitted(m, t)?;
            out = Some(match out {
                Some(o) => intersect(&o, &a),
                None => a,
            });
        }
    }
    out
}

fn unconditional(r: &Rule) -> bool {
    conditions(r).next().is_none()
}

/// The verdict that ends the rule (a reject counts as one).
fn verdict(r: &Rule) -> Option<&Stmt> {
    r.stmts
        .iter()
        .rev()
        .find(|s| matches!(s, Stmt::Verdict(_) | Stmt::Reject(_)))
}

/// The states the rule's `ct state` matches admit (`None`: no such match).
fn states(r: &Rule, t: &Table) -> Option<u128> {
    let has = r
        .stmts
        .iter()
        .any(|s| matches!(s, Stmt::Match(m) if m.key == Key::Ct(CtKey::State)));
    if !has {
        return None;
    }
    let ranges = admitted_on(r, t, Key::Ct(CtKey::State)).unwrap_or_default();
    Some(
        STATES
            .iter()
            .filter(|s| ranges.iter().any(|&(a, b)| a <= **s && **s <= b))
            .fold(0, |acc, s| acc | s),
    )
}

/// Two conditions are the same expressions.
fn same(a: &Stmt, b: &Stmt) -> bool {
    match (a, b) {
        (Stmt::Match(x), Stmt::Match(y)) => x == y,
        (Stmt::Merged { neq: n, parts: p }, Stmt::Merged { neq: m, parts: q }) => n == m && p == q,
        (
            Stmt::Vmap {
                key: k,
                bitwise: b,
                map: x,
            },
            Stmt::Vmap {
                key: l,
                bitwise: c,
                map: y,
            },
        ) => k == l && b == c && x == y,
        _ => false,
    }
}

/// Every packet rule `b` matches, rule `a` matches too.
fn covers(a: &Rule, b: &Rule, t: &Table) -> bool {
    conditions(a).all(|sa| {
        conditions(b).any(|sb| same(sa, sb))
            || match sa {
                Stmt::Match(ma) => match (admitted(ma, t), admitted_on(b, t, ma.key)) {
                    (Some(ra), Some(rb)) => subset(&rb, &ra),
                    _ => false,
                },
                _ => false,
            }
    })
}

/// The transport protocols the rule admits, from its protocol keys.
fn l4(r: &Rule, t: &Table) -> Ranges {
    let mut out = vec![(0, 0xff)];
    for key in [
        Key::Meta(MetaKey::L4proto),
        Key::Payload(PField::IpProtocol),
        Key::Payload(PField::Ip6Nexthdr),
        Key::Ct(CtKey::Protocol),
    ] {
        if let Some(a) = admitted_on(r, t, key) {
            out = intersect(&out, &a);
        }
    }
    out
}

fn may_be_tcp(r: &Rule, t: &Table) -> bool {
    l4(r, t).iter().any(|&(a, b)| a <= 6 && 6 <= b)
}

fn is_tcp(r: &Rule, t: &Table) -> bool {
    l4(r, t) == [(6, 6)]
}

/// The rule's `tcp flags` matches admit only segments with SYN.
fn requires_syn(r: &Rule, t: &Table) -> bool {
    admitted_on(r, t, Key::Payload(PField::TcpFlags))
        .is_some_and(|a| !a.is_empty() && a.iter().all(|&(x, y)| (x..=y).all(|v| v & SYN != 0)))
}

/// The rule's `tcp flags` matches admit every segment without SYN.
fn takes_all_without_syn(r: &Rule, t: &Table) -> bool {
    admitted_on(r, t, Key::Payload(PField::TcpFlags)).is_some_and(|a| {
        (0..=0xffu128)
            .filter(|v| v & SYN == 0)
            .all(|v| a.iter().any(|&(x, y)| x <= v && v <= y))
    })
}

fn elem_states(e: &ir::Elem) -> u128 {
    STATES
        .iter()
        .filter(|&&st| match e {
            ir::Elem::One(Val::Num(n)) => *n == st,
            ir::Elem::Range(a, b) => *a <= st && st <= *b,
            ir::Elem::One(Val::Str { .. }) => false,
        })
        .fold(0, |acc, st| acc | st)
}

/// A filter chain on the input or forward hook.
/// The nft `ct state` bits as `iptables::st` numbers them (the lints'
/// model): untracked is 64 here, 16 there.
fn to_st(m: u128) -> u16 {
    let mut out = (m & (INVALID | ESTABLISHED | RELATED | NEW)) as u16;
    if m & UNTRACKED != 0 {
        out |= st::UNTRACKED;
    }
    out
}

fn end_of(r: &Rule) -> End {
    match verdict(r) {
        Some(Stmt::Reject(_)) => End::Reject,
        Some(Stmt::Verdict(Verdict::Accept)) => End::Accept,
        Some(Stmt::Verdict(Verdict::Drop)) => End::Drop,
        Some(Stmt::Verdict(Verdict::Return)) => End::Return,
        Some(Stmt::Verdict(Verdict::Goto(c))) => End::Goto(*c),
        _ => End::None,
    }
}

/// The chains a rule jumps or goes to, with the states a `ct state` map
/// sends there.
fn jumps_of(r: &Rule, t: &Table) -> Vec<(usize, u16)> {
    let mut out = Vec::new();
    for s in &r.stmts {
        match s {
            Stmt::Verdict(Verdict::Jump(j) | Verdict::Goto(j)) => out.push((*j, LINT_ALL)),
            Stmt::Vmap { key, bitwise, map } => {
                let set = set_of(map, t);
                let state_map = *key == Key::Ct(CtKey::State) && bitwise.is_none();
                for (e, v) in set.elems.iter().zip(set.map.as_deref().unwrap_or_default()) {
                    if let Verdict::Jump(j) | Verdict::Goto(j) = *v {
                        let sent = if state_map {
                            to_st(elem_states(e))
                        } else {
                            LINT_ALL
                        };
                        out.push((j, sent));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The ruleset as the lints see it.
pub(crate) fn model(rs: &Ruleset) -> Model<'_> {
    let tables = rs
        .tables
        .iter()
        .map(|t| MTable {
            chains: t
                .chains
                .iter()
                .map(|c| MChain {
                    name: c.name.clone(),
                    line: c.line,
                    decl: RuleRef {
                        chain: c.label.clone(),
                        number: None,
                        text: format!("chain {}", c.name).into(),
                    },
                    base: c.base.as_ref().map(|b| MBase {
                        hook: b.hook,
                        filter: b.typ == "filter",
                        policy_drop: b.policy_drop,
                        policy: c.policy_ref.clone(),
                    }),
                    rules: c.rules.iter().map(|r| rule_model(r, t)).collect(),
                })
                .collect(),
            covers: Box::new(move |ci, a, b| {
                let rules = &t.chains[ci].rules;
                covers(&rules[a], &rules[b], t)
            }),
        })
        .collect();
    Model {
        file: rs.file().to_string(),
        words: &NFT_WORDS,
        tables,
    }
}

fn rule_model(r: &Rule, t: &Table) -> MRule {
    let state_map = only_state_vmap(r).then(|| {
        (
            to_st(vmap_states(r, t, Verdict::Accept)),
            to_st(vmap_states(r, t, Verdict::Drop)),
        )
    });
    MRule {
        line: r.line,
        rref: r.rref.clone(),
        end: end_of(r),
        unconditional: unconditional(r),
        states: states(r, t).map(to_st),
        map_accepts: state_map.is_none() && map_verdicts(r, t).any(|v| v == Verdict::Accept),
        state_map,
        jumps: jumps_of(r, t),
        may_be_tcp: may_be_tcp(r, t),
        is_tcp: is_tcp(r, t),
        requires_syn: requires_syn(r, t),
        takes_all_without_syn: takes_all_without_syn(r, t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_arithmetic() {
        assert_eq!(normalize(vec![(5, 9), (0, 2), (3, 4)]), [(0, 9)]);
        assert_eq!(complement(&vec![(0, 2), (7, 9)], 9), [(3, 6)]);
        assert_eq!(complement(&vec![], 9), [(0, 9)]);
        assert_eq!(complement(&vec![(0, 9)], 9), []);
        assert_eq!(intersect(&vec![(0, 5)], &vec![(3, 9)]), [(3, 5)]);
        assert!(subset(&vec![(3, 4)], &vec![(0, 5)]));
        assert!(!subset(&vec![(3, 6)], &vec![(0, 5)]));
    }
}
