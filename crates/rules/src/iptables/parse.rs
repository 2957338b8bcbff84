//! `iptables-restore`'s reading of a file (`xtables-restore.c`) and of
//! each rule line (`do_parse()` in `xshared.c`, glibc `getopt_long()`):
//!
//! - `*TABLE` opens a table (raw, mangle, filter, nat, security; a second
//!   section of the same table replaces the first, as the restore flushes
//!   it), `COMMIT` alone on its line closes it, `#` at the start of a line
//!   is a comment, an empty line is skipped.
//! - `:CHAIN POLICY [packets:bytes]`: a built-in chain's policy (ACCEPT or
//!   DROP) and counters, or a user chain (policy `-`).
//! - `-N CHAIN` / `-P CHAIN POLICY`: as the `:CHAIN` line.
//! - `[packets:bytes] -A CHAIN ...` / `-I CHAIN [N] ...`: a rule. Options
//!   come in any order, long ones may be abbreviated to a unique prefix or
//!   written `--opt=value`, short ones clustered (`-ptcp`); `!` before an
//!   option inverts it; `-p tcp` loads the `tcp` match for an option it
//!   does not otherwise know (as iptables does); each `-m` adds its
//!   options, the newest first. `-s`/`-d` lists expand to one rule per
//!   address pair. `-4`/`-6` keep or skip the rule by family, `-c P B`
//!   sets its counters.
//!
//! Everything else is an error with iptables' message where it has one,
//! and the checks the kernel makes when the rules are committed (table of
//! REJECT/CT/NOTRACK, `tcp-reset` without `-p tcp`, CT helpers, jumps to
//! built-in chains, jump loops and more than 15 nested jumps) are made
//! here too.

use super::lexer::{self, Line, Tok};
use super::matches::{Ctx, Match, OptDef};
use super::targets::{self, Ext, Target};
use super::values;
use super::{Chain, Counters, IpSpec, Policy, Rule, Table, TableKind};
use crate::model::ParseError;
use ctrack_core::tuple::Family;

/// `NFT_JUMP_STACK_SIZE`: a chain may be reached through at most 15
/// nested jumps or gotos.
const JUMP_STACK: usize = 16;

struct Err1 {
    line: usize,
    col: usize,
    message: String,
}

type R<T> = Result<T, Err1>;

fn err<T>(line: usize, col: usize, message: impl Into<String>) -> R<T> {
    Err(Err1 {
        line,
        col,
        message: message.into(),
    })
}

fn at<T>(t: &Tok, message: impl Into<String>) -> R<T> {
    err(t.line, t.col, message)
}

pub(crate) fn parse(text: &str, file: &str, family: Family) -> Result<Vec<Table>, ParseError> {
    parse_inner(text, family).map_err(|e| ParseError {
        file: file.to_string(),
        line: e.line,
        column: e.col,
        message: e.message,
    })
}

fn new_table(kind: TableKind, line: usize) -> Table {
    Table {
        kind,
        line,
        chains: kind
            .hooks()
            .iter()
            .map(|h| Chain {
                name: h.chain_name().to_string(),
                builtin: Some(*h),
                policy: Policy::Accept,
                policy_counters: Counters::default(),
                decl_line: 0,
                exists: false,
                rules: Vec::new(),
                refs: Default::default(),
            })
            .collect(),
    }
}

fn parse_inner(text: &str, family: Family) -> R<Vec<Table>> {
    let mut tables: Vec<Table> = Vec::new();
    let mut cur: Option<Table> = None;
    let all = lexer::lines(text);
    for line in &all {
        let s = line.text;
        if s.is_empty() || s.starts_with('#') {
            continue;
        }
        if cur.is_some() && s == "COMMIT" {
            let t = cur.take().expect("in a table");
            check_jumps(&t)?;
            tables.retain(|x| x.kind != t.kind);
            tables.push(t);
            continue;
        }
        if let Some(rest) = s.strip_prefix('*') {
            if let Some(t) = &cur {
                return err(
                    line.number,
                    1,
                    format!(
                        "COMMIT expected before a new table: table {} (line {}) is still open",
                        t.kind.name(),
                        t.line
                    ),
                );
            }
            let words = lexer::words(rest, 2);
            let Some(&(col, name)) = words.first() else {
                return err(line.number, 1, "table name invalid");
            };
            let kind = TableKind::from_name(name).ok_or_else(|| Err1 {
                line: line.number,
                col,
                message: format!(
                    "table name '{name}' invalid (tables are raw, mangle, filter, nat, security)"
                ),
            })?;
            cur = Some(new_table(kind, line.number));
            continue;
        }
        let Some(table) = cur.as_mut() else {
            return err(
                line.number,
                1,
                "not inside a table: a `*TABLE` line must come first",
            );
        };
        if let Some(rest) = s.strip_prefix(':') {
            chain_line(table, line, rest)?;
            continue;
        }
        if s.trim_start().starts_with('#') {
            let col = s.len() - s.trim_start().len() + 1;
            return err(
                line.number,
                col,
                "Bad argument `#': a comment must start at the beginning of its line",
            );
        }
        rule_line(table, line, family)?;
    }
    if let Some(t) = cur {
        return err(
            all.len() + 1,
            1,
            format!(
                "COMMIT expected at line {} (table {} began at line {})",
                all.len() + 1,
                t.kind.name(),
                t.line
            ),
        );
    }
    Ok(tables)
}

/// `:CHAIN POLICY [packets:bytes]`.
fn chain_line(table: &mut Table, line: &Line<'_>, rest: &str) -> R<()> {
    let words = lexer::words(rest, 2);
    let n = line.number;
    let Some(&(ncol, name)) = words.first() else {
        return err(n, 1, "chain name invalid");
    };
    if name.len() >= 29 {
        return err(
            n,
            ncol,
            format!("chain name `{name}' too long (must be under 29 chars)"),
        );
    }
    let Some(&(pcol, policy)) = words.get(1) else {
        return err(n, ncol + name.chars().count(), "policy invalid");
    };
    let builtin = table
        .chains
        .iter()
        .position(|c| c.builtin.is_some() && c.name == name);
    match builtin {
        Some(i) => {
            let policy = match policy {
                "ACCEPT" => Policy::Accept,
                "DROP" => Policy::Drop,
                _ => {
                    return err(
                        n,
                        pcol,
                        format!(
                            "Bad policy name `{policy}' (a built-in chain's policy is ACCEPT or DROP)"
                        ),
                    );
                }
            };
            let counters = match words.get(2) {
                None => Counters::default(),
                Some(&(ccol, c)) => parse_counters(c).ok_or_else(|| Err1 {
                    line: n,
                    col: ccol,
                    message: format!("invalid policy counters for chain '{name}'"),
                })?,
            };
            let c = &mut table.chains[i];
            c.policy = policy;
            c.policy_counters = counters;
            c.exists = true;
            c.decl_line = n;
        }
        None => new_chain(table, name, n, ncol)?,
    }
    Ok(())
}

/// A user chain (`:NAME - [0:0]` or `-N NAME`).
fn new_chain(table: &mut Table, name: &str, line: usize, col: usize) -> R<()> {
    if let Some(ch) = name.chars().next()
        && (ch == '-' || ch == '!')
    {
        return err(
            line,
            col,
            format!("chain name not allowed to start with `{ch}'"),
        );
    }
    if name.len() >= 29 {
        return err(
            line,
            col,
            format!("chain name `{name}' too long (must be under 29 chars)"),
        );
    }
    if targets::is_target_name(name) {
        return err(line, col, "chain name may not clash with target name");
    }
    if table.chain_index(name).is_none() {
        table.chains.push(Chain {
            name: name.to_string(),
            builtin: None,
            policy: Policy::Accept,
            policy_counters: Counters::default(),
            decl_line: line,
            exists: true,
            rules: Vec::new(),
            refs: Default::default(),
        });
    }
    Ok(())
}

/// `sscanf("[%llu:%llu]")`.
fn parse_counters(s: &str) -> Option<Counters> {
    let inner = s.strip_prefix('[')?.strip_suffix(']')?;
    let (p, b) = inner.split_once(':')?;
    let num = |x: &str| {
        (!x.is_empty() && x.bytes().all(|c| c.is_ascii_digit()))
            .then(|| x.parse().ok())
            .flatten()
    };
    Some(Counters {
        packets: num(p)?,
        bytes: num(b)?,
    })
}

/// Who an option belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Builtin(char),
    Match(usize),
    Target,
}

/// `original_opts` of iptables.c: long name, takes an argument (2:
/// optional), short letter.
const BUILTIN_LONG: &[(&str, u8, char)] = &[
    ("append", 1, 'A'),
    ("delete", 1, 'D'),
    ("check", 1, 'C'),
    ("insert", 1, 'I'),
    ("replace", 1, 'R'),
    ("list", 2, 'L'),
    ("list-rules", 2, 'S'),
    ("flush", 2, 'F'),
    ("zero", 2, 'Z'),
    ("new-chain", 1, 'N'),
    ("delete-chain", 2, 'X'),
    ("rename-chain", 1, 'E'),
    ("policy", 1, 'P'),
    ("source", 1, 's'),
    ("destination", 1, 'd'),
    ("src", 1, 's'),
    ("dst", 1, 'd'),
    ("protocol", 1, 'p'),
    ("in-interface", 1, 'i'),
    ("jump", 1, 'j'),
    ("table", 1, 't'),
    ("match", 1, 'm'),
    ("numeric", 0, 'n'),
    ("out-interface", 1, 'o'),
    ("verbose", 0, 'v'),
    ("wait", 2, 'w'),
    ("wait-interval", 1, 'W'),
    ("exact", 0, 'x'),
    ("fragments", 0, 'f'),
    ("version", 0, 'V'),
    ("help", 2, 'h'),
    ("line-numbers", 0, '0'),
    ("modprobe", 1, 'M'),
    ("set-counters", 1, 'c'),
    ("goto", 1, 'g'),
    ("ipv4", 0, '4'),
    ("ipv6", 0, '6'),
];

/// The short options of iptables' optstring and whether they take an
/// argument (2: optional, only attached).
fn short_opt(c: char) -> Option<u8> {
    Some(match c {
        'A' | 'C' | 'D' | 'R' | 'I' | 'N' | 'E' | 'P' | 'o' | 'p' | 's' | 'd' | 'j' | 'i' | 't'
        | 'm' | 'c' | 'g' | 'M' | 'W' => 1,
        'L' | 'S' | 'F' | 'Z' | 'X' | 'h' | 'w' => 2,
        'V' | 'f' | 'b' | 'v' | 'n' | 'x' | '4' | '6' => 0,
        _ => return None,
    })
}

/// An option found on the line.
struct Found {
    owner: Owner,
    def: Option<OptDef>,
    arg: Option<Tok>,
    tok: Tok,
}

/// The rule being read.
struct RuleState {
    family: Family,
    command: Option<(char, Tok)>,
    chain: Option<Tok>,
    rulenum: Option<(usize, Tok)>,
    ip: IpSpec,
    proto_tok: Option<Tok>,
    src: Option<(Tok, bool)>,
    dst: Option<(Tok, bool)>,
    iif_tok: Option<Tok>,
    oif_tok: Option<Tok>,
    frag_seen: bool,
    /// Matches with the token that loaded them and how many of their
    /// options were given.
    matches: Vec<(Match, Tok, usize)>,
    /// Extensions' options in load order (searched newest first).
    exts: Vec<(Owner, &'static [OptDef])>,
    /// Options seen per owner and id.
    seen: Vec<(Owner, u8)>,
    jump: Option<(Tok, bool)>,
    target_ext: Option<Ext>,
    counters: Option<(Counters, Tok)>,
    proto_used: bool,
    skip: bool,
    /// The policy of `-P CHAIN POLICY`.
    policy: Option<Tok>,
    /// Some option other than the command was given.
    other: Option<Tok>,
}

impl RuleState {
    fn ctx(&self) -> Ctx {
        Ctx {
            family: self.family,
            proto: self.ip.proto,
        }
    }

    /// glibc `getopt_long()`'s lookup of `--name`: an exact name first,
    /// else a prefix shared by no option of another meaning.
    fn lookup_long(&self, name: &str) -> Option<(Owner, Option<OptDef>, bool)> {
        let mut all: Vec<(Owner, Option<OptDef>, &str, u8)> = BUILTIN_LONG
            .iter()
            .map(|&(n, a, c)| (Owner::Builtin(c), None, n, a))
            .collect();
        for (owner, defs) in self.exts.iter().rev() {
            for d in defs.iter() {
                all.push((*owner, Some(*d), d.name, u8::from(d.arg)));
            }
        }
        if let Some(x) = all.iter().find(|x| x.2 == name) {
            return Some((x.0, x.1, x.3 != 0));
        }
        let mut found: Option<&(Owner, Option<OptDef>, &str, u8)> = None;
        for x in all.iter().filter(|x| x.2.starts_with(name)) {
            match found {
                None => found = Some(x),
                Some(f) => {
                    let same = f.0 == x.0 && f.1.map(|d| d.id) == x.1.map(|d| d.id) && f.3 == x.3;
                    if !same {
                        return None;
                    }
                }
            }
        }
        found.map(|x| (x.0, x.1, x.3 != 0))
    }

    /// `load_proto()`: the match named after `-p`, once.
    fn load_proto(&mut self, at_tok: &Tok) -> R<bool> {
        if self.proto_used {
            return Ok(false);
        }
        let Some((p, _)) = self.ip.proto else {
            return Ok(false);
        };
        let name = match (p, self.family) {
            (6, _) => "tcp",
            (17, _) => "udp",
            (1, Family::Ipv4) => "icmp",
            (58, Family::Ipv6) => "icmp6",
            (132, _) => "sctp",
            (33, _) => "dccp",
            _ => return Ok(false),
        };
        self.proto_used = true;
        let m = Match::load(name, self.family).or_else(|e| at(at_tok, e))?;
        self.add_match(m, at_tok.clone());
        Ok(true)
    }

    /// A second instance of an extension takes its options, but they keep
    /// their place in the option table (iptables merges an extension's
    /// options once, when first loaded).
    fn add_match(&mut self, m: Match, tok: Tok) {
        let opts = m.options();
        let name = m.name();
        self.matches.push((m, tok, 0));
        let owner = Owner::Match(self.matches.len() - 1);
        let earlier = self.exts.iter().position(|(o, _)| match o {
            Owner::Match(i) => self.matches[*i].0.name() == name,
            _ => false,
        });
        match earlier {
            Some(k) => self.exts[k].0 = owner,
            None => self.exts.push((owner, opts)),
        }
    }
}

fn rule_line(table: &mut Table, line: &Line<'_>, family: Family) -> R<()> {
    let (prefix, toks) = lexer::rule_line(line).or_else(|e| err(line.number, e.col, e.message))?;
    let text = {
        let t = line.text;
        let body = match prefix {
            Some(_) => &t[t.find(']').map_or(0, |i| i + 1)..],
            None => t,
        };
        body.trim().to_string()
    };
    let mut st = RuleState {
        family,
        command: None,
        chain: None,
        rulenum: None,
        ip: IpSpec::default(),
        proto_tok: None,
        src: None,
        dst: None,
        iif_tok: None,
        oif_tok: None,
        frag_seen: false,
        matches: Vec::new(),
        exts: Vec::new(),
        seen: Vec::new(),
        jump: None,
        target_ext: None,
        counters: prefix.as_ref().map(|p| {
            (
                Counters {
                    packets: p.packets,
                    bytes: p.bytes,
                },
                Tok {
                    text: String::new(),
                    line: line.number,
                    col: p.col,
                },
            )
        }),
        proto_used: false,
        skip: false,
        policy: None,
        other: None,
    };
    let mut invert: Option<Tok> = None;
    let mut k = 0;
    let mut options_ended = false;
    while k < toks.len() {
        let t = toks[k].clone();
        k += 1;
        let s = t.text.as_str();
        if options_ended || s == "-" || !s.starts_with('-') {
            if s == "!" && !options_ended {
                if invert.is_some() {
                    return at(&t, "multiple consecutive ! not allowed");
                }
                invert = Some(t);
                continue;
            }
            if s == "COMMIT" {
                return at(
                    &t,
                    "Bad argument `COMMIT': COMMIT must be alone on its line",
                );
            }
            return at(&t, format!("Bad argument `{s}'"));
        }
        if s == "--" {
            options_ended = true;
            continue;
        }
        let found = if let Some(body) = s.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (body, None),
            };
            let mut hit = st.lookup_long(name);
            if hit.is_none() && st.load_proto(&t)? {
                hit = st.lookup_long(name);
            }
            let Some((owner, def, has_arg)) = hit else {
                return at(&t, format!("unknown option \"{s}\""));
            };
            let arg = if has_arg
                && !matches!(
                    owner,
                    Owner::Builtin('L' | 'S' | 'F' | 'Z' | 'X' | 'h' | 'w')
                ) {
                match inline {
                    Some(v) => Some(Tok {
                        text: v.to_string(),
                        line: t.line,
                        col: t.col + 2 + name.chars().count() + 1,
                    }),
                    None => {
                        let Some(a) = toks.get(k).cloned() else {
                            return at(&t, format!("option \"{s}\" requires an argument"));
                        };
                        k += 1;
                        Some(a)
                    }
                }
            } else {
                if inline.is_some() {
                    return at(&t, format!("unknown option \"{s}\""));
                }
                None
            };
            Found {
                owner,
                def,
                arg,
                tok: t.clone(),
            }
        } else {
            // A cluster of short options: all but the last take no
            // argument; an argument may be attached.
            let chars: Vec<char> = s[1..].chars().collect();
            let mut idx = 0;
            let mut last = None;
            while idx < chars.len() {
                let c = chars[idx];
                let Some(a) = short_opt(c) else {
                    return at(&t, format!("unknown option \"-{c}\""));
                };
                let rest: String = chars[idx + 1..].iter().collect();
                if a == 1 || (a == 2 && !rest.is_empty()) {
                    let arg = if !rest.is_empty() {
                        Tok {
                            text: rest,
                            line: t.line,
                            col: t.col + 1 + idx + 1,
                        }
                    } else {
                        let Some(x) = toks.get(k).cloned() else {
                            return at(&t, format!("option \"-{c}\" requires an argument"));
                        };
                        k += 1;
                        x
                    };
                    last = Some((c, Some(arg)));
                    break;
                }
                if idx + 1 < chars.len() {
                    // A flag inside a cluster.
                    let inv = invert.take();
                    builtin_opt(table, &mut st, c, None, &t, inv.as_ref(), &mut || None)?;
                    idx += 1;
                    continue;
                }
                last = Some((c, None));
                idx += 1;
            }
            let (c, arg) = last.expect("a short option");
            Found {
                owner: Owner::Builtin(c),
                def: None,
                arg,
                tok: t.clone(),
            }
        };
        // iptables 1.8.9 takes the whole word as the argument of these
        // options when it is attached (`-ptcp`, `--source=1.2.3.4`).
        let mut found = found;
        if let Owner::Builtin(c @ ('p' | 's' | 'd' | 'i' | 'o' | 'j' | 'g')) = found.owner
            && found.arg.as_ref().is_some_and(|a| {
                a.line == found.tok.line
                    && a.col > found.tok.col
                    && a.col < found.tok.col + found.tok.text.chars().count()
            })
        {
            let _ = c;
            found.arg = Some(found.tok.clone());
        }
        if !matches!(
            found.owner,
            Owner::Builtin('A' | 'I' | 'N' | 'P' | '4' | '6')
        ) && st.other.is_none()
        {
            st.other = Some(found.tok.clone());
        }
        let inv = invert.take();
        match found.owner {
            Owner::Builtin(c) => {
                let mut next = || {
                    let t = toks.get(k)?;
                    if t.text.starts_with('-') || t.text.starts_with('!') {
                        return None;
                    }
                    k += 1;
                    Some(t.clone())
                };
                builtin_opt(
                    table,
                    &mut st,
                    c,
                    found.arg.as_ref(),
                    &found.tok,
                    inv.as_ref(),
                    &mut next,
                )?;
                if st.skip {
                    return Ok(());
                }
            }
            owner => {
                let def = found.def.expect("an extension option");
                ext_opt(&mut st, owner, def, &found, inv.as_ref(), &toks, &mut k)?;
            }
        }
    }
    if let Some(t) = invert {
        return at(&t, "nothing appropriate following !");
    }
    finish_rule(table, st, line, text)
}

/// An option of an extension (match or target).
fn ext_opt(
    st: &mut RuleState,
    owner: Owner,
    def: OptDef,
    found: &Found,
    inv: Option<&Tok>,
    toks: &[Tok],
    k: &mut usize,
) -> R<()> {
    let (ext_name, table) = match owner {
        Owner::Match(i) => (st.matches[i].0.name(), st.matches[i].0.options()),
        Owner::Target => st
            .target_ext
            .as_ref()
            .map_or(("?", &[][..]), |e| (e.name(), e.options())),
        Owner::Builtin(_) => unreachable!(),
    };
    // Messages name an option by the first of its aliases, as
    // xtables_option_lookup() finds it.
    let canonical = table
        .iter()
        .find(|d| d.id == def.id)
        .map_or(def.name, |d| d.name);
    if let Some(t) = inv
        && !def.invert
    {
        return at(
            t,
            format!("{ext_name}: option \"--{canonical}\" cannot be inverted."),
        );
    }
    if def.once && st.seen.contains(&(owner, def.id)) {
        return at(
            &found.tok,
            format!("{ext_name}: option \"--{canonical}\" can only be used once."),
        );
    }
    st.seen.push((owner, def.id));
    let empty = Tok {
        text: String::new(),
        line: found.tok.line,
        col: found.tok.col,
    };
    let arg = found.arg.clone().unwrap_or(empty);
    let ctx = st.ctx();
    let family = st.family;
    let def = OptDef {
        name: canonical,
        ..def
    };
    let result = match owner {
        Owner::Match(i) => {
            let mut next = || {
                let t = toks.get(*k)?;
                if t.text.starts_with('-') || t.text.starts_with('!') {
                    return None;
                }
                *k += 1;
                Some(t.text.clone())
            };
            st.matches[i].2 += 1;
            st.matches[i]
                .0
                .parse(&def, &arg.text, inv.is_some(), &ctx, &mut next)
        }
        Owner::Target => st
            .target_ext
            .as_mut()
            .expect("a target")
            .parse(&def, &arg.text, family),
        Owner::Builtin(_) => unreachable!(),
    };
    result.or_else(|e| {
        at(
            if found.arg.is_some() {
                &arg
            } else {
                &found.tok
            },
            e,
        )
    })
}

/// `-p`, `-s`, `-A`... (the options of iptables itself).
fn builtin_opt(
    table: &Table,
    st: &mut RuleState,
    c: char,
    arg: Option<&Tok>,
    tok: &Tok,
    inv: Option<&Tok>,
    next: &mut dyn FnMut() -> Option<Tok>,
) -> R<()> {
    let no_invert = |what: &str| -> R<()> {
        match inv {
            Some(t) => at(t, format!("cannot have ! before {what}")),
            None => Ok(()),
        }
    };
    let multiple = |c: char| format!("multiple -{c} flags not allowed");
    let arg_of = || arg.expect("an argument");
    match c {
        'A' | 'I' | 'N' | 'P' => {
            no_invert(&format!("-{c}"))?;
            if let Some((prev, _)) = &st.command {
                return at(tok, format!("Cannot use -{c} with -{prev}"));
            }
            st.command = Some((c, tok.clone()));
            st.chain = Some(arg_of().clone());
            let _ = table;
            if c == 'P' {
                let Some(t) = next() else {
                    return at(tok, "-P requires a chain and a policy");
                };
                st.policy = Some(t);
            }
            if c == 'I'
                && let Some(t) = next()
            {
                let v = values::strtoul(&t.text, 1, i32::MAX as u64).ok_or_else(|| Err1 {
                    line: t.line,
                    col: t.col,
                    message: format!("Invalid rule number `{}'", t.text),
                })?;
                st.rulenum = Some((v as usize, t));
            }
        }
        'D' | 'C' | 'R' | 'L' | 'S' | 'F' | 'Z' | 'X' | 'E' => {
            return at(
                tok,
                format!(
                    "-{c} is not supported by ctrack: a restore file's lines add rules (-A, -I), \
                     chains (-N, `:NAME - [0:0]`) and policies (-P, `:NAME POLICY [0:0]`)"
                ),
            );
        }
        'p' => {
            if st.ip.proto.is_some() || st.proto_tok.is_some() {
                return at(tok, multiple('p'));
            }
            let a = arg_of();
            let lower = a.text.to_ascii_lowercase();
            let p = values::parse_protocol(&lower).or_else(|e| at(a, e))?;
            if p == 0 && inv.is_some() {
                return at(a, "rule would never match protocol");
            }
            st.proto_tok = Some(a.clone());
            st.ip.proto = (p != 0 || inv.is_some()).then_some((p, inv.is_some()));
        }
        's' | 'd' => {
            let slot = if c == 's' { &mut st.src } else { &mut st.dst };
            if slot.is_some() {
                return at(tok, multiple(c));
            }
            *slot = Some((arg_of().clone(), inv.is_some()));
        }
        'i' | 'o' => {
            let a = arg_of();
            let name = &a.text;
            let slot = if c == 'i' {
                &mut st.iif_tok
            } else {
                &mut st.oif_tok
            };
            if slot.is_some() {
                return at(tok, multiple(c));
            }
            *slot = Some(tok.clone());
            if name.len() + 1 > 16 {
                return at(
                    a,
                    format!("interface name `{name}' must be shorter than IFNAMSIZ (15)"),
                );
            }
            if name.is_empty() {
                return at(a, "Empty interface is likely to be undesired");
            }
            let v = if name == "+" && inv.is_none() {
                None
            } else {
                Some((name.clone(), inv.is_some()))
            };
            if c == 'i' {
                st.ip.iif = v;
            } else {
                st.ip.oif = v;
            }
        }
        'f' => {
            if st.family == Family::Ipv6 {
                return at(tok, "`-f' is not supported in IPv6, use -m frag instead");
            }
            if st.frag_seen {
                return at(tok, multiple('f'));
            }
            st.frag_seen = true;
            st.ip.frag = Some(inv.is_some());
        }
        'j' | 'g' => {
            no_invert("-j")?;
            if st.jump.is_some() {
                return at(tok, "multiple -j flags not allowed");
            }
            let a = arg_of();
            st.jump = Some((a.clone(), c == 'g'));
            if c == 'j'
                && let Some(ext) = Ext::load(&a.text).or_else(|e| at(a, e))?
            {
                st.exts.push((Owner::Target, ext.options()));
                st.target_ext = Some(ext);
            }
        }
        'm' => {
            if let Some(t) = inv {
                return at(t, "unexpected ! flag before --match");
            }
            let a = arg_of();
            let m = Match::load(&a.text, st.family).or_else(|e| at(a, e))?;
            st.add_match(m, a.clone());
        }
        'c' => {
            no_invert("-c")?;
            if st.counters.is_some() {
                return at(tok, multiple('c'));
            }
            let a = arg_of();
            let (p, b) = match a.text.get(1..).and_then(|r| r.find(',')) {
                Some(i) => (a.text[..i + 1].to_string(), a.text[i + 2..].to_string()),
                None => match next() {
                    Some(b) => (a.text.clone(), b.text),
                    None => return at(tok, "-c requires packet and byte counter"),
                },
            };
            st.counters = Some((counters_pair(&p, &b, a)?, tok.clone()));
        }
        't' => return at(tok, "The -t option cannot be used in iptables-restore."),
        '4' | '6' => {
            no_invert(&format!("-{c}"))?;
            let other = match st.family {
                Family::Ipv4 => '6',
                Family::Ipv6 => '4',
            };
            if c == other {
                st.skip = true;
            }
        }
        'v' => {}
        _ => {
            return at(tok, format!("option -{c} cannot be used in a rule line"));
        }
    }
    Ok(())
}

fn counters_pair(p: &str, b: &str, a: &Tok) -> R<Counters> {
    let num = |x: &str| {
        let x = x.trim_start();
        (!x.is_empty() && x.bytes().all(|c| c.is_ascii_digit()))
            .then(|| x.parse::<u64>().ok())
            .flatten()
    };
    let packets = num(p).ok_or_else(|| Err1 {
        line: a.line,
        col: a.col,
        message: "-c packet counter not numeric".into(),
    })?;
    let bytes = num(b).ok_or_else(|| Err1 {
        line: a.line,
        col: a.col,
        message: "-c byte counter not numeric".into(),
    })?;
    Ok(Counters { packets, bytes })
}

/// The end of a rule line: final checks, the target, the rule(s).
fn finish_rule(table: &mut Table, st: RuleState, line: &Line<'_>, text: String) -> R<()> {
    let n = line.number;
    let Some((cmd, cmd_tok)) = st.command.clone() else {
        return err(n, 1, "no command specified");
    };
    let chain_tok = st.chain.clone().expect("a chain with the command");
    if matches!(cmd, 'N' | 'P') {
        if let Some(t) = &st.other {
            return at(t, format!("Illegal option `{}' with this command", t.text));
        }
        if cmd == 'N' {
            if table.chain_index(&chain_tok.text).is_some() {
                return at(&chain_tok, "Chain already exists");
            }
            return new_chain(table, &chain_tok.text, chain_tok.line, chain_tok.col);
        }
        let policy = st.policy.clone().expect("-P has a policy");
        let Some(i) = table
            .chains
            .iter()
            .position(|c| c.builtin.is_some() && c.name == chain_tok.text)
        else {
            return at(&chain_tok, "Bad built-in chain name");
        };
        let p = match policy.text.as_str() {
            "ACCEPT" => Policy::Accept,
            "DROP" => Policy::Drop,
            _ => return at(&policy, "Bad policy name"),
        };
        let c = &mut table.chains[i];
        c.policy = p;
        c.exists = true;
        if c.decl_line == 0 {
            c.decl_line = n;
        }
        return Ok(());
    }
    let ctx = st.ctx();
    for (m, tok, seen) in &st.matches {
        m.finish(&ctx, *seen).or_else(|e| at(tok, e))?;
    }
    let chain_name = chain_tok.text.as_str();
    if matches!(chain_name, "PREROUTING" | "INPUT")
        && let Some(t) = &st.oif_tok
    {
        return at(t, format!("Can't use -o with {chain_name}"));
    }
    if matches!(chain_name, "POSTROUTING" | "OUTPUT")
        && let Some(t) = &st.iif_tok
    {
        return at(t, format!("Can't use -i with {chain_name}"));
    }
    let Some(ci) = table.chain_index(chain_name) else {
        return at(
            &chain_tok,
            format!(
                "No chain/target/match by that name: table {} has no chain `{chain_name}' \
                 (declare a user chain with `:{chain_name} - [0:0]' before its rules)",
                table.kind.name()
            ),
        );
    };
    // The target.
    let (target, target_at) = match &st.jump {
        None => (Target::None, (cmd_tok.line, cmd_tok.col)),
        Some((t, goto)) => {
            let pos = (t.line, t.col);
            let name = t.text.as_str();
            let target = if let Some(ext) = st.target_ext.clone() {
                ext.finish(table.kind, st.family, st.ip.proto)
                    .or_else(|e| at(t, e))?
            } else if !goto && matches!(name, "ACCEPT" | "DROP" | "RETURN") {
                if name == "DROP" && table.kind == TableKind::Nat {
                    return at(
                        t,
                        "The \"nat\" table is not intended for filtering, the use of DROP is \
                         therefore inhibited.",
                    );
                }
                match name {
                    "ACCEPT" => Target::Accept,
                    "DROP" => Target::Drop,
                    _ => Target::Return,
                }
            } else {
                let Some(j) = table.chain_index(name) else {
                    return at(t, format!("Chain '{name}' does not exist"));
                };
                if table.chains[j].builtin.is_some() {
                    return at(
                        t,
                        format!(
                            "cannot jump to the built-in chain {name} (the kernel refuses the \
                             rule: Operation not supported)"
                        ),
                    );
                }
                if *goto {
                    Target::Goto(j)
                } else {
                    Target::Jump(j)
                }
            };
            (target, pos)
        }
    };
    // Addresses.
    let nets = |x: &Option<(Tok, bool)>| -> R<Vec<Option<(values::Net, bool)>>> {
        match x {
            None => Ok(vec![None]),
            Some((t, inv)) => {
                let v = values::parse_nets(&t.text, st.family).or_else(|e| at(t, e))?;
                if *inv && v.len() > 1 {
                    return at(
                        t,
                        "! not allowed with multiple source or destination IP addresses",
                    );
                }
                if *inv && v[0].is_any() {
                    return at(
                        t,
                        "`! ADDR/0' matches no packet (the kernel refuses the rule: Invalid \
                         argument)",
                    );
                }
                Ok(v.into_iter()
                    .map(|net| (!net.is_any() || *inv).then_some((net, *inv)))
                    .collect())
            }
        }
    };
    let srcs = nets(&st.src)?;
    let dsts = nets(&st.dst)?;
    let counters = st.counters.as_ref().map(|c| c.0).unwrap_or_default();
    let mut rules = Vec::new();
    for s in &srcs {
        for d in &dsts {
            let mut ip = st.ip.clone();
            ip.src = *s;
            ip.dst = *d;
            rules.push(Rule {
                line: n,
                text: text.clone(),
                ip,
                matches: st
                    .matches
                    .iter()
                    .filter(|(m, _, _)| !m.is_void())
                    .map(|(m, _, _)| m.clone())
                    .collect(),
                target: target.clone(),
                counters,
                target_at,
            });
        }
    }
    let chain = &mut table.chains[ci];
    match cmd {
        'A' => chain.rules.extend(rules),
        _ => {
            let pos = match &st.rulenum {
                Some((p, _)) => *p,
                None => 1,
            };
            if pos > chain.rules.len() + 1 {
                return at(&chain_tok, "Index of insertion too big.");
            }
            for (k, r) in rules.into_iter().enumerate() {
                chain.rules.insert(pos - 1 + k, r);
            }
        }
    }
    chain.exists = true;
    Ok(())
}

/// The checks the kernel makes on commit (`nft_chain_validate()`): no
/// chain reached through `JUMP_STACK` nested jumps or gotos, so no loop.
fn check_jumps(t: &Table) -> R<()> {
    fn walk(t: &Table, c: usize, depth: usize, path: &mut Vec<usize>) -> R<()> {
        for r in &t.chains[c].rules {
            if let Target::Jump(j) | Target::Goto(j) = r.target {
                if path.contains(&j) || depth + 1 >= JUMP_STACK {
                    let mut names: Vec<&str> =
                        path.iter().map(|&i| t.chains[i].name.as_str()).collect();
                    names.push(&t.chains[j].name);
                    let why = if path.contains(&j) {
                        format!("jump loop {}", names.join(" -> "))
                    } else {
                        format!(
                            "chain {} is reached through {} nested jumps ({}); the kernel allows {}",
                            t.chains[j].name,
                            depth + 1,
                            names.join(" -> "),
                            JUMP_STACK - 1
                        )
                    };
                    return err(
                        r.target_at.0,
                        r.target_at.1,
                        format!("{why} (the kernel refuses the rule: Too many links)"),
                    );
                }
                path.push(j);
                walk(t, j, depth + 1, path)?;
                path.pop();
            }
        }
        Ok(())
    }
    for (i, c) in t.chains.iter().enumerate() {
        if c.builtin.is_some() && c.exists {
            walk(t, i, 0, &mut vec![i])?;
        }
    }
    Ok(())
}
