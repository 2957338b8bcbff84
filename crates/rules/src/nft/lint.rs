//! The `ctrack check-rules` lints (see [`crate::lint`]) on nft rulesets.
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
use crate::lint::{Lint, LintKind};
use crate::model::{Hook, RuleRef};
use std::collections::HashSet;

/// The `ct state` bits of the five states (`NF_CT_STATE_*_BIT`).
const INVALID: u128 = 1;
const ESTABLISHED: u128 = 2;
const RELATED: u128 = 4;
const NEW: u128 = 8;
const UNTRACKED: u128 = 64;
const STATES: [u128; 5] = [INVALID, ESTABLISHED, RELATED, NEW, UNTRACKED];
const ALL_STATES: u128 = INVALID | ESTABLISHED | RELATED | NEW | UNTRACKED;

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
            let verdicts = set.map.as_deref().unwrap_or_default();
            for st in STATES {
                let i = set.elems.iter().position(|e| match e {
                    ir::Elem::One(Val::Num(n)) => *n == st,
                    ir::Elem::Range(a, b) => *a <= st && st <= *b,
                    ir::Elem::One(Val::Str { .. }) => false,
                });
                if i.and_then(|i| verdicts.get(i)) == Some(&v) {
                    out |= st;
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
fn verdict(r: &Rule) -> Option<Stmt> {
    r.stmts
        .iter()
        .rev()
        .find(|s| matches!(s, Stmt::Verdict(_) | Stmt::Reject(_)))
        .cloned()
}

fn terminal(r: &Rule) -> bool {
    match verdict(r) {
        Some(Stmt::Reject(_)) => true,
        Some(Stmt::Verdict(v)) => matches!(
            v,
            Verdict::Accept | Verdict::Drop | Verdict::Return | Verdict::Goto(_)
        ),
        _ => false,
    }
}

fn accepts(r: &Rule) -> bool {
    matches!(verdict(r), Some(Stmt::Verdict(Verdict::Accept)))
}

fn drops(r: &Rule) -> bool {
    matches!(
        verdict(r),
        Some(Stmt::Reject(_) | Stmt::Verdict(Verdict::Drop))
    )
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

struct Cx<'a> {
    rs: &'a Ruleset,
    out: &'a mut Vec<Lint>,
}

impl Cx<'_> {
    fn push(&mut self, kind: LintKind, line: usize, rule: RuleRef, message: String) {
        self.out.push(Lint {
            kind,
            file: self.rs.file().to_string(),
            line,
            rule,
            message,
        });
    }
}

fn at(file: &str, r: &Rule) -> String {
    format!("{file}:{} ({})", r.line, r.rref)
}

/// What a terminal rule does with `what` ("it", "every packet").
fn does(t: &Table, r: &Rule, what: &str) -> String {
    match verdict(r) {
        Some(Stmt::Verdict(Verdict::Accept)) => format!("accepts {what}"),
        Some(Stmt::Verdict(Verdict::Drop)) => format!("drops {what}"),
        Some(Stmt::Reject(_)) => format!("rejects {what}"),
        Some(Stmt::Verdict(Verdict::Return)) => format!("returns {what}"),
        Some(Stmt::Verdict(Verdict::Goto(i))) => {
            format!("sends {what} to chain {} (goto)", t.chains[i].name)
        }
        _ => format!("ends the chain for {what}"),
    }
}

/// Run the lints on one ruleset.
pub(crate) fn lint(rs: &Ruleset, strict: bool, out: &mut Vec<Lint>) {
    let mut cx = Cx { rs, out };
    for t in &rs.tables {
        for ci in 0..t.chains.len() {
            shadowing(&mut cx, t, ci);
        }
        unused_chains(&mut cx, t);
        no_established(&mut cx, t);
        state_order(&mut cx, t, strict);
    }
}

/// `unreachable` and `shadowed` within one chain.
fn shadowing(cx: &mut Cx<'_>, t: &Table, ci: usize) {
    let c = &t.chains[ci];
    let file = cx.rs.file().to_string();
    let end = c.rules.iter().position(|r| terminal(r) && unconditional(r));
    if let Some(k) = end
        && k + 1 < c.rules.len()
    {
        let more = c.rules.len() - k - 2;
        cx.push(
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
                at(&file, &c.rules[k]),
                does(t, &c.rules[k], "every packet")
            ),
        );
    }
    let last = end.map_or(c.rules.len(), |k| k + 1);
    for j in 1..last {
        let b = &c.rules[j];
        if let Some(i) = (0..j).find(|&i| terminal(&c.rules[i]) && covers(&c.rules[i], b, t)) {
            cx.push(
                LintKind::Shadowed,
                b.line,
                b.rref.clone(),
                format!(
                    "never matches: {} matches every packet this rule matches and {} first",
                    at(&file, &c.rules[i]),
                    does(t, &c.rules[i], "it")
                ),
            );
        }
    }
}

fn jumps_to(t: &Table, ci: usize) -> bool {
    let to = |v: Verdict| matches!(v, Verdict::Jump(j) | Verdict::Goto(j) if j == ci);
    t.chains.iter().flat_map(|c| &c.rules).any(|r| {
        r.stmts
            .iter()
            .any(|s| matches!(s, Stmt::Verdict(v) if to(*v)))
            || map_verdicts(r, t).any(to)
    })
}

fn unused_chains(cx: &mut Cx<'_>, t: &Table) {
    for (ci, c) in t.chains.iter().enumerate() {
        if c.base.is_none() && !jumps_to(t, ci) {
            cx.push(
                LintKind::UnusedChain,
                c.line,
                RuleRef {
                    chain: c.label.clone(),
                    number: None,
                    text: format!("chain {}", c.name),
                },
                format!(
                    "no rule jumps or goes to chain {}: its {} rule(s) never run",
                    c.name,
                    c.rules.len()
                ),
            );
        }
    }
}

/// The rules a packet may meet from the start of chain `ci` up to rule
/// `upto` (exclusive), following jumps and gotos (verdict maps' too), in
/// order, each with the conntrack states a packet meeting it can be in
/// (narrowed by the `ct state` of the rule that jumped, or by the states a
/// `ct state vmap` sends there) and whether it has SYN (the rule that
/// jumped required it).
fn path(
    t: &Table,
    ci: usize,
    upto: usize,
    entry: u128,
    syn: bool,
    seen: &mut HashSet<usize>,
    out: &mut Vec<(usize, usize, u128, bool)>,
) {
    if !seen.insert(ci) {
        return;
    }
    for (i, r) in t.chains[ci].rules.iter().enumerate().take(upto) {
        out.push((ci, i, entry, syn));
        let here = entry & states(r, t).unwrap_or(ALL_STATES);
        let syn_here = syn || requires_syn(r, t);
        let mut targets: Vec<(usize, u128)> = Vec::new();
        for s in &r.stmts {
            match s {
                Stmt::Verdict(Verdict::Jump(j) | Verdict::Goto(j)) => targets.push((*j, here)),
                Stmt::Vmap { key, bitwise, map } => {
                    let set = set_of(map, t);
                    let state_map = *key == Key::Ct(CtKey::State) && bitwise.is_none();
                    for (e, v) in set.elems.iter().zip(set.map.as_deref().unwrap_or_default()) {
                        let (Verdict::Jump(j) | Verdict::Goto(j)) = *v else {
                            continue;
                        };
                        let sent = if state_map {
                            elem_states(e)
                        } else {
                            ALL_STATES
                        };
                        targets.push((j, here & sent));
                    }
                }
                _ => {}
            }
        }
        for (j, e) in targets {
            path(t, j, usize::MAX, e, syn_here, seen, out);
        }
    }
}

/// The states a `ct state` map element stands for.
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
fn filters(c: &ir::Chain, hooks: &[Hook]) -> bool {
    c.base
        .as_ref()
        .is_some_and(|b| b.typ == "filter" && hooks.contains(&b.hook))
}

/// `no-established`: a dropping input/forward chain must let replies in.
fn no_established(cx: &mut Cx<'_>, t: &Table) {
    for (ci, c) in t.chains.iter().enumerate() {
        if !filters(c, &[Hook::Input, Hook::Forward]) {
            continue;
        }
        let base = c.base.as_ref().expect("a base chain");
        let final_drop = c.rules.iter().position(|r| drops(r) && unconditional(r));
        let (line, rule, what, upto) = match final_drop {
            Some(k) => (
                c.rules[k].line,
                c.rules[k].rref.clone(),
                format!("rule {} drops every packet left", k + 1),
                k,
            ),
            None if base.policy_drop => (
                c.line,
                RuleRef {
                    chain: c.label.clone(),
                    number: None,
                    text: "policy drop".into(),
                },
                "the policy is drop".to_string(),
                c.rules.len(),
            ),
            None => continue,
        };
        let mut rules = Vec::new();
        path(
            t,
            ci,
            upto,
            ALL_STATES,
            false,
            &mut HashSet::new(),
            &mut rules,
        );
        let rule_at = |cj: usize, i: usize| &t.chains[cj].rules[i];
        let may_accept = |r: &Rule| accepts(r) || map_verdicts(r, t).any(|v| v == Verdict::Accept);
        if !rules.iter().any(|&(cj, i, ..)| may_accept(rule_at(cj, i))) {
            continue;
        }
        // An accept counts for the states it is restricted to, by its own
        // `ct state` or by the way into its chain.
        let mut accepted = 0;
        for &(cj, i, entry, _) in &rules {
            let r = rule_at(cj, i);
            let st = states(r, t);
            let other_map_accepts =
                !only_state_vmap(r) && map_verdicts(r, t).any(|v| v == Verdict::Accept);
            if (accepts(r) || other_map_accepts) && (st.is_some() || entry != ALL_STATES) {
                accepted |= st.unwrap_or(ALL_STATES) & entry;
            }
            accepted |= vmap_states(r, t, Verdict::Accept) & entry;
        }
        let message = if accepted & ESTABLISHED == 0 {
            format!(
                "{what} on chain {} and no rule before accepts established and related packets \
                 (`ct state established,related accept`): replies to the connections it lets \
                 through are dropped",
                c.name
            )
        } else if accepted & RELATED == 0 {
            format!(
                "{what} on chain {} and the rules before accept established but not related \
                 packets: ICMP errors and the connections helpers expect (FTP data...) are dropped",
                c.name
            )
        } else {
            continue;
        };
        cx.push(LintKind::NoEstablished, line, rule, message);
    }
}

/// `invalid-not-dropped` and (strict) `new-without-syn`, along every
/// filter base chain.
fn state_order(cx: &mut Cx<'_>, t: &Table, strict: bool) {
    let mut reported: HashSet<(LintKind, usize, usize)> = HashSet::new();
    for (ci, c) in t.chains.iter().enumerate() {
        if !filters(
            c,
            &[
                Hook::Prerouting,
                Hook::Input,
                Hook::Forward,
                Hook::Output,
                Hook::Postrouting,
            ],
        ) {
            continue;
        }
        let mut rules = Vec::new();
        path(
            t,
            ci,
            usize::MAX,
            ALL_STATES,
            false,
            &mut HashSet::new(),
            &mut rules,
        );
        let mut invalid_dropped = false;
        let mut nosyn_dropped = false;
        for (cj, i, entry, syn_entry) in rules {
            let r = &t.chains[cj].rules[i];
            let st = states(r, t);
            let s = st.unwrap_or(ALL_STATES) & entry;
            if drops(r) && s & INVALID != 0 {
                invalid_dropped = true;
            }
            if only_state_vmap(r) && vmap_states(r, t, Verdict::Drop) & INVALID != 0 {
                invalid_dropped = true;
            }
            // A verdict map accepting new packets: on ct state by its
            // elements, any other map when it can accept.
            let map_accepts_new = if only_state_vmap(r) {
                vmap_states(r, t, Verdict::Accept) & entry & NEW != 0
            } else {
                s & NEW != 0 && map_verdicts(r, t).any(|v| v == Verdict::Accept)
            };
            if drops(r) && may_be_tcp(r, t) && takes_all_without_syn(r, t) && s & NEW != 0 {
                nosyn_dropped = true;
            }
            let accepts_new = (accepts(r) && s & NEW != 0) || map_accepts_new;
            if !accepts_new {
                continue;
            }
            if !invalid_dropped && reported.insert((LintKind::InvalidNotDropped, cj, i)) {
                let message = if st.is_none() && entry == ALL_STATES {
                    format!(
                        "accepts packets in any conntrack state and no rule before it (from chain \
                         {}) drops invalid ones: invalid packets it matches are accepted (add \
                         `ct state invalid drop` before it)",
                        c.name
                    )
                } else {
                    format!(
                        "accepts new packets, but no rule before it (from chain {}) drops invalid \
                         ones: invalid packets go on to the later rules and the policy (add `ct \
                         state invalid drop` before it)",
                        c.name
                    )
                };
                cx.push(LintKind::InvalidNotDropped, r.line, r.rref.clone(), message);
            }
            if strict
                && may_be_tcp(r, t)
                && !requires_syn(r, t)
                && !syn_entry
                && !nosyn_dropped
                && reported.insert((LintKind::NewWithoutSyn, cj, i))
            {
                let what = if is_tcp(r, t) {
                    "accepts new TCP packets"
                } else {
                    "accepts new packets, TCP ones included,"
                };
                cx.push(
                    LintKind::NewWithoutSyn,
                    r.line,
                    r.rref.clone(),
                    format!(
                        "{what} without requiring SYN (`tcp flags & (fin|syn|rst|ack) == syn`): \
                         conntrack picks up connections from a mid-stream segment \
                         (nf_conntrack_tcp_loose=1), so any ACK opens one"
                    ),
                );
            }
        }
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
