//! What `nft -f` does between parsing and the kernel (nftables
//! `src/evaluate.c`, `src/rule.c`): resolve keys and symbols by type,
//! check families, hooks and priorities, add the implicit protocol
//! dependencies (`meta l4proto tcp` before `tcp dport`, `meta nfproto ipv4`
//! before `ip saddr` in inet tables), turn single-element sets into plain
//! values and flag lists into masks, merge adjacent payload matches
//! (`payload_try_merge`, with nft 1.0.6's quirks), and check jumps. The
//! result is the ruleset as the kernel runs it.

use super::ir::*;
use super::lexer::Pos;
use super::parse::{
    BinOp, ChainAst, ChainItem, ElemAst, Error, ExprAst, HelperAst, KeyAst, RelOp, RhsAst, RuleAst,
    SetAst, SetItem, StmtAst, TableAst, TableItem, TopCmd, ValAst, VerdictAst, VmapAst,
};
use super::types::{DType, SymKind, Val, proto_name};
use crate::model::{Hook, priority};

type R<T> = Result<T, Error>;

fn err<T>(pos: Pos, message: impl Into<String>) -> R<T> {
    Err(Error {
        pos,
        message: message.into(),
    })
}

/// Build the kernel's view of the ruleset from the parsed file.
pub(crate) fn build(cmds: Vec<TopCmd>) -> R<Vec<Table>> {
    let mut b = Builder {
        tables: Vec::new(),
        pending: Vec::new(),
        pending_maps: Vec::new(),
        jumps: Vec::new(),
    };
    for cmd in cmds {
        match cmd {
            TopCmd::FlushRuleset => {
                b.tables.clear();
                b.pending.clear();
                b.pending_maps.clear();
                b.jumps.clear();
            }
            TopCmd::Table(t) => b.declare_table(t)?,
        }
    }
    // Map verdicts name chains: resolved once every chain is declared.
    for (ti, si, verdicts) in std::mem::take(&mut b.pending_maps) {
        let table = &b.tables[ti];
        let resolved = verdicts
            .iter()
            .map(|v| resolve_verdict(table, v).map(|(v, _)| v))
            .collect::<R<Vec<_>>>()?;
        // In declaration order, as the elements were added.
        b.tables[ti].sets[si]
            .map
            .get_or_insert_with(Vec::new)
            .extend(resolved);
    }
    let pending = std::mem::take(&mut b.pending);
    for (t, c, rule) in pending {
        let (r, jumps) = b.rule(t, &rule)?;
        b.tables[t].chains[c].rules.push(r);
        for (to, pos) in jumps {
            b.jumps.push((t, c, to, pos));
        }
    }
    for (ti, t) in b.tables.iter().enumerate() {
        let edges: Vec<(usize, usize, Pos)> = b
            .jumps
            .iter()
            .filter(|j| j.0 == ti)
            .map(|j| (j.1, j.2, j.3))
            .collect();
        check_jumps(t, &edges)?;
    }
    Ok(b.tables)
}

struct Builder {
    tables: Vec<Table>,
    /// Rules to evaluate once every table's chains, sets and objects are
    /// declared (nft expands a table block into objects, sets, chains,
    /// then rules): (table, chain, rule).
    pending: Vec<(usize, usize, RuleAst)>,
    /// Named verdict maps whose verdicts wait for the chains: (table, set,
    /// the verdict of each element).
    pending_maps: Vec<(usize, usize, Vec<VerdictAst>)>,
    /// (table, from chain, to chain, where the jump is written)
    jumps: Vec<(usize, usize, usize, Pos)>,
}

impl Builder {
    fn declare_table(&mut self, t: TableAst) -> R<()> {
        let family = match t.family.as_str() {
            "ip" => Family::Ip,
            "ip6" => Family::Ip6,
            "inet" => Family::Inet,
            "bridge" | "arp" | "netdev" => {
                return err(
                    t.family_pos,
                    format!(
                        "`{}` tables are not supported: only ip, ip6 and inet tables see \
                         tracked IP packets",
                        t.family
                    ),
                );
            }
            other => {
                return err(
                    t.family_pos,
                    format!("`{other}` is not a table family (ip, ip6, inet)"),
                );
            }
        };
        let ti = match self
            .tables
            .iter()
            .position(|x| x.family == family && x.name == t.name)
        {
            Some(i) => i,
            None => {
                self.tables.push(Table {
                    family,
                    name: t.name.clone(),
                    comment: None,
                    helpers: Vec::new(),
                    sets: Vec::new(),
                    chains: Vec::new(),
                });
                self.tables.len() - 1
            }
        };
        // Objects, sets and chains first, rules later.
        for item in &t.items {
            match item {
                TableItem::Helper(h) => {
                    let obj = helper_obj(family, h)?;
                    if self.tables[ti].helpers.iter().any(|x| x.name == obj.name) {
                        return err(h.pos, format!("ct helper `{}` is already declared", h.name));
                    }
                    self.tables[ti].helpers.push(obj);
                }
                TableItem::Set(s) => {
                    let (def, verdicts) = named_set(s)?;
                    let is_map = verdicts.is_some();
                    let table = &mut self.tables[ti];
                    // A set or map declared again gets the new elements, as
                    // nft merges it; a key a map holds already is refused
                    // (the kernel's EEXIST).
                    let si = match table.sets.iter().position(|x| x.name == def.name) {
                        Some(si) => {
                            let old = &mut table.sets[si];
                            if old.dtype != def.dtype
                                || old.interval != def.interval
                                || old.map.is_some() != is_map
                            {
                                return err(
                                    s.pos,
                                    format!(
                                        "{} `{}` is redeclared with another type or flags",
                                        if is_map { "map" } else { "set" },
                                        s.name
                                    ),
                                );
                            }
                            match &verdicts {
                                Some((_, positions)) => {
                                    for (e, pos) in def.elems.into_iter().zip(positions) {
                                        if old.elems.contains(&e) {
                                            return err(*pos, "this key is in the map twice");
                                        }
                                        old.elems.push(e);
                                    }
                                }
                                None => {
                                    for e in def.elems {
                                        if !old.elems.contains(&e) {
                                            old.elems.push(e);
                                        }
                                    }
                                }
                            }
                            si
                        }
                        None => {
                            table.sets.push(def);
                            table.sets.len() - 1
                        }
                    };
                    if let Some((verdicts, _)) = verdicts {
                        self.pending_maps.push((ti, si, verdicts));
                    }
                }
                TableItem::Comment(c) => self.tables[ti].comment = Some(c.clone()),
                TableItem::Chain(_) => {}
            }
        }
        for item in t.items {
            if let TableItem::Chain(c) = item {
                self.declare_chain(ti, family, c)?;
            }
        }
        Ok(())
    }

    fn declare_chain(&mut self, ti: usize, family: Family, c: ChainAst) -> R<()> {
        let mut base: Option<Base> = None;
        let mut policy: Option<(bool, Pos)> = None;
        let mut comment = None;
        let mut rules = Vec::new();
        for item in c.items {
            match item {
                ChainItem::Hook(h) => {
                    if base.is_some() {
                        return err(h.pos, "the chain's type and hook are given twice");
                    }
                    base = Some(hook_spec(family, &h)?);
                }
                ChainItem::Policy(p, pos) => {
                    if policy.is_some() {
                        return err(pos, "you cannot set chain policy twice");
                    }
                    let drop = match p.as_str() {
                        "accept" => false,
                        "drop" => true,
                        _ => {
                            return err(
                                pos,
                                format!("`policy {p}`: a chain policy is accept or drop"),
                            );
                        }
                    };
                    policy = Some((drop, pos));
                }
                ChainItem::Comment(s) => comment = Some(s),
                ChainItem::Rule(r) => rules.push(r),
            }
        }
        if let Some((drop, pos)) = policy {
            match base.as_mut() {
                Some(b) => {
                    b.policy_drop = drop;
                    b.policy_written = true;
                }
                None => {
                    return err(
                        pos,
                        "a policy needs a base chain (`type filter hook ... priority ...;` first)",
                    );
                }
            }
        }
        let table = &mut self.tables[ti];
        let ci = match table.chains.iter().position(|x| x.name == c.name) {
            Some(i) => {
                let old = &mut table.chains[i];
                match (&old.base, base) {
                    (_, None) => {}
                    (None, Some(_)) => {
                        return err(
                            c.pos,
                            format!(
                                "chain `{}` exists as a regular chain: it cannot become a base chain",
                                c.name
                            ),
                        );
                    }
                    (Some(o), Some(n)) => {
                        if o.hook != n.hook || o.prio != n.prio || o.typ != n.typ {
                            return err(
                                c.pos,
                                format!(
                                    "chain `{}` is redeclared on another hook or priority",
                                    c.name
                                ),
                            );
                        }
                        old.base = Some(n);
                    }
                }
                if comment.is_some() {
                    old.comment = comment;
                }
                i
            }
            None => {
                table.chains.push(Chain {
                    label: format!("{} {} {}", family.name(), table.name, c.name).into(),
                    policy_ref: Default::default(),
                    name: c.name.clone(),
                    line: c.pos.line,
                    base,
                    rules: Vec::new(),
                    comment,
                });
                table.chains.len() - 1
            }
        };
        for r in rules {
            self.pending.push((ti, ci, r));
        }
        Ok(())
    }

    fn rule(&self, ti: usize, ast: &RuleAst) -> R<(Rule, Vec<(usize, Pos)>)> {
        let table = &self.tables[ti];
        let mut cx = RuleCx {
            table,
            net: match table.family {
                Family::Ip => Some(NFPROTO_IPV4),
                Family::Ip6 => Some(NFPROTO_IPV6),
                Family::Inet => None,
            },
            trans: None,
            out: Vec::new(),
            jumps: Vec::new(),
        };
        let mut terminal: Option<&'static str> = None;
        for s in &ast.stmts {
            if let Some(t) = terminal {
                return err(
                    s.pos(),
                    format!("statement after the terminal statement `{t}` has no effect"),
                );
            }
            cx.stmt(s)?;
            terminal = match s {
                StmtAst::Verdict { verdict, .. } => Some(match verdict.as_str() {
                    "accept" => "accept",
                    "drop" => "drop",
                    "continue" => "continue",
                    "return" => "return",
                    "jump" => "jump",
                    _ => "goto",
                }),
                StmtAst::Reject { .. } => Some("reject"),
                _ => None,
            };
        }
        let mut stmts = cx.out;
        let jumps = cx.jumps;
        payload_try_merge(&mut stmts);
        Ok((
            Rule {
                line: ast.stmts.first().map_or(0, |s| s.pos().line),
                stmts,
                comment: ast.comment.clone(),
                rref: Default::default(),
                hits: 0,
            },
            jumps,
        ))
    }
}

fn hook_spec(family: Family, h: &super::parse::HookAst) -> R<Base> {
    let (typ, tpos) = &h.typ;
    let (hook_name, hpos) = &h.hook;
    let hook = match hook_name.as_str() {
        "prerouting" => Hook::Prerouting,
        "input" => Hook::Input,
        "forward" => Hook::Forward,
        "output" => Hook::Output,
        "postrouting" => Hook::Postrouting,
        "ingress" | "egress" => {
            return err(
                *hpos,
                format!("the `{hook_name}` hook is not supported: only the IP hooks are"),
            );
        }
        other => {
            return err(
                *hpos,
                format!(
                    "`{other}` is not a hook of {} tables (prerouting, input, forward, output, postrouting)",
                    family.name()
                ),
            );
        }
    };
    match typ.as_str() {
        "filter" => {}
        "route" => {
            if hook != Hook::Output {
                return err(*tpos, "`type route` chains exist only on the output hook");
            }
        }
        "nat" => {
            return err(*tpos, "nat chains are not supported (ctrack does no NAT)");
        }
        other => {
            return err(
                *tpos,
                format!("`{other}` is not a chain type (filter, route, nat)"),
            );
        }
    }
    let prio = match &h.prio.name {
        None => h.prio.value,
        Some(name) => {
            let std = match name.as_str() {
                "raw" => Some(priority::RAW),
                "mangle" => Some(priority::MANGLE),
                "dstnat" if hook == Hook::Prerouting => Some(priority::NAT_DST),
                "filter" => Some(priority::FILTER),
                "security" => Some(priority::SECURITY),
                "srcnat" if hook == Hook::Postrouting => Some(priority::NAT_SRC),
                _ => None,
            };
            match std {
                Some(v) => i64::from(v) + h.prio.value,
                None => {
                    return err(
                        h.prio.pos,
                        format!(
                            "`{name}` is not a valid priority for the {} hook (raw, mangle, \
                             filter, security{}, or a number)",
                            hook.nft_name(),
                            match hook {
                                Hook::Prerouting => ", dstnat",
                                Hook::Postrouting => ", srcnat",
                                _ => "",
                            }
                        ),
                    );
                }
            }
        }
    };
    let prio = i32::try_from(prio).map_err(|_| Error {
        pos: h.prio.pos,
        message: "the priority is out of range".into(),
    })?;
    Ok(Base {
        typ: typ.clone(),
        hook,
        prio,
        policy_drop: false,
        policy_written: false,
    })
}

/// The conntrack helpers ctrack implements: (name, protocol, IPv4, IPv6).
const HELPERS: &[(&str, u8, bool, bool)] = &[
    ("ftp", 6, true, true),
    ("tftp", 17, true, true),
    ("irc", 6, true, false),
    ("sip", 17, true, true),
    ("pptp", 6, true, false),
];

fn helper_obj(family: Family, h: &HelperAst) -> R<HelperObj> {
    let Some((name, npos)) = &h.typ else {
        return err(
            h.pos,
            format!(
                "ct helper `{}` needs `type \"NAME\" protocol tcp|udp`",
                h.name
            ),
        );
    };
    let (proto, ppos) = h.protocol.clone().unwrap_or_default();
    let l4 = match proto.as_str() {
        "tcp" => 6,
        "udp" => 17,
        _ => {
            return err(
                ppos,
                format!("`protocol {proto}`: a ct helper's protocol is tcp or udp"),
            );
        }
    };
    let Some(&(_, hproto, has4, has6)) = HELPERS.iter().find(|(n, ..)| n == name) else {
        return err(
            *npos,
            format!(
                "conntrack helper \"{name}\" is not implemented (ctrack has ftp, tftp, irc, sip, pptp)"
            ),
        );
    };
    if hproto != l4 {
        return err(
            ppos,
            format!("conntrack helper \"{name}\" does not exist for protocol {proto}"),
        );
    }
    let (mut v4, mut v6) = match family {
        Family::Ip => (true, false),
        Family::Ip6 => (false, true),
        Family::Inet => (true, true),
    };
    if let Some((l3, l3pos)) = &h.l3proto {
        match l3.as_str() {
            "ip" if family != Family::Ip6 => v6 = false,
            "ip6" if family != Family::Ip => v4 = false,
            "inet" if family == Family::Inet => {}
            _ => {
                return err(
                    *l3pos,
                    format!("`l3proto {l3}` does not fit an {} table", family.name()),
                );
            }
        }
    }
    v4 &= has4;
    v6 &= has6;
    if !v4 && !v6 {
        return err(
            *npos,
            format!("conntrack helper \"{name}\" does not exist for this family (IPv4 only)"),
        );
    }
    Ok(HelperObj {
        name: h.name.clone(),
        helper: name.clone(),
        l4proto: l4,
        v4,
        v6,
    })
}

/// A `set` or `map` block; for a map also the verdict of each element,
/// to be resolved once the chains are known.
/// A set or map declaration; for a map also its verdicts and where each
/// element was written.
type NamedSet = (SetDef, Option<(Vec<VerdictAst>, Vec<Pos>)>);

fn named_set(s: &SetAst) -> R<NamedSet> {
    let mut dtype = None;
    let mut typeof_key = None;
    let (mut interval, mut constant) = (false, false);
    let mut comment = None;
    for item in &s.items {
        match item {
            SetItem::Type(t, pos) => {
                dtype = Some(DType::from_type_name(t).ok_or_else(|| Error {
                    pos: *pos,
                    message: format!(
                        "`{t}` is not a supported set type (ipv4_addr, ipv6_addr, inet_service, \
                         inet_proto, ifname, mark, ct_state, ct_status, ct_dir, tcp_flag, \
                         icmp_type, icmpv6_type, nf_proto)"
                    ),
                })?);
            }
            SetItem::Typeof(k) => {
                let key = key_of(k, None)?;
                dtype = Some(key.dtype());
                typeof_key = Some(key);
            }
            SetItem::Flags(flags) => {
                for (f, pos) in flags {
                    match f.as_str() {
                        "interval" => interval = true,
                        "constant" => constant = true,
                        _ => {
                            return err(
                                *pos,
                                format!("set flag `{f}` is not supported (interval, constant)"),
                            );
                        }
                    }
                }
            }
            SetItem::Comment(c) => comment = Some(c.clone()),
            SetItem::Data(d, pos) => {
                if d != "verdict" {
                    return err(
                        *pos,
                        format!(
                            "maps of `{d}` are not supported: only verdict maps (`type KEY : verdict`)"
                        ),
                    );
                }
            }
            SetItem::Elements(_) | SetItem::MapElements(_) => {}
        }
    }
    let Some(dtype) = dtype else {
        return err(
            s.pos,
            if s.map {
                format!(
                    "map `{}` needs `type KEY : verdict` or `typeof KEY : verdict`",
                    s.name
                )
            } else {
                format!("set `{}` needs a `type` or `typeof`", s.name)
            },
        );
    };
    if dtype == DType::HelperName {
        return err(s.pos, "sets of strings other than ifname are not supported");
    }
    let kind = if s.map { "map" } else { "set" };
    let check = |e: &ElemAst, el: &Elem| {
        if !interval && elem_is_interval(el) {
            return err(
                e.pos(),
                format!(
                    "You must add 'flags interval' to your {kind} declaration if you want to add \
                     prefix, range or wildcard elements"
                ),
            );
        }
        Ok(())
    };
    let mut elems = Vec::new();
    let mut verdicts = Vec::new();
    let mut written = Vec::new();
    for item in &s.items {
        // A later `elements = { ... }` replaces the earlier one (nft 1.0.6
        // lists only the last).
        if matches!(item, SetItem::Elements(_) | SetItem::MapElements(_)) {
            elems.clear();
            verdicts.clear();
            written.clear();
        }
        match item {
            SetItem::Elements(list) => {
                for e in list {
                    let el = elem(dtype, e)?;
                    check(e, &el)?;
                    written.push((e.pos(), el.clone()));
                    if !elems.contains(&el) {
                        elems.push(el);
                    }
                }
            }
            SetItem::MapElements(list) => {
                for (e, v) in list {
                    let el = elem(dtype, e)?;
                    check(e, &el)?;
                    if elems.contains(&el) {
                        return err(e.pos(), "this key is in the map twice");
                    }
                    written.push((e.pos(), el.clone()));
                    elems.push(el);
                    verdicts.push(v.clone());
                }
            }
            _ => {}
        }
    }
    let refs: Vec<(Pos, &Elem)> = written.iter().map(|(p, e)| (*p, e)).collect();
    if interval && let Some(pos) = conflicting_interval(&refs) {
        return err(pos, "conflicting intervals specified");
    }
    let def = SetDef {
        name: Some(s.name.clone()),
        dtype,
        typeof_key,
        interval,
        constant,
        elems,
        map: s.map.then(Vec::new),
        comment,
    };
    let positions = written.iter().map(|(p, _)| *p).collect();
    Ok((def, s.map.then_some((verdicts, positions))))
}

/// A verdict as the kernel holds it, and the chain it jumps or goes to.
fn resolve_verdict(table: &Table, v: &VerdictAst) -> R<(Verdict, Option<(usize, Pos)>)> {
    Ok(match v.verdict.as_str() {
        "accept" => (Verdict::Accept, None),
        "drop" => (Verdict::Drop, None),
        "continue" => (Verdict::Continue, None),
        "return" => (Verdict::Return, None),
        kind => {
            let (name, tpos) = v.target.clone().unwrap_or_default();
            let Some(ci) = table.chains.iter().position(|c| c.name == name) else {
                return err(
                    tpos,
                    format!(
                        "`{kind} {name}`: there is no chain `{name}` in table {} {}",
                        table.family.name(),
                        table.name
                    ),
                );
            };
            if table.chains[ci].base.is_some() {
                return err(
                    tpos,
                    format!("`{kind} {name}`: a base chain cannot be the target of {kind}"),
                );
            }
            let v = if kind == "jump" {
                Verdict::Jump(ci)
            } else {
                Verdict::Goto(ci)
            };
            (v, Some((ci, tpos)))
        }
    })
}

/// nft's refusal of overlapping elements in an interval set or map
/// (`setelem_overlap()`: "conflicting intervals specified"). Sorted by
/// where they start, an element that starts at or before the end of the
/// one before it conflicts with it; nft points at the later of the two in
/// that order and, of two that start together, at the one written first
/// (recorded with nft 1.0.6). Identical elements are the duplicate
/// checks' business; names are not compared.
fn conflicting_interval(elems: &[(Pos, &Elem)]) -> Option<Pos> {
    let mut spans: Vec<(u128, core::cmp::Reverse<usize>, u128, Pos)> = elems
        .iter()
        .enumerate()
        .filter_map(|(i, (pos, e))| {
            let (lo, hi) = match e {
                Elem::Range(a, b) => (*a, *b),
                Elem::One(Val::Num(n)) => (*n, *n),
                Elem::One(Val::Str { .. }) => return None,
            };
            Some((lo, core::cmp::Reverse(i), hi, *pos))
        })
        .collect();
    spans.sort_by_key(|&(lo, i, ..)| (lo, i));
    spans
        .windows(2)
        .find(|w| w[0].2 >= w[1].0 && (w[0].0, w[0].2) != (w[1].0, w[1].2))
        .map(|w| w[1].3)
}

fn elem_is_interval(e: &Elem) -> bool {
    matches!(
        e,
        Elem::Range(..) | Elem::One(Val::Str { wildcard: true, .. })
    )
}

/// A key from its words; `family` (when in a rule) checks what the table
/// allows.
fn key_of(k: &KeyAst, family: Option<Family>) -> R<Key> {
    let w: Vec<&str> = k.words.iter().map(|s| s.as_str()).collect();
    match w.as_slice() {
        ["meta", m] => {
            let key = match *m {
                "l4proto" => MetaKey::L4proto,
                "nfproto" => {
                    if let Some(f) = family
                        && f != Family::Inet
                    {
                        return err(k.pos, "meta nfproto is only useful in the inet family");
                    }
                    MetaKey::Nfproto
                }
                "mark" => MetaKey::Mark,
                "iifname" => MetaKey::Iifname,
                "oifname" => MetaKey::Oifname,
                "iif" => MetaKey::Iif,
                "oif" => MetaKey::Oif,
                other => return err(k.pos, format!("`meta {other}` is not supported")),
            };
            Ok(Key::Meta(key))
        }
        ["ct", rest @ ..] => {
            let (dir, key) = match rest {
                [k] => (None, *k),
                [d, k] => (Some(*d), *k),
                _ => return err(k.pos, "malformed ct expression"),
            };
            let key = match key {
                "state" => CtKey::State,
                "direction" => CtKey::Direction,
                "status" => CtKey::Status,
                "mark" => CtKey::Mark,
                "helper" => CtKey::Helper,
                "zone" => CtKey::Zone,
                "protocol" => CtKey::Protocol,
                other => {
                    return err(
                        k.pos,
                        format!(
                            "`ct {}{other}` is not supported",
                            dir.map(|d| format!("{d} ")).unwrap_or_default()
                        ),
                    );
                }
            };
            if let Some(d) = dir
                && key != CtKey::Protocol
            {
                return err(
                    k.pos,
                    format!(
                        "`ct {d} {key}` is not supported: ct {key} has no direction",
                        key = rest[1]
                    ),
                );
            }
            Ok(Key::Ct(key))
        }
        [proto, field] => {
            let f = PField::lookup(proto, field).ok_or_else(|| Error {
                pos: k.pos,
                message: format!("`{proto} {field}` is not supported"),
            })?;
            Ok(Key::Payload(f))
        }
        _ => err(k.pos, "unknown expression"),
    }
}

/// A constant of type `dt`.
fn const_val(dt: DType, v: &ValAst) -> R<Val> {
    match v {
        ValAst::Sym { text, kind, pos } => dt.parse(text, *kind).map_err(|m| Error {
            pos: *pos,
            message: m,
        }),
        ValAst::Bin(l, op, r) => {
            let (a, b) = (const_val(dt, l)?, const_val(dt, r)?);
            match (a, b) {
                (Val::Num(a), Val::Num(b)) => Ok(Val::Num(match op {
                    BinOp::And => a & b,
                    BinOp::Or => a | b,
                    BinOp::Xor => a ^ b,
                })),
                _ => err(v.pos(), "strings cannot be combined with `|`, `&`, `^`"),
            }
        }
    }
}

fn const_num(dt: DType, v: &ValAst) -> R<u128> {
    match const_val(dt, v)? {
        Val::Num(n) => Ok(n),
        Val::Str { .. } => err(v.pos(), format!("{} is not a number", dt.a_desc())),
    }
}

fn elem(dt: DType, e: &ElemAst) -> R<Elem> {
    match e {
        ElemAst::Val(v) => Ok(Elem::One(const_val(dt, v)?)),
        ElemAst::Range(lo, hi) => {
            if dt.is_string() {
                return err(
                    lo.pos(),
                    "ranges of names are not supported (use a wildcard \"eth*\")",
                );
            }
            let (a, b) = (const_num(dt, lo)?, const_num(dt, hi)?);
            if a > b {
                return err(lo.pos(), "Range has zero or negative size");
            }
            Ok(Elem::Range(a, b))
        }
        ElemAst::Prefix(v, len) => {
            let (net, mask) = prefix(dt, v, len)?;
            Ok(Elem::Range(net, net | (!mask & dt.max())))
        }
    }
}

/// `value/len`: the masked value and the mask.
fn prefix(dt: DType, v: &ValAst, len: &ValAst) -> R<(u128, u128)> {
    if !dt.prefix_capable() && !matches!(dt, DType::Integer(_) | DType::InetService) {
        return err(v.pos(), format!("{} has no prefix notation", dt.a_desc()));
    }
    let n = const_num(dt, v)?;
    let l = match len {
        ValAst::Sym {
            text,
            kind: SymKind::Number,
            ..
        } => super::types::parse_number(text),
        _ => None,
    };
    let bits = dt.bits();
    let Some(l) = l.filter(|l| *l <= u128::from(bits)) else {
        return err(len.pos(), format!("the prefix length must be 0-{bits}"));
    };
    let l = l as u32;
    let mask = if l == 0 {
        0
    } else {
        (dt.max() >> (bits - l)) << (bits - l)
    };
    Ok((n & mask, mask))
}

fn find_key(e: &ExprAst) -> Option<&KeyAst> {
    match e {
        ExprAst::Key(k) => Some(k),
        ExprAst::Val(_) => None,
        ExprAst::Bin(l, _, r, _) => find_key(l).or_else(|| find_key(r)),
    }
}

enum Fold {
    Key(Key, Option<Bitwise>),
    Num(u128),
}

fn apply(bw: Option<Bitwise>, op: BinOp, c: u128, max: u128) -> (u128, u128) {
    let (m, x) = bw.unwrap_or((max, 0));
    let c = c & max;
    match op {
        BinOp::And => (m & c, x & c),
        BinOp::Or => (m & !c & max, (x & !c) | c),
        BinOp::Xor => (m, x ^ c),
    }
}

fn fold(e: &ExprAst, dt: DType, family: Family) -> R<Fold> {
    match e {
        ExprAst::Key(k) => Ok(Fold::Key(key_of(k, Some(family))?, None)),
        ExprAst::Val(v) => Ok(Fold::Num(const_num(dt, v)?)),
        ExprAst::Bin(l, op, r, pos) => {
            let (a, b) = (fold(l, dt, family)?, fold(r, dt, family)?);
            let max = dt.max();
            match (a, b) {
                (Fold::Key(k, bw), Fold::Num(c)) | (Fold::Num(c), Fold::Key(k, bw)) => {
                    if k.dtype().is_string() {
                        return err(*pos, "names cannot be combined with `&`, `|`, `^`");
                    }
                    Ok(Fold::Key(k, Some(apply(bw, *op, c, max))))
                }
                (Fold::Num(a), Fold::Num(b)) => Ok(Fold::Num(match op {
                    BinOp::And => a & b,
                    BinOp::Or => a | b,
                    BinOp::Xor => a ^ b,
                })),
                (Fold::Key(..), Fold::Key(..)) => {
                    err(*pos, "two keys cannot be combined with `&`, `|`, `^` here")
                }
            }
        }
    }
}

/// A full mask and no xor is no bitwise operation at all.
fn norm_bitwise(bw: Option<Bitwise>, max: u128) -> Option<Bitwise> {
    bw.filter(|(m, x)| !(*m & max == max && *x == 0))
}

struct RuleCx<'a> {
    table: &'a Table,
    /// The network protocol the rule is known to match (NFPROTO_*).
    net: Option<u8>,
    /// The transport protocol it is known to match.
    trans: Option<u8>,
    out: Vec<Stmt>,
    /// Jump and goto targets, with where they are written.
    jumps: Vec<(usize, Pos)>,
}

fn net_name(n: u8) -> &'static str {
    if n == NFPROTO_IPV6 { "ip6" } else { "ip" }
}

fn trans_name(p: u8) -> String {
    match p {
        58 => "icmpv6".into(),
        _ => proto_name(p)
            .map(str::to_string)
            .unwrap_or_else(|| p.to_string()),
    }
}

impl RuleCx<'_> {
    fn family(&self) -> Family {
        self.table.family
    }

    fn dep(&mut self, key: Key, value: u8) {
        self.out.push(Stmt::Match(Match {
            key,
            bitwise: None,
            op: Op::Eq,
            rhs: Rhs::Val(Val::Num(u128::from(value))),
        }));
    }

    fn need_net(&mut self, want: u8, what: &str, pos: Pos) -> R<()> {
        match self.net {
            Some(n) if n == want => Ok(()),
            Some(n) => err(
                pos,
                format!(
                    "conflicting protocols specified: {} vs. {what}",
                    net_name(n)
                ),
            ),
            None => {
                self.dep(Key::Meta(MetaKey::Nfproto), want);
                self.net = Some(want);
                Ok(())
            }
        }
    }

    /// Fails when another transport protocol is already known.
    fn need_trans_free(&self, want: u8, what: &str, pos: Pos) -> R<()> {
        match self.trans {
            Some(p) if p != want => err(
                pos,
                format!(
                    "conflicting protocols specified: {} vs. {what}",
                    trans_name(p)
                ),
            ),
            _ => Ok(()),
        }
    }

    fn need_trans(&mut self, want: u8, what: &str, pos: Pos) -> R<()> {
        match self.trans {
            Some(p) if p == want => Ok(()),
            Some(p) => err(
                pos,
                format!(
                    "conflicting protocols specified: {} vs. {what}",
                    trans_name(p)
                ),
            ),
            None => {
                self.dep(Key::Meta(MetaKey::L4proto), want);
                self.trans = Some(want);
                Ok(())
            }
        }
    }

    /// The implicit dependencies of a payload field.
    fn deps(&mut self, key: Key, pos: Pos) -> R<()> {
        let Key::Payload(f) = key else { return Ok(()) };
        match f.proto() {
            Proto::Ip => self.need_net(NFPROTO_IPV4, "ip", pos),
            Proto::Ip6 => self.need_net(NFPROTO_IPV6, "ip6", pos),
            // A known transport protocol implies the network one.
            Proto::Icmp if self.trans == Some(1) => Ok(()),
            Proto::Icmpv6 if self.trans == Some(58) => Ok(()),
            // ICMP needs its IP version only where none is known yet
            // (nft does not check a known one against it).
            Proto::Icmp => {
                self.need_trans_free(1, "icmp", pos)?;
                if self.net.is_none() {
                    self.need_net(NFPROTO_IPV4, "icmp", pos)?;
                }
                self.need_trans(1, "icmp", pos)
            }
            Proto::Icmpv6 => {
                self.need_trans_free(58, "icmpv6", pos)?;
                if self.net.is_none() {
                    self.need_net(NFPROTO_IPV6, "icmpv6", pos)?;
                }
                self.need_trans(58, "icmpv6", pos)
            }
            Proto::Tcp => self.need_trans(6, "tcp", pos),
            Proto::Udp => self.need_trans(17, "udp", pos),
            Proto::Th => Ok(()),
        }
    }

    /// What a match teaches about the packet's protocols.
    fn learn(&mut self, m: &Match) {
        if m.op != Op::Eq || m.bitwise.is_some() {
            return;
        }
        let Rhs::Val(Val::Num(v)) = m.rhs else { return };
        let v = v as u8;
        match m.key {
            Key::Meta(MetaKey::Nfproto) if v == NFPROTO_IPV4 || v == NFPROTO_IPV6 => {
                self.net = Some(v);
            }
            // A transport protocol already known stays (nft 1.0.6: `tcp
            // dport 22 meta l4proto udp udp dport 53` is "conflicting
            // protocols specified: tcp vs. udp" at `udp dport`).
            Key::Meta(MetaKey::L4proto) | Key::Payload(PField::IpProtocol | PField::Ip6Nexthdr) => {
                self.trans.get_or_insert(v);
            }
            // ct_expr_pctx_update() needs a known network protocol.
            Key::Ct(CtKey::Protocol) if self.net.is_some() => self.trans = Some(v),
            _ => {}
        }
    }

    fn stmt(&mut self, s: &StmtAst) -> R<()> {
        match s {
            StmtAst::Match { lhs, op, rhs, pos } => self.relational(lhs, *op, rhs, *pos),
            StmtAst::Vmap { lhs, op, map, pos } => self.vmap(lhs, *op, map, *pos),
            StmtAst::Set { key, value, pos } => self.set_stmt(key, value, *pos),
            StmtAst::Counter { packets, bytes, .. } => {
                self.out.push(Stmt::Counter {
                    packets: *packets,
                    bytes: *bytes,
                });
                Ok(())
            }
            StmtAst::Log(l, _) => {
                if let Some((lvl, lpos)) = &l.level {
                    const LEVELS: &[&str] = &[
                        "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug", "audit",
                    ];
                    if !LEVELS.contains(&lvl.as_str()) {
                        return err(
                            *lpos,
                            format!(
                                "`{lvl}` is not a log level (emerg, alert, crit, err, warn, notice, info, debug, audit)"
                            ),
                        );
                    }
                }
                self.out.push(Stmt::Log(l.clone()));
                Ok(())
            }
            StmtAst::Notrack(_) => {
                self.out.push(Stmt::Notrack);
                Ok(())
            }
            StmtAst::Verdict {
                verdict,
                target,
                pos,
            } => {
                let (v, jump) = resolve_verdict(
                    self.table,
                    &VerdictAst {
                        verdict: verdict.clone(),
                        target: target.clone(),
                        pos: *pos,
                    },
                )?;
                self.jumps.extend(jump);
                self.out.push(Stmt::Verdict(v));
                Ok(())
            }
            StmtAst::Reject { with, pos } => self.reject(with, *pos),
        }
    }

    fn reject(&mut self, with: &Option<(String, Option<ValAst>)>, pos: Pos) -> R<()> {
        let fam = self.family();
        let kind = match with {
            None => match (fam, self.net) {
                (Family::Inet, None) => RejectKind::Icmpx(1),
                (_, Some(NFPROTO_IPV6)) => RejectKind::Icmp { v6: true, code: 4 },
                _ => RejectKind::Icmp { v6: false, code: 3 },
            },
            // The parser gives a code to every `with` but `tcp reset`.
            Some((_, None)) => {
                self.need_trans(6, "tcp", pos)?;
                RejectKind::TcpReset
            }
            Some((k, Some(code))) => {
                let (tbl, v6): (&[(&str, u8)], Option<bool>) = match k.as_str() {
                    "icmp" => (ICMP_CODES, Some(false)),
                    "icmpv6" => (ICMPV6_CODES, Some(true)),
                    _ => (ICMPX_CODES, None),
                };
                let c = reject_code(tbl, code, k)?;
                match v6 {
                    None => {
                        if fam != Family::Inet {
                            return err(code.pos(), "abstracted ICMP unreachable not supported");
                        }
                        RejectKind::Icmpx(c)
                    }
                    Some(v6) => {
                        let want = if v6 { NFPROTO_IPV6 } else { NFPROTO_IPV4 };
                        match (fam, self.net) {
                            (Family::Inet, None) => {
                                self.dep(Key::Meta(MetaKey::Nfproto), want);
                                self.net = Some(want);
                            }
                            (_, Some(n)) if n != want => {
                                return err(
                                    pos,
                                    format!(
                                        "`reject with {k}` cannot answer a packet of this {}",
                                        if fam == Family::Inet {
                                            "rule (it matches the other IP version)"
                                        } else {
                                            "table family"
                                        }
                                    ),
                                );
                            }
                            _ => {}
                        }
                        RejectKind::Icmp { v6, code: c }
                    }
                }
            }
        };
        self.out.push(Stmt::Reject(kind));
        Ok(())
    }

    fn set_stmt(&mut self, key: &KeyAst, value: &ExprAst, pos: Pos) -> R<()> {
        let k = key_of(key, Some(self.family()))?;
        match k {
            Key::Meta(MetaKey::Mark) | Key::Ct(CtKey::Mark) => {
                let v = match fold(value, DType::Mark, self.family())? {
                    Fold::Num(n) => SetVal::Const(n as u32),
                    Fold::Key(src, bw) => {
                        if !matches!(src, Key::Meta(MetaKey::Mark) | Key::Ct(CtKey::Mark)) {
                            return err(
                                value.pos(),
                                format!("setting a mark from `{}` is not supported", src.text()),
                            );
                        }
                        SetVal::Load {
                            key: src,
                            bitwise: norm_bitwise(bw, DType::Mark.max()),
                        }
                    }
                };
                self.out.push(if k == Key::Meta(MetaKey::Mark) {
                    Stmt::MetaMarkSet(v)
                } else {
                    Stmt::CtMarkSet(v)
                });
                Ok(())
            }
            Key::Ct(CtKey::Helper) => {
                let ExprAst::Val(ValAst::Sym {
                    text,
                    kind: SymKind::Quoted | SymKind::Word,
                    pos: vpos,
                }) = value
                else {
                    return err(
                        value.pos(),
                        "`ct helper set` takes the quoted name of a ct helper object",
                    );
                };
                let Some(i) = self.table.helpers.iter().position(|h| &h.name == text) else {
                    return err(
                        *vpos,
                        format!(
                            "there is no `ct helper {text}` object in table {} {}: declare it first \
                             (`ct helper {text} {{ type \"ftp\" protocol tcp; }}`)",
                            self.family().name(),
                            self.table.name
                        ),
                    );
                };
                self.out.push(Stmt::CtHelperSet(i));
                Ok(())
            }
            Key::Ct(CtKey::Zone) => {
                let n = match fold(value, DType::Integer(16), self.family())? {
                    Fold::Num(n) => n as u16,
                    Fold::Key(..) => {
                        return err(value.pos(), "`ct zone set` from a key is not supported");
                    }
                };
                self.out.push(Stmt::CtZoneSet(n));
                Ok(())
            }
            _ => err(pos, format!("`{} set` is not supported", k.text())),
        }
    }

    fn relational(
        &mut self,
        lhs: &ExprAst,
        op: Option<(RelOp, Pos)>,
        rhs: &RhsAst,
        pos: Pos,
    ) -> R<()> {
        let (key, dt, bitwise) = self.match_key(lhs, pos)?;
        let had_binop = !matches!(lhs, ExprAst::Key(_));
        let m = self.build_match(key, dt, bitwise, had_binop, op, rhs, pos)?;
        self.learn(&m);
        self.out.push(Stmt::Match(m));
        Ok(())
    }

    /// The key of a match's left side, its type and its bitwise step, with
    /// the key's protocol dependencies added.
    fn match_key(&mut self, lhs: &ExprAst, pos: Pos) -> R<(Key, DType, Option<Bitwise>)> {
        let Some(kast) = find_key(lhs) else {
            return err(pos, "a match needs a key on its left");
        };
        let key = key_of(kast, Some(self.family()))?;
        if key == Key::Ct(CtKey::Helper) {
            return err(
                kast.pos,
                "`ct helper` matches the helper of the connection's master, which ctrack's \
                 conntrack snapshot does not expose yet",
            );
        }
        let dt = key.dtype();
        let bitwise = match fold(lhs, dt, self.family())? {
            Fold::Key(_, bw) => norm_bitwise(bw, dt.max()),
            Fold::Num(_) => return err(pos, "a match needs a key on its left"),
        };
        self.deps(key, kast.pos)?;
        Ok((key, dt, bitwise))
    }

    /// The named set or map `name` of the table (`what`: "set", "map").
    fn named(&self, name: &str, pos: Pos, what: &str) -> R<usize> {
        self.table
            .sets
            .iter()
            .position(|s| s.name.as_deref() == Some(name))
            .ok_or_else(|| Error {
                pos,
                message: format!(
                    "there is no {what} `{name}` in table {} {}",
                    self.family().name(),
                    self.table.name
                ),
            })
    }

    /// `KEY vmap { ... }` / `KEY vmap @m`.
    fn vmap(&mut self, lhs: &ExprAst, op: Option<(RelOp, Pos)>, vm: &VmapAst, pos: Pos) -> R<()> {
        if let Some((_, p)) = op {
            return err(p, "a verdict map takes no operator (`KEY vmap { ... }`)");
        }
        let (key, dt, bitwise) = self.match_key(lhs, pos)?;
        let map = match vm {
            VmapAst::Named(name, mpos) => {
                let (name, mpos) = (name.as_str(), *mpos);
                let i = self.named(name, mpos, "map")?;
                let set = &self.table.sets[i];
                let Some(verdicts) = &set.map else {
                    return err(mpos, format!("`@{name}` is a set: `vmap` needs a map"));
                };
                if set.dtype != dt {
                    return err(
                        mpos,
                        format!(
                            "datatype mismatch: `{}` is of type {}, map `{name}` has {} keys",
                            key.text(),
                            dt.type_name(),
                            set.dtype.type_name()
                        ),
                    );
                }
                for v in verdicts {
                    if let Verdict::Jump(c) | Verdict::Goto(c) = v {
                        self.jumps.push((*c, mpos));
                    }
                }
                SetRef::Named(i)
            }
            VmapAst::Anon(elems) => {
                let mut list = Vec::new();
                let mut verdicts = Vec::new();
                for (e, v) in elems {
                    let el = elem(dt, e)?;
                    if list.contains(&el) {
                        return err(e.pos(), "this key is in the map twice");
                    }
                    let (v, jump) = resolve_verdict(self.table, v)?;
                    self.jumps.extend(jump);
                    list.push(el);
                    verdicts.push(v);
                }
                let interval = list.iter().any(elem_is_interval);
                if interval {
                    let written: Vec<(Pos, &Elem)> =
                        elems.iter().map(|(e, _)| e.pos()).zip(&list).collect();
                    if let Some(pos) = conflicting_interval(&written) {
                        return err(pos, "conflicting intervals specified");
                    }
                }
                SetRef::Anon(Box::new(SetDef {
                    name: None,
                    dtype: dt,
                    typeof_key: None,
                    interval,
                    constant: true,
                    elems: list,
                    map: Some(verdicts),
                    comment: None,
                }))
            }
        };
        self.out.push(Stmt::Vmap { key, bitwise, map });
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn build_match(
        &self,
        key: Key,
        dt: DType,
        bitwise: Option<Bitwise>,
        had_binop: bool,
        op: Option<(RelOp, Pos)>,
        rhs: &RhsAst,
        pos: Pos,
    ) -> R<Match> {
        let mk = |bitwise, op, rhs| Match {
            key,
            bitwise,
            op,
            rhs,
        };
        let eq_neq = |what: &str| -> R<Op> {
            match op {
                None | Some((RelOp::Eq, _)) => Ok(Op::Eq),
                Some((RelOp::Neq, _)) => Ok(Op::Neq),
                Some((_, p)) => err(p, format!("only `==` and `!=` compare with {what}")),
            }
        };
        match rhs {
            RhsAst::SetRef(name, spos) => {
                let i = self.named(name, *spos, "set")?;
                let set = &self.table.sets[i];
                if set.map.is_some() {
                    return err(*spos, format!("`@{name}` is a map: write `vmap @{name}`"));
                }
                if set.dtype != dt {
                    return err(
                        *spos,
                        format!(
                            "datatype mismatch: `{}` is of type {}, set `{name}` holds {} values",
                            key.text(),
                            dt.type_name(),
                            set.dtype.type_name()
                        ),
                    );
                }
                Ok(mk(bitwise, eq_neq("a set")?, Rhs::Set(SetRef::Named(i))))
            }
            RhsAst::Set(elems, _) => {
                if elems.len() == 1 {
                    return self.build_match(
                        key,
                        dt,
                        bitwise,
                        had_binop,
                        op,
                        &RhsAst::List(elems.clone()),
                        pos,
                    );
                }
                let op = eq_neq("a set")?;
                let mut list = Vec::new();
                for e in elems {
                    let el = elem(dt, e)?;
                    if !list.contains(&el) {
                        list.push(el);
                    }
                }
                let interval = list.iter().any(elem_is_interval);
                if interval {
                    list = merge_intervals(list);
                }
                Ok(mk(
                    bitwise,
                    op,
                    Rhs::Set(SetRef::Anon(Box::new(SetDef {
                        name: None,
                        dtype: dt,
                        typeof_key: None,
                        interval,
                        constant: true,
                        elems: list,
                        map: None,
                        comment: None,
                    }))),
                ))
            }
            RhsAst::Masked(vals, masks) => {
                if !dt.is_bitmask() {
                    return err(
                        vals[0].pos(),
                        format!(
                            "`value / mask` is for flags; `{}` is {}",
                            key.text(),
                            dt.a_desc()
                        ),
                    );
                }
                if bitwise.is_some() {
                    return err(pos, "`value / mask` cannot follow `&`, `|` or `^`");
                }
                let mut v = 0;
                for x in vals {
                    v |= const_num(dt, x)?;
                }
                let mut m = 0;
                for x in masks {
                    m |= const_num(dt, x)?;
                }
                Ok(mk(
                    Some((m, 0)),
                    eq_neq("a flag mask")?,
                    Rhs::Val(Val::Num(v)),
                ))
            }
            RhsAst::List(elems) => {
                if elems.len() > 1 {
                    if !dt.is_bitmask() {
                        return err(
                            elems[1].pos(),
                            format!(
                                "a comma-separated list is for flags (ct state, ct status, tcp \
                                 flags); for several values of `{}` use a set {{ }}",
                                key.text()
                            ),
                        );
                    }
                    let mut m = 0;
                    for e in elems {
                        let ElemAst::Val(v) = e else {
                            return err(e.pos(), "a flag list holds flags only");
                        };
                        m |= const_num(dt, v)?;
                    }
                    return match op {
                        None => Ok(mk(Some((m, 0)), Op::Neq, Rhs::Val(Val::Num(0)))),
                        Some((RelOp::Neg, _)) => {
                            Ok(mk(Some((m, 0)), Op::Eq, Rhs::Val(Val::Num(0))))
                        }
                        Some((RelOp::Eq, _)) => Ok(mk(bitwise, Op::Eq, Rhs::Val(Val::Num(m)))),
                        Some((RelOp::Neq, _)) => Ok(mk(bitwise, Op::Neq, Rhs::Val(Val::Num(m)))),
                        Some((_, p)) => err(
                            p,
                            "a flag list goes without an operator (any of them set), with `!` \
                             (none of them set) or with `==`/`!=` (exactly these)",
                        ),
                    };
                }
                match &elems[0] {
                    ElemAst::Val(v) => {
                        let val = const_val(dt, v)?;
                        if let Val::Str { .. } = val
                            && !matches!(op, None | Some((RelOp::Eq | RelOp::Neq, _)))
                        {
                            return err(v.pos(), "names compare only with `==` and `!=`");
                        }
                        if dt.is_bitmask() && bitwise.is_none() && !had_binop {
                            return match op {
                                None => {
                                    Ok(mk(Some((val.num(), 0)), Op::Neq, Rhs::Val(Val::Num(0))))
                                }
                                Some((RelOp::Neg, _)) => {
                                    Ok(mk(Some((val.num(), 0)), Op::Eq, Rhs::Val(Val::Num(0))))
                                }
                                Some((o, _)) => Ok(mk(None, rel(o), Rhs::Val(val))),
                            };
                        }
                        match op {
                            None => Ok(mk(bitwise, Op::Eq, Rhs::Val(val))),
                            Some((RelOp::Neg, p)) => {
                                if dt.is_bitmask() {
                                    Ok(mk(bitwise, Op::Eq, Rhs::Val(Val::Num(0))))
                                } else {
                                    err(
                                        p,
                                        format!(
                                            "`!` is for flags; `{}` is {}",
                                            key.text(),
                                            dt.a_desc()
                                        ),
                                    )
                                }
                            }
                            Some((o, _)) => Ok(mk(bitwise, rel(o), Rhs::Val(val))),
                        }
                    }
                    ElemAst::Range(lo, hi) => {
                        if dt.is_string() {
                            return err(lo.pos(), "ranges of names are not supported");
                        }
                        let (a, b) = (const_num(dt, lo)?, const_num(dt, hi)?);
                        if a > b {
                            return err(lo.pos(), "Range has zero or negative size");
                        }
                        Ok(mk(bitwise, eq_neq("a range")?, Rhs::Range(a, b)))
                    }
                    ElemAst::Prefix(v, len) => {
                        if dt.is_bitmask() {
                            let val = const_num(dt, v)?;
                            let m = const_num(dt, len)?;
                            return Ok(mk(
                                Some((m, 0)),
                                eq_neq("a flag mask")?,
                                Rhs::Val(Val::Num(val)),
                            ));
                        }
                        if bitwise.is_some() {
                            return err(v.pos(), "a prefix cannot follow `&`, `|` or `^`");
                        }
                        let (net, mask) = prefix(dt, v, len)?;
                        let op = eq_neq("a prefix")?;
                        if mask == dt.max() {
                            Ok(mk(None, op, Rhs::Val(Val::Num(net))))
                        } else {
                            Ok(mk(Some((mask, 0)), op, Rhs::Val(Val::Num(net))))
                        }
                    }
                }
            }
        }
    }
}

fn rel(o: RelOp) -> Op {
    match o {
        RelOp::Eq | RelOp::Neg => Op::Eq,
        RelOp::Neq => Op::Neq,
        RelOp::Lt => Op::Lt,
        RelOp::Gt => Op::Gt,
        RelOp::Lte => Op::Lte,
        RelOp::Gte => Op::Gte,
    }
}

const ICMP_CODES: &[(&str, u8)] = &[
    ("net-unreachable", 0),
    ("host-unreachable", 1),
    ("prot-unreachable", 2),
    ("port-unreachable", 3),
    ("net-prohibited", 9),
    ("host-prohibited", 10),
    ("admin-prohibited", 13),
];

const ICMPV6_CODES: &[(&str, u8)] = &[
    ("no-route", 0),
    ("admin-prohibited", 1),
    ("addr-unreachable", 3),
    ("port-unreachable", 4),
    ("policy-fail", 5),
    ("reject-route", 6),
];

const ICMPX_CODES: &[(&str, u8)] = &[
    ("port-unreachable", 1),
    ("admin-prohibited", 3),
    ("no-route", 0),
    ("host-unreachable", 2),
];

pub(crate) fn reject_code_name(kind: &str, code: u8) -> String {
    let tbl = match kind {
        "icmp" => ICMP_CODES,
        "icmpv6" => ICMPV6_CODES,
        _ => ICMPX_CODES,
    };
    tbl.iter()
        .find(|(_, c)| *c == code)
        .map(|(n, _)| n.to_string())
        .unwrap_or_else(|| code.to_string())
}

fn reject_code(tbl: &[(&str, u8)], v: &ValAst, kind: &str) -> R<u8> {
    let ValAst::Sym { text, kind: k, pos } = v else {
        return err(v.pos(), "expected a reject code");
    };
    let code = match k {
        SymKind::Number => super::types::parse_number(text)
            .and_then(|n| u8::try_from(n).ok())
            .ok_or_else(|| Error {
                pos: *pos,
                message: format!("`{text}` is not a valid {kind} code"),
            })?,
        _ => match tbl.iter().find(|(n, _)| n == text) {
            Some((_, c)) => *c,
            None => {
                let names: Vec<&str> = tbl.iter().map(|(n, _)| *n).collect();
                return err(
                    *pos,
                    format!(
                        "`{text}` is not a reject code ctrack can report for {kind} ({})",
                        names.join(", ")
                    ),
                );
            }
        },
    };
    if !tbl.iter().any(|(_, c)| *c == code) {
        return err(
            *pos,
            format!("{kind} code {code} is not one ctrack can report"),
        );
    }
    Ok(code)
}

/// An anonymous interval set's elements as the kernel stores them:
/// overlapping and adjacent numeric intervals joined (nft
/// `set_to_intervals()`); names are kept as they are.
fn merge_intervals(list: Vec<Elem>) -> Vec<Elem> {
    let mut nums: Vec<(u128, u128)> = Vec::new();
    let mut others = Vec::new();
    for e in list {
        match e {
            Elem::Range(a, b) => nums.push((a, b)),
            Elem::One(Val::Num(n)) => nums.push((n, n)),
            other => others.push(other),
        }
    }
    nums.sort();
    let mut merged: Vec<(u128, u128)> = Vec::new();
    for (a, b) in nums {
        match merged.last_mut() {
            Some((_, hi)) if a <= hi.saturating_add(1) => *hi = (*hi).max(b),
            _ => merged.push((a, b)),
        }
    }
    let mut out: Vec<Elem> = merged
        .into_iter()
        .map(|(a, b)| {
            if a == b {
                Elem::One(Val::Num(a))
            } else {
                Elem::Range(a, b)
            }
        })
        .collect();
    // Names: the kernel holds a name as the 16-byte interval of itself, a
    // wildcard as the interval of every name it starts; a name inside
    // another's interval disappears into it.
    let span = |v: &Val| -> (u128, u128) {
        let Val::Str { bytes, wildcard } = v else {
            return (0, 0);
        };
        let mut lo = [0u8; 16];
        lo[..bytes.len()].copy_from_slice(bytes);
        let mut hi = lo;
        if *wildcard {
            hi[bytes.len()..].fill(0xff);
        }
        (u128::from_be_bytes(lo), u128::from_be_bytes(hi))
    };
    let spans: Vec<(u128, u128)> = others
        .iter()
        .map(|e| match e {
            Elem::One(v) => span(v),
            Elem::Range(a, b) => (*a, *b),
        })
        .collect();
    for (i, e) in others.iter().enumerate() {
        let (a, b) = spans[i];
        let inside = spans
            .iter()
            .enumerate()
            .any(|(j, &(c, d))| j != i && c <= a && b <= d && ((c, d) != (a, b) || j < i));
        if !inside {
            out.push(e.clone());
        }
    }
    out
}

/// One payload match nft may merge with its neighbours.
struct Cand {
    stmt: usize,
    base: usize,
    offset: usize,
    len: usize,
    neq: bool,
    proto: bool,
    parts: Vec<(PField, u128)>,
}

fn cand(i: usize, s: &Stmt) -> Option<Cand> {
    match s {
        Stmt::Match(Match {
            key: Key::Payload(f),
            bitwise: None,
            op: op @ (Op::Eq | Op::Neq),
            rhs: Rhs::Val(Val::Num(v)),
        }) => Some(Cand {
            stmt: i,
            base: f.base(),
            offset: f.offset(),
            len: f.len(),
            neq: *op == Op::Neq,
            proto: f.is_protocol(),
            parts: vec![(*f, *v)],
        }),
        _ => None,
    }
}

/// nft's `payload_can_merge()`: adjacent, within a register, and either
/// still 4 bytes at most or already longer.
fn can_merge(a: &Cand, b: &Cand) -> bool {
    if a.base != b.base || a.offset + a.len != b.offset {
        return false;
    }
    let total = a.len + b.len;
    if total > 16 {
        return false;
    }
    total <= 4 || a.base == BASE_LL || a.len > 4 || b.len > 4
}

/// nft 1.0.6's `payload_try_merge()`: collect the payload `==`/`!=`
/// matches of a rule; at each other statement merge what was collected if
/// there are two or more (fewer stay collected, so matches merge across a
/// counter); merging sorts by offset, joins adjacent fields with the same
/// operator into the statement of the first (or of the protocol field)
/// and removes the other.
fn payload_try_merge(stmts: &mut Vec<Stmt>) {
    let mut remove = vec![false; stmts.len()];
    let mut replace: Vec<(usize, Stmt)> = Vec::new();
    let mut sa: Vec<Cand> = Vec::new();
    let do_merge =
        |sa: &mut Vec<Cand>, remove: &mut Vec<bool>, replace: &mut Vec<(usize, Stmt)>| {
            sa.sort_by_key(|c| (c.base, c.offset));
            let mut it = std::mem::take(sa).into_iter();
            let Some(mut last) = it.next() else { return };
            let flush = |c: Cand, replace: &mut Vec<(usize, Stmt)>| {
                if c.parts.len() > 1 {
                    replace.push((
                        c.stmt,
                        Stmt::Merged {
                            neq: c.neq,
                            parts: c.parts,
                        },
                    ));
                }
            };
            for this in it {
                if !can_merge(&last, &this) || last.neq != this.neq {
                    flush(std::mem::replace(&mut last, this), replace);
                    continue;
                }
                let mut parts = last.parts;
                parts.extend(this.parts);
                let (keep, gone, proto) = if this.proto {
                    (this.stmt, last.stmt, true)
                } else {
                    (last.stmt, this.stmt, false)
                };
                remove[gone] = true;
                last = Cand {
                    stmt: keep,
                    base: last.base,
                    offset: last.offset,
                    len: last.len + this.len,
                    neq: last.neq,
                    proto,
                    parts,
                };
            }
            flush(last, replace);
        };
    for (i, s) in stmts.iter().enumerate() {
        match s {
            Stmt::Match(_) => {
                if let Some(c) = cand(i, s) {
                    sa.push(c);
                }
            }
            _ => {
                if sa.len() >= 2 {
                    do_merge(&mut sa, &mut remove, &mut replace);
                }
            }
        }
    }
    if sa.len() > 1 {
        do_merge(&mut sa, &mut remove, &mut replace);
    }
    for (i, s) in replace {
        stmts[i] = s;
    }
    let mut i = 0;
    stmts.retain(|_| {
        i += 1;
        !remove[i - 1]
    });
}

/// From every base chain: no loop and at most 16 nested jumps (the
/// kernel's `nft_chain_validate`); errors point at the jump that closes
/// the loop or goes too deep.
fn check_jumps(t: &Table, edges: &[(usize, usize, Pos)]) -> R<()> {
    fn walk(t: &Table, edges: &[(usize, usize, Pos)], c: usize, stack: &mut Vec<usize>) -> R<()> {
        stack.push(c);
        for &(from, to, pos) in edges {
            if from != c {
                continue;
            }
            if stack.contains(&to) {
                let mut path: Vec<&str> =
                    stack.iter().map(|&i| t.chains[i].name.as_str()).collect();
                path.push(&t.chains[to].name);
                return err(
                    pos,
                    format!(
                        "this jump makes a loop ({}): the kernel refuses it",
                        path.join(" -> ")
                    ),
                );
            }
            if stack.len() >= 17 {
                return err(pos, "jumps nest deeper than the kernel's 16 levels");
            }
            walk(t, edges, to, stack)?;
        }
        stack.pop();
        Ok(())
    }
    for (i, c) in t.chains.iter().enumerate() {
        if c.base.is_some() {
            walk(t, edges, i, &mut Vec::new())?;
        }
    }
    Ok(())
}
