//! The ruleset as `nft list ruleset` (nftables 1.0.6) prints it: what
//! `src/netlink_delinearize.c` makes of the kernel's expressions (implicit
//! dependencies dropped again, masks shown as flag lists, `value / mask`
//! or prefixes, bitwise operations re-folded) and how `src/rule.c`,
//! `src/expression.c`, `src/statement.c` and `src/ct.c` lay them out: tabs,
//! blank lines between a table's objects, sets and chains, the standard
//! priority names, set elements sorted and wrapped.

use super::eval::reject_code_name;
use super::ir::*;
use super::parse::{LOG_IPOPT, LOG_MACDECODE, LOG_MASK, LOG_TCPOPT, LOG_TCPSEQ, LOG_UID};
use super::types::{DType, Val};
use crate::model::{Hook, priority};
use core::fmt::Write;

/// The whole ruleset; `stateless` leaves counter values out (`nft -s`).
pub(crate) fn ruleset(tables: &[Table], stateless: bool) -> String {
    let mut out = String::new();
    for t in tables {
        table(&mut out, t, stateless);
    }
    out
}

fn table(out: &mut String, t: &Table, stateless: bool) {
    let _ = writeln!(out, "table {} {} {{", t.family.name(), t.name);
    if let Some(c) = &t.comment {
        let _ = writeln!(out, "\tcomment \"{c}\"");
    }
    let mut delim = "";
    for h in &t.helpers {
        out.push_str(delim);
        let l3 = match (h.v4, h.v6) {
            (true, true) => "inet",
            (false, true) => "ip6",
            _ => "ip",
        };
        let proto = if h.l4proto == 6 { "tcp" } else { "udp" };
        let _ = write!(
            out,
            "\tct helper {} {{\n\t\ttype \"{}\" protocol {proto}\n\t\tl3proto {l3}\n\t}}\n",
            h.name, h.helper
        );
        delim = "\n";
    }
    for s in &t.sets {
        out.push_str(delim);
        set_decl(out, t, s);
        delim = "\n";
    }
    for c in &t.chains {
        out.push_str(delim);
        chain(out, t, c, stateless);
        delim = "\n";
    }
    out.push_str("}\n");
}

fn set_decl(out: &mut String, t: &Table, s: &SetDef) {
    let (kind, data) = if s.map.is_some() {
        ("map", " : verdict")
    } else {
        ("set", "")
    };
    let _ = writeln!(out, "\t{kind} {} {{", s.name.as_deref().unwrap_or(""));
    match s.typeof_key {
        Some(k) => {
            let _ = writeln!(out, "\t\ttypeof {}{data}", k.text());
        }
        None => {
            let _ = writeln!(out, "\t\ttype {}{data}", s.dtype.type_name());
        }
    }
    if s.constant || s.interval {
        let mut flags = Vec::new();
        if s.constant {
            flags.push("constant");
        }
        if s.interval {
            flags.push("interval");
        }
        let _ = writeln!(out, "\t\tflags {}", flags.join(","));
    }
    if let Some(c) = &s.comment {
        let _ = writeln!(out, "\t\tcomment \"{c}\"");
    }
    if !s.elems.is_empty() {
        let _ = writeln!(out, "\t\telements = {}", set_elems_in(t, s));
    }
    out.push_str("\t}\n");
}

/// `prio2str()`: a standard priority name within 10 of the value, if the
/// name fits the hook (nft 1.0.6 names dstnat only on prerouting and
/// srcnat only on postrouting), else the number.
pub(crate) fn prio_text(hook: Hook, prio: i32) -> String {
    let std: [(i32, &str); 6] = [
        (priority::RAW, "raw"),
        (priority::MANGLE, "mangle"),
        (priority::NAT_DST, "dstnat"),
        (priority::FILTER, "filter"),
        (priority::SECURITY, "security"),
        (priority::NAT_SRC, "srcnat"),
    ];
    for (v, name) in std {
        let off = i64::from(prio) - i64::from(v);
        if off.abs() <= 10 {
            let compat = match name {
                "dstnat" => hook == Hook::Prerouting,
                "srcnat" => hook == Hook::Postrouting,
                _ => true,
            };
            if !compat {
                break;
            }
            return match off.cmp(&0) {
                core::cmp::Ordering::Greater => format!("{name} + {off}"),
                core::cmp::Ordering::Less => format!("{name} - {}", -off),
                core::cmp::Ordering::Equal => name.to_string(),
            };
        }
    }
    prio.to_string()
}

fn chain(out: &mut String, t: &Table, c: &Chain, stateless: bool) {
    let _ = write!(out, "\tchain {} {{", c.name);
    if let Some(cm) = &c.comment {
        let _ = write!(out, "\n\t\tcomment \"{cm}\"");
    }
    out.push('\n');
    if let Some(b) = &c.base {
        let _ = writeln!(
            out,
            "\t\ttype {} hook {} priority {}; policy {};",
            b.typ,
            b.hook.nft_name(),
            prio_text(b.hook, b.prio),
            if b.policy_drop { "drop" } else { "accept" }
        );
    }
    for r in &c.rules {
        let _ = writeln!(out, "\t\t{}", rule_text(t, r, stateless));
    }
    out.push_str("\t}\n");
}

/// What the listing shows one by one: statements, with merged payload
/// matches split back into their fields.
enum Item<'a> {
    Stmt(&'a Stmt),
    Part { f: PField, v: u128, neq: bool },
}

/// A dependency the listing may drop: (item, is a network-header payload
/// protocol match, nfproto value for `meta nfproto`).
fn is_network_payload_dep(it: &Item<'_>) -> bool {
    match it {
        Item::Part { f, .. } => f.base() == BASE_NETWORK,
        Item::Stmt(Stmt::Match(m)) => {
            matches!(m.key, Key::Payload(f) if f.base() == BASE_NETWORK)
        }
        _ => false,
    }
}

fn meta_value(it: &Item<'_>, key: Key) -> Option<u8> {
    match it {
        Item::Stmt(Stmt::Match(Match {
            key: k,
            rhs: Rhs::Val(Val::Num(v)),
            ..
        })) if *k == key => Some(*v as u8),
        _ => None,
    }
}

/// `meta_may_dependency_kill()`: whether `meta l4proto X` (or `ct
/// protocol`) makes the `meta nfproto` before it redundant.
fn meta_may_kill(dep: &Item<'_>, family: Family, m: &Match) -> bool {
    let Some(nfproto) = meta_value(dep, Key::Meta(MetaKey::Nfproto)) else {
        return true;
    };
    match family {
        Family::Ip => return nfproto == NFPROTO_IPV4,
        Family::Ip6 => return nfproto == NFPROTO_IPV6,
        Family::Inet => {}
    }
    if m.key != Key::Meta(MetaKey::L4proto) {
        return true;
    }
    let l4 = match m.rhs {
        Rhs::Val(Val::Num(v)) => v as u8,
        _ => return true,
    };
    match l4 {
        1 => nfproto != NFPROTO_IPV6,
        58 => nfproto != NFPROTO_IPV4,
        _ => false,
    }
}

/// `rule_parse_postprocess()`'s dependency bookkeeping: which items the
/// listing leaves out.
fn dropped(items: &[Item<'_>], family: Family) -> Vec<bool> {
    let mut gone = vec![false; items.len()];
    let mut pdeps: [Option<usize>; 4] = [None; 4];
    let kill = |pdeps: &mut [Option<usize>; 4], gone: &mut Vec<bool>, base: usize| {
        if let Some(d) = pdeps[base] {
            // In inet tables `ip protocol`/`ip6 nexthdr` also restrict the
            // IP version: a transport match does not make them redundant.
            let keep = family == Family::Inet
                && base == BASE_TRANSPORT
                && is_network_payload_dep(&items[d]);
            if !keep {
                gone[d] = true;
                pdeps[base] = None;
            }
        }
    };
    for (i, it) in items.iter().enumerate() {
        match it {
            Item::Part { f, neq, .. } => {
                kill(&mut pdeps, &mut gone, f.base());
                if !neq && f.is_protocol() {
                    pdeps[f.base() + 1] = Some(i);
                }
            }
            Item::Stmt(Stmt::Match(m)) => match m.key {
                Key::Payload(f) => {
                    kill(&mut pdeps, &mut gone, f.base());
                    if m.op == Op::Eq
                        && m.bitwise.is_none()
                        && matches!(m.rhs, Rhs::Val(_))
                        && f.is_protocol()
                    {
                        pdeps[f.base() + 1] = Some(i);
                    }
                }
                _ => {
                    let base = m.key.meta_base();
                    if base > 0
                        && m.op == Op::Eq
                        && m.bitwise.is_none()
                        && matches!(m.rhs, Rhs::Val(_))
                    {
                        if let Some(d) = pdeps[base]
                            && meta_may_kill(&items[d], family, m)
                        {
                            gone[d] = true;
                            pdeps[base] = None;
                        }
                        pdeps[base + 1] = Some(i);
                    }
                }
            },
            Item::Stmt(Stmt::Vmap {
                key: Key::Payload(f),
                ..
            }) => {
                // The map's key is a payload field: its protocol
                // dependency goes as for a match.
                kill(&mut pdeps, &mut gone, f.base());
                pdeps = [None; 4];
            }
            Item::Stmt(s) => {
                if let Stmt::Reject(k) = s {
                    match family {
                        Family::Ip | Family::Ip6 => {
                            if *k == RejectKind::TcpReset
                                && let Some(d) = pdeps[BASE_TRANSPORT]
                            {
                                gone[d] = true;
                            }
                        }
                        Family::Inet => {
                            if !matches!(k, RejectKind::Icmpx(_))
                                && let Some(d) = pdeps[BASE_NETWORK]
                            {
                                gone[d] = true;
                            }
                        }
                    }
                }
                pdeps = [None; 4];
            }
        }
    }
    gone
}

/// A rule as nft prints it; `stateless` without counter values.
pub(crate) fn rule_text(t: &Table, r: &Rule, stateless: bool) -> String {
    let mut items = Vec::new();
    for s in &r.stmts {
        match s {
            Stmt::Merged { neq, parts } => {
                for (f, v) in parts {
                    items.push(Item::Part {
                        f: *f,
                        v: *v,
                        neq: *neq,
                    });
                }
            }
            other => items.push(Item::Stmt(other)),
        }
    }
    let gone = dropped(&items, t.family);
    let mut words: Vec<String> = Vec::new();
    for (it, g) in items.iter().zip(gone) {
        if g {
            continue;
        }
        words.push(match it {
            Item::Part { f, v, neq } => {
                let k = Key::Payload(*f);
                format!(
                    "{}{}{}",
                    k.text(),
                    if *neq { " != " } else { " " },
                    k.dtype().print_num(*v, true)
                )
            }
            Item::Stmt(s) => stmt_text(t, s, stateless),
        });
    }
    let mut text = words.join(" ");
    if let Some(c) = &r.comment {
        let _ = write!(text, " comment \"{c}\"");
    }
    text
}

fn stmt_text(t: &Table, s: &Stmt, stateless: bool) -> String {
    match s {
        Stmt::Match(m) => match_text(t, m),
        Stmt::Merged { .. } => unreachable!("split into parts"),
        Stmt::Counter { packets, bytes } => {
            if stateless {
                "counter".into()
            } else {
                format!("counter packets {packets} bytes {bytes}")
            }
        }
        Stmt::Log(l) => {
            let mut o = String::from("log");
            if let Some(p) = &l.prefix {
                let _ = write!(o, " prefix \"{p}\"");
            }
            if let Some(g) = l.group {
                let _ = write!(o, " group {g}");
            }
            if let Some(s) = l.snaplen {
                let _ = write!(o, " snaplen {s}");
            }
            if let Some(q) = l.qthreshold {
                let _ = write!(o, " queue-threshold {q}");
            }
            if let Some((lvl, _)) = &l.level
                && lvl != "warn"
            {
                let _ = write!(o, " level {lvl}");
            }
            let f = l.flags;
            if f & LOG_MASK == LOG_MASK {
                o.push_str(" flags all");
            } else {
                if f & (LOG_TCPSEQ | LOG_TCPOPT) != 0 {
                    o.push_str(" flags tcp");
                    let mut delim = " ";
                    if f & LOG_TCPSEQ != 0 {
                        o.push_str(" sequence");
                        delim = ",";
                    }
                    if f & LOG_TCPOPT != 0 {
                        let _ = write!(o, "{delim}options");
                    }
                }
                if f & LOG_IPOPT != 0 {
                    o.push_str(" flags ip options");
                }
                if f & LOG_UID != 0 {
                    o.push_str(" flags skuid");
                }
                if f & LOG_MACDECODE != 0 {
                    o.push_str(" flags ether");
                }
            }
            o
        }
        Stmt::MetaMarkSet(v) => format!("meta mark set {}", setval_text(v)),
        Stmt::CtMarkSet(v) => format!("ct mark set {}", setval_text(v)),
        Stmt::CtZoneSet(z) => format!("ct zone set {z}"),
        Stmt::CtHelperSet(i) => format!("ct helper set \"{}\"", t.helpers[*i].name),
        Stmt::Notrack => "notrack".into(),
        Stmt::Reject(k) => match *k {
            RejectKind::TcpReset => "reject with tcp reset".into(),
            RejectKind::Icmpx(1) => "reject".into(),
            RejectKind::Icmpx(c) => format!("reject with icmpx {}", reject_code_name("icmpx", c)),
            RejectKind::Icmp { v6, code } => {
                let verbose = t.family == Family::Inet;
                let port = if v6 { 4 } else { 3 };
                if !verbose && code == port {
                    "reject".into()
                } else {
                    let kind = if v6 { "icmpv6" } else { "icmp" };
                    format!("reject with {kind} {}", reject_code_name(kind, code))
                }
            }
        },
        Stmt::Verdict(v) => verdict_text(t, *v),
        Stmt::Vmap { key, bitwise, map } => {
            let dt = key.dtype();
            let parts = bitwise
                .map(|(mask, xor)| bitwise_parts(mask, xor, dt.max()))
                .filter(|p| *p != (None, None, None));
            let lhs = match parts {
                Some((and, xor, or)) => binop_text(*key, and, xor, or),
                None => key.text(),
            };
            format!("{lhs} vmap {}", set_ref_text(t, map))
        }
    }
}

fn verdict_text(t: &Table, v: Verdict) -> String {
    match v {
        Verdict::Accept => "accept".into(),
        Verdict::Drop => "drop".into(),
        Verdict::Continue => "continue".into(),
        Verdict::Return => "return".into(),
        Verdict::Jump(c) => format!("jump {}", t.chains[c].name),
        Verdict::Goto(c) => format!("goto {}", t.chains[c].name),
    }
}

/// `netlink_parse_bitwise_bool()`: `(x & mask) ^ xor` as nft shows it:
/// an AND, an XOR and an OR part (each absent when neutral).
fn bitwise_parts(mask: u128, xor: u128, max: u128) -> (Option<u128>, Option<u128>, Option<u128>) {
    let (mut m, mut x, mut o) = (mask & max, xor & max, 0u128);
    if m != max || x != 0 {
        o = (m & x) ^ x;
        x &= m;
        m |= o;
    }
    (
        (m != max).then_some(m),
        (x != 0).then_some(x),
        (o != 0).then_some(o),
    )
}

/// A value inside a binary operation (a multi-bit flag value is itself an
/// OR, parenthesised under `&` and `^`).
fn operand(dt: DType, n: u128, op_prec: u8) -> String {
    let s = dt.print_num(n, true);
    if dt.is_bitmask() && n.count_ones() > 1 && op_prec < 4 {
        format!("({s})")
    } else {
        s
    }
}

fn binop_text(key: Key, and: Option<u128>, xor: Option<u128>, or: Option<u128>) -> String {
    let dt = key.dtype();
    let mut s = key.text();
    if let Some(m) = and {
        let _ = write!(s, " & {}", operand(dt, m, 2));
    }
    if let Some(x) = xor {
        let _ = write!(s, " ^ {}", operand(dt, x, 3));
    }
    if let Some(o) = or {
        let _ = write!(s, " | {}", operand(dt, o, 4));
    }
    s
}

fn setval_text(v: &SetVal) -> String {
    match v {
        SetVal::Const(c) => DType::Mark.print_num(u128::from(*c), true),
        SetVal::Load { key, bitwise } => match bitwise {
            None => key.text(),
            Some((m, x)) => {
                let (a, b, c) = bitwise_parts(*m, *x, key.dtype().max());
                binop_text(*key, a, b, c)
            }
        },
    }
}

/// A mask of contiguous high bits: its length (`expr_mask_is_prefix`).
fn prefix_len(mask: u128, bits: u32) -> Option<u32> {
    if mask == 0 {
        return Some(0);
    }
    let n1 = mask.trailing_zeros();
    let ones = (mask >> n1).trailing_ones();
    (n1 + ones >= bits).then_some(bits - n1)
}

fn neq_prefix(op: Op) -> &'static str {
    if op == Op::Neq { "!= " } else { "" }
}

fn match_text(t: &Table, m: &Match) -> String {
    let dt = m.key.dtype();
    let k = m.key.text();
    let parts = m
        .bitwise
        .map(|(mask, xor)| bitwise_parts(mask, xor, dt.max()))
        .filter(|p| *p != (None, None, None));
    let Some((and, xor, or)) = parts else {
        return match &m.rhs {
            Rhs::Val(v) => {
                // A flag value of several bits is printed `a | b` (no
                // longer a plain value, so without `==`), except for
                // payload fields, which keep the number (`0x12`).
                let payload = matches!(m.key, Key::Payload(_));
                let (text, value_like) = match v {
                    Val::Num(n) if dt.is_bitmask() && n.count_ones() > 1 && payload => {
                        (format!("0x{n:x}"), true)
                    }
                    Val::Num(n) if dt.is_bitmask() => (dt.print_num(*n, true), n.count_ones() <= 1),
                    _ => (dt.print(v, true), false),
                };
                let op = match m.op {
                    Op::Eq if dt.is_bitmask() && value_like => " == ".to_string(),
                    Op::Eq => " ".to_string(),
                    o => format!(" {} ", o.symbol()),
                };
                format!("{k}{op}{text}")
            }
            Rhs::Range(a, b) => format!(
                "{k} {}{}-{}",
                neq_prefix(m.op),
                dt.print_num(*a, false),
                dt.print_num(*b, false)
            ),
            Rhs::Set(r) => format!("{k} {}{}", neq_prefix(m.op), set_ref_text(t, r)),
        };
    };
    if let (Some(mask), None, None, Rhs::Val(Val::Num(v))) = (and, xor, or, &m.rhs)
        && matches!(m.op, Op::Eq | Op::Neq)
    {
        let v = *v;
        if dt.is_bitmask() {
            if v == 0 {
                return if m.op == Op::Neq {
                    format!("{k} {}", dt.print_flag_list(mask))
                } else {
                    format!("{k} ! {}", dt.print_flag_list(mask))
                };
            }
            if !(mask.count_ones() <= 1 && v.count_ones() <= 1 && v == mask) {
                return format!(
                    "{k} {}{} / {}",
                    neq_prefix(m.op),
                    dt.print_flag_list(v),
                    dt.print_flag_list(mask)
                );
            }
        } else if dt.prefix_capable()
            && let Some(len) = prefix_len(mask, dt.bits())
        {
            return format!("{k} {}{}/{len}", neq_prefix(m.op), dt.print_num(v, true));
        }
    }
    let lhs = binop_text(m.key, and, xor, or);
    let rhs = match &m.rhs {
        Rhs::Val(v) => dt.print(v, true),
        Rhs::Range(a, b) => format!("{}-{}", dt.print_num(*a, false), dt.print_num(*b, false)),
        Rhs::Set(r) => set_ref_text(t, r),
    };
    format!("{lhs} {} {rhs}", m.op.symbol())
}

fn set_ref_text(t: &Table, r: &SetRef) -> String {
    match r {
        SetRef::Named(i) => format!("@{}", t.sets[*i].name.as_deref().unwrap_or("")),
        SetRef::Anon(s) => set_elems_in(t, s),
    }
}

/// The order nft lists elements in: by value, interval sets as the kernel
/// keeps them (big endian, names byte by byte), others as nft's merge sort
/// compares the values (host-order keys as numbers of their bytes read
/// little-endian, a flag combination by its lowest flag).
fn sort_key(s: &SetDef, e: &Elem) -> (u128, Vec<u8>) {
    match e {
        Elem::Range(a, _) => (*a, Vec::new()),
        Elem::One(Val::Num(n)) => {
            if s.dtype.is_bitmask() && !s.interval && *n != 0 {
                (1u128 << n.trailing_zeros(), Vec::new())
            } else {
                (*n, Vec::new())
            }
        }
        Elem::One(Val::Str { bytes, .. }) => {
            let mut padded = bytes.clone();
            padded.resize(16, 0);
            if !s.interval {
                padded.reverse();
            }
            (0, padded)
        }
    }
}

fn elem_text(s: &SetDef, e: &Elem) -> String {
    let dt = s.dtype;
    match e {
        // Names in sets are printed as stored: a literal `*` is not
        // escaped (nft only escapes it in rules).
        Elem::One(Val::Str { bytes, wildcard }) => format!(
            "\"{}{}\"",
            String::from_utf8_lossy(bytes),
            if *wildcard { "*" } else { "" }
        ),
        Elem::One(v) => dt.print(v, true),
        Elem::Range(a, b) if a == b => dt.print_num(*a, true),
        Elem::Range(a, b) => {
            let span = b - a;
            if dt.prefix_capable() && span.checked_add(1).is_none_or(|n| n.is_power_of_two()) {
                let host = if span == u128::MAX {
                    128
                } else {
                    (span + 1).trailing_zeros()
                };
                if a & span == 0 && host <= dt.bits() {
                    return format!("{}/{}", dt.print_num(*a, true), dt.bits() - host);
                }
            }
            format!("{}-{}", dt.print_num(*a, false), dt.print_num(*b, false))
        }
    }
}

/// `calculate_delim()`: anonymous sets on one line; named sets wrap after
/// 5 small values, 2 IPv4 addresses or conntrack states, or every
/// element of the other types.
fn per_line(s: &SetDef) -> usize {
    if s.name.is_none() {
        return usize::MAX;
    }
    match s.dtype {
        DType::NfProto
        | DType::Integer(_)
        | DType::InetProto
        | DType::InetService
        | DType::TcpFlag
        | DType::Mark
        | DType::CtDir => 5,
        DType::Ipv4 | DType::CtState | DType::CtStatus => 2,
        _ => 1,
    }
}

/// The elements as nft lists them, with a map's verdicts (which name the
/// table's chains).
fn set_elems_in(t: &Table, s: &SetDef) -> String {
    let data = |i: usize| {
        s.map
            .as_ref()
            .and_then(|m| m.get(i))
            .map(|v| verdict_text(t, *v))
    };
    let mut elems: Vec<(usize, &Elem)> = s.elems.iter().enumerate().collect();
    elems.sort_by_key(|(_, e)| sort_key(s, e));
    let n = per_line(s);
    let mut out = String::from("{ ");
    let mut count = 0usize;
    for (i, (idx, e)) in elems.iter().enumerate() {
        if i > 0 {
            if count < n {
                out.push_str(", ");
            } else {
                out.push_str(",\n\t\t\t     ");
                count = 0;
            }
        }
        out.push_str(&elem_text(s, e));
        if let Some(d) = data(*idx) {
            out.push_str(" : ");
            out.push_str(&d);
        }
        count += 1;
    }
    out.push_str(" }");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_by_name() {
        assert_eq!(prio_text(Hook::Forward, 0), "filter");
        assert_eq!(prio_text(Hook::Forward, 5), "filter + 5");
        assert_eq!(prio_text(Hook::Forward, -5), "filter - 5");
        assert_eq!(prio_text(Hook::Prerouting, -310), "raw - 10");
        assert_eq!(prio_text(Hook::Prerouting, -289), "-289");
        assert_eq!(prio_text(Hook::Prerouting, -450), "-450");
        assert_eq!(prio_text(Hook::Prerouting, -100), "dstnat");
        assert_eq!(prio_text(Hook::Output, -100), "-100");
        assert_eq!(prio_text(Hook::Postrouting, 100), "srcnat");
        assert_eq!(prio_text(Hook::Input, 100), "100");
        assert_eq!(prio_text(Hook::Input, 55), "security + 5");
        assert_eq!(prio_text(Hook::Input, -200), "-200");
    }

    #[test]
    fn bitwise_refolding() {
        let max = u128::from(u32::MAX);
        // `| 1` is stored as `& 0xfffffffe ^ 1`.
        assert_eq!(bitwise_parts(0xffff_fffe, 1, max), (None, None, Some(1)));
        // `& 0xff | 0x100`.
        assert_eq!(
            bitwise_parts(0xff, 0x100, max),
            (Some(0x1ff), None, Some(0x100))
        );
        assert_eq!(bitwise_parts(0xff, 0, max), (Some(0xff), None, None));
        assert_eq!(prefix_len(0xffff_0000, 32), Some(16));
        assert_eq!(prefix_len(0xff, 32), None);
    }
}
