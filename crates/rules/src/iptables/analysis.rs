//! What the lints need to know about rules: whether a rule matches every
//! packet, whether one rule matches every packet another matches, which
//! conntrack states a rule admits. Conservative: "covers" is claimed only
//! when it certainly holds (a false "no" costs a missed lint, a false
//! "yes" a wrong one).

use super::matches::{Conntrack, Match, Ports, Tcp};
use super::targets::Target;
use super::{IpSpec, Policy, Rule, Ruleset, TableKind};
use crate::lint::{ALL_STATES, End, IPTABLES_WORDS, MBase, MChain, MRule, MTable, Model};
use crate::model::RuleRef;

/// The ruleset as the lints see it.
pub(crate) fn model(rs: &Ruleset) -> Model<'_> {
    let tables = rs
        .tables()
        .iter()
        .map(|t| {
            let filter_like = matches!(
                t.kind,
                TableKind::Filter | TableKind::Mangle | TableKind::Security
            );
            MTable {
                chains: t
                    .chains
                    .iter()
                    .map(|c| MChain {
                        name: c.name.clone(),
                        line: c.decl_line,
                        decl: RuleRef {
                            chain: rs.chain_label(t.kind, &c.name).into(),
                            number: None,
                            text: format!(":{} - [0:0]", c.name).into(),
                        },
                        base: c.builtin.map(|hook| MBase {
                            hook,
                            filter: filter_like && c.exists,
                            policy_drop: c.policy == Policy::Drop,
                            policy: c.policy_ref(),
                        }),
                        rules: (0..c.rules.len())
                            .map(|i| {
                                let r = &c.rules[i];
                                MRule {
                                    line: r.line,
                                    rref: c.rule_ref(i),
                                    end: match r.target {
                                        Target::Accept => End::Accept,
                                        Target::Drop => End::Drop,
                                        Target::Reject(_) => End::Reject,
                                        Target::Return => End::Return,
                                        Target::Goto(j) => End::Goto(j),
                                        _ => End::None,
                                    },
                                    unconditional: unconditional(r),
                                    states: states(r),
                                    state_map: None,
                                    map_accepts: false,
                                    jumps: match r.target {
                                        Target::Jump(j) | Target::Goto(j) => vec![(j, ALL_STATES)],
                                        _ => Vec::new(),
                                    },
                                    may_be_tcp: may_be_tcp(r),
                                    is_tcp: is_tcp(r),
                                    requires_syn: syn_flags(r, false),
                                    takes_all_without_syn: syn_flags(r, true),
                                }
                            })
                            .collect(),
                    })
                    .collect(),
                covers: Box::new(move |ci, a, b| {
                    let rules = &t.chains[ci].rules;
                    covers(&rules[a], &rules[b])
                }),
            }
        })
        .collect();
    Model {
        file: rs.file().to_string(),
        words: &IPTABLES_WORDS,
        tables,
    }
}

/// The rule has no condition at all (comments aside).
pub(crate) fn unconditional(r: &Rule) -> bool {
    r.ip == IpSpec::default() && r.matches.iter().all(|m| matches!(m, Match::Comment(_)))
}

/// The conntrack states the rule's state / ctstate conditions admit
/// (`None`: not restricted). SNAT and DNAT bits are ignored.
pub(crate) fn states(r: &Rule) -> Option<u16> {
    let mut out: Option<u16> = None;
    for m in &r.matches {
        if let Match::State(c) | Match::Conntrack(c) = m
            && let Some((mask, inv)) = c.state
        {
            let s = if inv {
                ALL_STATES & !mask
            } else {
                mask & ALL_STATES
            };
            out = Some(out.map_or(s, |o| o & s));
        }
    }
    out
}

/// The rule is for TCP (`-p tcp`).
pub(crate) fn is_tcp(r: &Rule) -> bool {
    r.ip.proto == Some((6, false))
}

/// The rule may see TCP packets (`-p tcp` or no protocol).
pub(crate) fn may_be_tcp(r: &Rule) -> bool {
    match r.ip.proto {
        None => true,
        Some((6, inv)) => !inv,
        Some((_, inv)) => inv,
    }
}

/// The rule requires SYN (`--syn`, `--tcp-flags MASK COMP` with SYN in
/// both), or with `inverted` the opposite (`! --syn`).
pub(crate) fn syn_flags(r: &Rule, inverted: bool) -> bool {
    r.matches.iter().any(|m| {
        matches!(m, Match::Tcp(Tcp { flags: Some((mask, comp, inv)), .. })
            if mask & 0x02 != 0 && comp & 0x02 != 0 && *inv == inverted)
    })
}

fn iface_covers(a: &Option<(String, bool)>, b: &Option<(String, bool)>) -> bool {
    match (a, b) {
        (None, _) => true,
        (Some(x), Some(y)) if x == y => true,
        (Some((pa, false)), Some((pb, false))) => match pa.strip_suffix('+') {
            Some(prefix) => pb.starts_with(prefix),
            None => false,
        },
        _ => false,
    }
}

fn net_covers(a: &Option<(super::Net, bool)>, b: &Option<(super::Net, bool)>) -> bool {
    match (a, b) {
        (None, _) => true,
        (Some(x), Some(y)) if x == y => true,
        (Some((na, false)), Some((nb, false))) => na.covers(nb),
        _ => false,
    }
}

fn ip_covers(a: &IpSpec, b: &IpSpec) -> bool {
    let proto = match (a.proto, b.proto) {
        (None, _) => true,
        (Some(x), Some(y)) if x == y => true,
        (Some((p, true)), Some((q, false))) => p != q,
        _ => false,
    };
    proto
        && net_covers(&a.src, &b.src)
        && net_covers(&a.dst, &b.dst)
        && iface_covers(&a.iif, &b.iif)
        && iface_covers(&a.oif, &b.oif)
        && (a.frag.is_none() || a.frag == b.frag)
}

fn ports_covers(a: &Option<Ports>, b: &Option<Ports>) -> bool {
    match (a, b) {
        (None, _) => true,
        (Some(p), _) if p.full() && !p.inv => true,
        (Some(p), Some(q)) => p.covers(q),
        (Some(_), None) => false,
    }
}

/// The conntrack conditions of `a` other than the state hold for every
/// packet `b`'s hold for.
fn conntrack_rest_covers(a: &Conntrack, b: &[&Conntrack]) -> bool {
    let rest = Conntrack {
        state: None,
        ..a.clone()
    };
    if rest == Conntrack::default() {
        return true;
    }
    b.iter().any(|c| {
        (rest.proto.is_none() || rest.proto == c.proto)
            && (rest.status.is_none() || rest.status == c.status)
            && (rest.dir.is_none() || rest.dir == c.dir)
            && (0..4).all(|k| net_covers(&rest.addrs[k], &c.addrs[k]))
            && (0..4).all(|k| ports_covers(&rest.ports[k], &c.ports[k]))
    })
}

fn tcp_covers(a: &Tcp, b: &Tcp) -> bool {
    ports_covers(&a.sport, &b.sport)
        && ports_covers(&a.dport, &b.dport)
        && (a.flags.is_none() || a.flags == b.flags)
        && (a.option.is_none() || a.option == b.option)
}

/// One match of `a` holds for every packet the rule `b` matches.
fn match_covered(m: &Match, b: &Rule) -> bool {
    match m {
        Match::Comment(_) => true,
        // A rate or a count may fail for a packet `b` matches.
        Match::Limit(_) | Match::Statistic(_) => false,
        Match::State(c) | Match::Conntrack(c) => {
            let others: Vec<&Conntrack> = b
                .matches
                .iter()
                .filter_map(|x| match x {
                    Match::Conntrack(c) => Some(c),
                    _ => None,
                })
                .collect();
            conntrack_rest_covers(c, &others)
        }
        Match::Tcp(t) => b
            .matches
            .iter()
            .any(|x| matches!(x, Match::Tcp(u) if tcp_covers(t, u))),
        Match::Udp(t) => b
            .matches
            .iter()
            .any(|x| matches!(x, Match::Udp(u) if tcp_covers(t, u))),
        Match::Multiport(Some(mp)) => {
            let ranges = mp.ranges();
            let within = |q: &Ports| !q.inv && ranges.iter().any(|r| r.covers(q));
            b.matches.iter().any(|x| match x {
                Match::Multiport(Some(other)) => {
                    other == mp
                        || (!mp.inv
                            && !other.inv
                            && other.which == mp.which
                            && other.ranges().iter().all(within))
                }
                Match::Tcp(u) | Match::Udp(u) if !mp.inv => match mp.which {
                    0 => u.sport.as_ref().is_some_and(within),
                    1 => u.dport.as_ref().is_some_and(within),
                    _ => false,
                },
                _ => false,
            })
        }
        Match::Length(Some(l)) => b
            .matches
            .iter()
            .any(|x| matches!(x, Match::Length(Some(k)) if l.covers(k))),
        other => b.matches.iter().any(|x| x == other),
    }
}

/// Every packet rule `b` matches, rule `a` matches too.
pub(crate) fn covers(a: &Rule, b: &Rule) -> bool {
    if !ip_covers(&a.ip, &b.ip) {
        return false;
    }
    if let Some(sa) = states(a) {
        match states(b) {
            Some(sb) if sb & !sa == 0 => {}
            _ => return false,
        }
    }
    a.matches.iter().all(|m| match_covered(m, b))
}

#[cfg(test)]
mod tests {
    use super::super::matches::st;
    use super::*;
    use ctrack_core::tuple::Family;

    fn rules(lines: &str) -> Vec<Rule> {
        let text = format!("*filter\n:U - [0:0]\n{lines}\nCOMMIT\n");
        let rs = super::super::Ruleset::parse(&text, "t", Family::Ipv4).unwrap();
        let t = &rs.tables()[0];
        t.chains[t.chain_index("FORWARD").unwrap()].rules.clone()
    }

    #[test]
    fn covering() {
        let r = rules(
            "-A FORWARD -p tcp -j ACCEPT
-A FORWARD -p tcp --dport 80 -m conntrack --ctstate NEW -j ACCEPT
-A FORWARD -s 10.0.0.0/8 -p tcp -m multiport --dports 80,443
-A FORWARD -s 10.1.0.0/16 -p tcp --dport 443
-A FORWARD -m state --state ESTABLISHED,RELATED
-A FORWARD -m conntrack --ctstate ESTABLISHED
-A FORWARD -i eth+
-A FORWARD -i eth0 -m limit
-A FORWARD -m limit",
        );
        assert!(covers(&r[0], &r[1]));
        assert!(!covers(&r[1], &r[0]));
        assert!(covers(&r[2], &r[3]));
        assert!(!covers(&r[3], &r[2]));
        assert!(covers(&r[4], &r[5]));
        assert!(!covers(&r[5], &r[4]));
        assert!(covers(&r[6], &r[7]));
        assert!(!covers(&r[8], &r[7]));
        assert!(unconditional(
            &rules("-A FORWARD -m comment --comment x")[0]
        ));
        assert_eq!(states(&r[4]), Some(st::ESTABLISHED | st::RELATED));
        assert_eq!(
            states(&rules("-A FORWARD -m state ! --state INVALID")[0]),
            Some(ALL_STATES & !st::INVALID)
        );
    }
}
