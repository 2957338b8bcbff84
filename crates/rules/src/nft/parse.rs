//! The syntax of `nft -f` files (the subset this engine runs) into a
//! syntax tree, after nftables `src/parser_bison.y`: `table` blocks with
//! `chain`, `set` and `ct helper` blocks, rules of juxtaposed statements
//! ended by a newline or `;`. Meaning (types, protocols, dependencies) is
//! checked afterwards by `eval`.

use super::lexer::{LexError, Pos, Tok, Token, lex};
use super::types::SymKind;

/// A parse failure: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Error {
    pub pos: Pos,
    pub message: String,
}

impl From<LexError> for Error {
    fn from(e: LexError) -> Self {
        Error {
            pos: e.pos,
            message: e.message,
        }
    }
}

type R<T> = Result<T, Error>;

fn err<T>(pos: Pos, message: impl Into<String>) -> R<T> {
    Err(Error {
        pos,
        message: message.into(),
    })
}

// ---------------------------------------------------------------------------
// The syntax tree.

#[derive(Debug, Clone)]
pub(crate) enum TopCmd {
    Table(TableAst),
    /// `flush ruleset`: forget the tables declared so far.
    FlushRuleset,
}

#[derive(Debug, Clone)]
pub(crate) struct TableAst {
    pub family: String,
    pub family_pos: Pos,
    pub name: String,
    pub items: Vec<TableItem>,
}

#[derive(Debug, Clone)]
pub(crate) enum TableItem {
    Chain(ChainAst),
    Set(SetAst),
    Helper(HelperAst),
    Comment(String),
}

#[derive(Debug, Clone)]
pub(crate) struct ChainAst {
    pub name: String,
    pub pos: Pos,
    pub items: Vec<ChainItem>,
}

#[derive(Debug, Clone)]
pub(crate) enum ChainItem {
    Hook(HookAst),
    Policy(String, Pos),
    Comment(String),
    Rule(RuleAst),
}

#[derive(Debug, Clone)]
pub(crate) struct HookAst {
    pub pos: Pos,
    pub typ: (String, Pos),
    pub hook: (String, Pos),
    pub prio: PrioAst,
}

#[derive(Debug, Clone)]
pub(crate) struct PrioAst {
    pub pos: Pos,
    /// `priority -300` / `priority raw` / `priority filter + 5`.
    pub name: Option<String>,
    pub value: i64,
}

#[derive(Debug, Clone)]
pub(crate) struct SetAst {
    pub name: String,
    pub pos: Pos,
    /// Declared with `map`: `type K : DATA`, elements `k : v`.
    pub map: bool,
    pub items: Vec<SetItem>,
}

#[derive(Debug, Clone)]
pub(crate) enum SetItem {
    Type(String, Pos),
    Typeof(KeyAst),
    Flags(Vec<(String, Pos)>),
    Elements(Vec<ElemAst>),
    /// A map's data type, after `:` (`verdict`).
    Data(String, Pos),
    MapElements(Vec<(ElemAst, VerdictAst)>),
    Comment(String),
}

/// A verdict: `accept`, `drop`, `continue`, `return`, `jump NAME`,
/// `goto NAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VerdictAst {
    pub verdict: String,
    pub target: Option<(String, Pos)>,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub(crate) struct HelperAst {
    pub name: String,
    pub pos: Pos,
    pub typ: Option<(String, Pos)>,
    pub protocol: Option<(String, Pos)>,
    pub l3proto: Option<(String, Pos)>,
}

#[derive(Debug, Clone)]
pub(crate) struct RuleAst {
    pub stmts: Vec<StmtAst>,
    pub comment: Option<String>,
}

/// A key (the left side of a match): `tcp dport`, `ct state`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyAst {
    /// Canonical words, e.g. `["meta", "mark"]`, `["ct", "original",
    /// "protocol"]`, `["tcp", "dport"]`.
    pub words: Vec<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BinOp {
    And,
    Or,
    Xor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RelOp {
    Eq,
    Neq,
    Lt,
    Gt,
    Lte,
    Gte,
    /// `!`: no flag of the list set.
    Neg,
}

/// A constant expression: a symbol or `a | b`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ValAst {
    Sym {
        text: String,
        kind: SymKind,
        pos: Pos,
    },
    Bin(Box<ValAst>, BinOp, Box<ValAst>),
}

impl ValAst {
    pub(crate) fn pos(&self) -> Pos {
        match self {
            ValAst::Sym { pos, .. } => *pos,
            ValAst::Bin(l, _, _) => l.pos(),
        }
    }
}

/// An element of a set or a right-hand side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ElemAst {
    Val(ValAst),
    Range(ValAst, ValAst),
    Prefix(ValAst, ValAst),
}

impl ElemAst {
    pub(crate) fn pos(&self) -> Pos {
        match self {
            ElemAst::Val(v) | ElemAst::Range(v, _) | ElemAst::Prefix(v, _) => v.pos(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RhsAst {
    /// `a`, `a,b,c` (flags), `a-b`, `a/len`.
    List(Vec<ElemAst>),
    /// `value / mask` with flag lists on both sides.
    Masked(Vec<ValAst>, Vec<ValAst>),
    Set(Vec<ElemAst>, Pos),
    SetRef(String, Pos),
}

/// The map of `KEY vmap ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum VmapAst {
    /// `vmap { k : v, ... }`
    Anon(Vec<(ElemAst, VerdictAst)>),
    /// `vmap @m`
    Named(String, Pos),
}

/// The left side of a match or the value of a `set` statement: a key or
/// constant combined with `&`, `|`, `^`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ExprAst {
    Key(KeyAst),
    Val(ValAst),
    Bin(Box<ExprAst>, BinOp, Box<ExprAst>, Pos),
}

impl ExprAst {
    pub(crate) fn pos(&self) -> Pos {
        match self {
            ExprAst::Key(k) => k.pos,
            ExprAst::Val(v) => v.pos(),
            ExprAst::Bin(l, _, _, _) => l.pos(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LogAst {
    pub prefix: Option<String>,
    pub level: Option<(String, Pos)>,
    pub group: Option<u64>,
    pub snaplen: Option<u64>,
    pub qthreshold: Option<u64>,
    /// NF_LOG_* bits.
    pub flags: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StmtAst {
    Match {
        lhs: ExprAst,
        op: Option<(RelOp, Pos)>,
        rhs: RhsAst,
        pos: Pos,
    },
    /// `KEY vmap ...` (`op`: an operator written before `vmap`, an error).
    Vmap {
        lhs: ExprAst,
        op: Option<(RelOp, Pos)>,
        map: VmapAst,
        pos: Pos,
    },
    /// `meta mark set X`, `ct mark set X`, `ct helper set "h"`, `ct zone set N`.
    Set {
        key: KeyAst,
        value: ExprAst,
        pos: Pos,
    },
    Counter {
        packets: u64,
        bytes: u64,
        pos: Pos,
    },
    Log(LogAst, Pos),
    Verdict {
        verdict: String,
        target: Option<(String, Pos)>,
        pos: Pos,
    },
    Reject {
        /// (`icmp` / `icmpv6` / `icmpx` / `tcp`, code symbol)
        with: Option<(String, Option<ValAst>)>,
        pos: Pos,
    },
    Notrack(Pos),
}

impl StmtAst {
    pub(crate) fn pos(&self) -> Pos {
        match self {
            StmtAst::Match { pos, .. }
            | StmtAst::Vmap { pos, .. }
            | StmtAst::Set { pos, .. }
            | StmtAst::Counter { pos, .. }
            | StmtAst::Log(_, pos)
            | StmtAst::Verdict { pos, .. }
            | StmtAst::Reject { pos, .. }
            | StmtAst::Notrack(pos) => *pos,
        }
    }
}

// NF_LOG_* flags.
pub(crate) const LOG_TCPSEQ: u32 = 0x01;
pub(crate) const LOG_TCPOPT: u32 = 0x02;
pub(crate) const LOG_IPOPT: u32 = 0x04;
pub(crate) const LOG_UID: u32 = 0x08;
pub(crate) const LOG_MACDECODE: u32 = 0x20;
pub(crate) const LOG_MASK: u32 = 0x2f;

// ---------------------------------------------------------------------------
// The parser.

struct Parser {
    toks: Vec<Token>,
    i: usize,
    /// Inside `{ }` of a set: newlines are not separators.
    in_braces: usize,
}

/// Parse a whole file.
pub(crate) fn parse(text: &str) -> R<Vec<TopCmd>> {
    let toks = lex(text)?;
    let mut p = Parser {
        toks,
        i: 0,
        in_braces: 0,
    };
    p.file()
}

const META_KEYS: &[&str] = &[
    "length",
    "protocol",
    "priority",
    "random",
    "secmark",
    "nfproto",
    "l4proto",
    "mark",
    "iif",
    "iifname",
    "iiftype",
    "oif",
    "oifname",
    "oiftype",
    "skuid",
    "skgid",
    "nftrace",
    "rtclassid",
    "ibriport",
    "obriport",
    "ibrname",
    "obrname",
    "pkttype",
    "cpu",
    "iifgroup",
    "oifgroup",
    "cgroup",
    "ipsec",
    "secpath",
    "iifkind",
    "oifkind",
    "broute",
    "time",
    "day",
    "hour",
    "sdif",
    "sdifname",
];

/// Meta keys that may be written without `meta`.
const UNQUALIFIED_META: &[&str] = &[
    "mark",
    "iif",
    "iifname",
    "iiftype",
    "oif",
    "oifname",
    "oiftype",
    "skuid",
    "skgid",
    "nftrace",
    "rtclassid",
    "ibriport",
    "obriport",
    "ibrname",
    "obrname",
    "pkttype",
    "cpu",
    "iifgroup",
    "oifgroup",
    "cgroup",
    "ipsec",
];

const CT_KEYS: &[&str] = &[
    "state",
    "direction",
    "status",
    "mark",
    "expiration",
    "helper",
    "l3proto",
    "protocol",
    "saddr",
    "daddr",
    "proto-src",
    "proto-dst",
    "label",
    "bytes",
    "packets",
    "avgpkt",
    "zone",
    "event",
    "secmark",
    "id",
    "count",
    "timeout",
    "expectation",
];

const PAYLOAD_PROTOS: &[&str] = &[
    "ip", "ip6", "tcp", "udp", "udplite", "th", "icmp", "icmpv6", "sctp", "dccp", "ah", "esp",
    "comp", "ether", "vlan", "arp", "igmp", "gre", "vxlan", "geneve", "gretap", "rt", "rt0", "rt2",
    "srh", "hbh", "frag", "dst", "mh", "tcpopt", "ipopt",
];

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.i].tok
    }

    fn peek_at(&self, n: usize) -> &Tok {
        let j = (self.i + n).min(self.toks.len() - 1);
        &self.toks[j].tok
    }

    fn pos(&self) -> Pos {
        self.toks[self.i].pos
    }

    fn bump(&mut self) -> Token {
        let t = self.toks[self.i].clone();
        if self.i + 1 < self.toks.len() {
            self.i += 1;
        }
        if self.in_braces > 0 {
            self.skip_newlines();
        }
        t
    }

    fn skip_newlines(&mut self) {
        while self.toks[self.i].tok == Tok::Newline {
            self.i += 1;
        }
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Word(x) if x == w)
    }

    fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Tok::Punct(x) if *x == p)
    }

    fn eat_word(&mut self, w: &str) -> bool {
        if self.is_word(w) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn eat_punct(&mut self, p: &str) -> bool {
        if self.is_punct(p) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn unexpected<T>(&self, what: &str) -> R<T> {
        err(
            self.pos(),
            format!("expected {what}, found {}", self.peek().describe()),
        )
    }

    fn expect_punct(&mut self, p: &str) -> R<Pos> {
        let pos = self.pos();
        if self.eat_punct(p) {
            Ok(pos)
        } else {
            self.unexpected(&format!("`{p}`"))
        }
    }

    fn expect_word(&mut self, w: &str) -> R<Pos> {
        let pos = self.pos();
        if self.eat_word(w) {
            Ok(pos)
        } else {
            self.unexpected(&format!("`{w}`"))
        }
    }

    /// An identifier or quoted string naming a table, chain, set or object.
    /// A bare word: nft takes no quoted string where it wants a name
    /// ("unexpected quoted string, expecting string").
    fn name(&mut self, what: &str) -> R<(String, Pos)> {
        let pos = self.pos();
        match self.peek().clone() {
            Tok::Word(w) => {
                self.bump();
                Ok((w, pos))
            }
            _ => self.unexpected(what),
        }
    }

    fn number(&mut self, what: &str) -> R<u64> {
        let pos = self.pos();
        match self.peek().clone() {
            Tok::Number(n) => {
                self.bump();
                super::types::parse_number(&n)
                    .and_then(|v| u64::try_from(v).ok())
                    .ok_or_else(|| Error {
                        pos,
                        message: format!("`{n}` is not a valid {what}"),
                    })
            }
            _ => self.unexpected(what),
        }
    }

    fn quoted(&mut self, what: &str) -> R<String> {
        match self.peek().clone() {
            Tok::Quoted(s) => {
                self.bump();
                Ok(s)
            }
            _ => self.unexpected(what),
        }
    }

    fn is_sep(&self) -> bool {
        matches!(self.peek(), Tok::Newline) || self.is_punct(";")
    }

    /// A newline or `;` must follow (nft's `stmt_separator`).
    fn expect_sep(&mut self, after: &str) -> R<()> {
        if self.is_sep() {
            self.bump();
            Ok(())
        } else {
            self.unexpected(&format!("a newline or `;` after {after}"))
        }
    }

    fn skip_seps(&mut self) {
        while self.is_sep() {
            self.bump();
        }
    }

    fn file(&mut self) -> R<Vec<TopCmd>> {
        let mut cmds = Vec::new();
        loop {
            self.skip_seps();
            let pos = self.pos();
            match self.peek().clone() {
                Tok::Eof => return Ok(cmds),
                Tok::Word(w) => match w.as_str() {
                    "table" => {
                        self.bump();
                        cmds.push(TopCmd::Table(self.table()?));
                    }
                    "flush" if matches!(self.peek_at(1), Tok::Word(r) if r == "ruleset") => {
                        self.bump();
                        self.bump();
                        cmds.push(TopCmd::FlushRuleset);
                    }
                    "define" | "redefine" | "undefine" => {
                        return err(
                            pos,
                            format!(
                                "`{w}` (variables) is not supported: write the values in place"
                            ),
                        );
                    }
                    "include" => return err(pos, "`include` is not supported: give each file"),
                    "add" | "create" | "insert" | "replace" | "delete" | "destroy" | "flush"
                    | "list" | "reset" | "rename" | "monitor" | "describe" | "import"
                    | "export" => {
                        return err(
                            pos,
                            format!(
                                "`{w}` commands are not supported: write the ruleset as `table` \
                                 blocks, as `nft list ruleset` prints it"
                            ),
                        );
                    }
                    _ => return err(pos, format!("expected `table`, found `{w}`")),
                },
                other => return err(pos, format!("expected `table`, found {}", other.describe())),
            }
            match self.peek() {
                Tok::Eof => return Ok(cmds),
                _ => self.expect_sep("the table's closing `}`")?,
            }
        }
    }

    fn table(&mut self) -> R<TableAst> {
        let family_pos = self.pos();
        let (family, name) = match (self.peek().clone(), self.peek_at(1).clone()) {
            (Tok::Word(f), Tok::Word(_) | Tok::Quoted(_)) => {
                self.bump();
                let (n, _) = self.name("a table name")?;
                (f, n)
            }
            (Tok::Word(_) | Tok::Quoted(_), _) => {
                let (n, _) = self.name("a table name")?;
                ("ip".to_string(), n)
            }
            _ => return self.unexpected("a table family and name"),
        };
        self.expect_punct("{")?;
        let mut items = Vec::new();
        loop {
            self.skip_seps();
            let ipos = self.pos();
            match self.peek().clone() {
                Tok::Punct("}") => {
                    self.bump();
                    break;
                }
                Tok::Word(w) => {
                    match w.as_str() {
                        "chain" => {
                            self.bump();
                            items.push(TableItem::Chain(self.chain(ipos)?));
                        }
                        "set" | "map" => {
                            self.bump();
                            items.push(TableItem::Set(self.set(ipos, w == "map")?));
                        }
                        "ct" if matches!(self.peek_at(1), Tok::Word(h) if h == "helper") => {
                            self.bump();
                            self.bump();
                            items.push(TableItem::Helper(self.helper(ipos)?));
                        }
                        "comment" => {
                            self.bump();
                            items.push(TableItem::Comment(self.quoted("a quoted comment")?));
                        }
                        "flowtable" | "counter" | "quota" | "limit" | "secmark" | "synproxy"
                        | "meter" | "ct" | "flags" => {
                            let what = if w == "ct" {
                                match self.peek_at(1) {
                                    Tok::Word(x) => format!("ct {x}"),
                                    _ => "ct".into(),
                                }
                            } else {
                                w.clone()
                            };
                            return err(
                                ipos,
                                format!(
                                    "`{what}` in a table is not supported (chains, sets, maps and ct helpers are)"
                                ),
                            );
                        }
                        _ => {
                            return err(
                                ipos,
                                format!(
                                    "expected `chain`, `set`, `map`, `ct helper` or `}}` in the table, found `{w}`"
                                ),
                            );
                        }
                    }
                    if !self.is_punct("}") {
                        self.expect_sep("the block's closing `}`")?;
                    } else {
                        return self.unexpected("a newline or `;` after the block's closing `}`");
                    }
                }
                other => {
                    return err(
                        ipos,
                        format!(
                            "expected `chain`, `set`, `ct helper` or `}}` in the table, found {}",
                            other.describe()
                        ),
                    );
                }
            }
        }
        Ok(TableAst {
            family,
            family_pos,
            name,
            items,
        })
    }

    fn chain(&mut self, _pos: Pos) -> R<ChainAst> {
        let (name, pos) = self.name("a chain name")?;
        self.expect_punct("{")?;
        let mut items = Vec::new();
        loop {
            self.skip_seps();
            let ipos = self.pos();
            match self.peek().clone() {
                Tok::Punct("}") => {
                    self.bump();
                    break;
                }
                Tok::Word(w) if w == "type" => {
                    self.bump();
                    let typ = self.name("a chain type (filter, route, nat)")?;
                    self.expect_word("hook")?;
                    let hook = self.name("a hook name")?;
                    if self.is_word("device") || self.is_word("devices") {
                        return err(
                            self.pos(),
                            "`device` is not supported: only the IP hooks are",
                        );
                    }
                    self.expect_word("priority")?;
                    let prio = self.prio()?;
                    items.push(ChainItem::Hook(HookAst {
                        pos: ipos,
                        typ,
                        hook,
                        prio,
                    }));
                    self.chain_sep()?;
                }
                Tok::Word(w) if w == "policy" => {
                    self.bump();
                    let (p, _) = self.name("`accept` or `drop`")?;
                    items.push(ChainItem::Policy(p, ipos));
                    self.chain_sep()?;
                }
                Tok::Word(w) if w == "comment" => {
                    self.bump();
                    items.push(ChainItem::Comment(self.quoted("a quoted comment")?));
                    self.chain_sep()?;
                }
                Tok::Word(w) if w == "devices" || w == "flags" => {
                    return err(ipos, format!("`{w}` in a chain is not supported"));
                }
                Tok::Eof => return self.unexpected("`}` closing the chain"),
                _ => {
                    items.push(ChainItem::Rule(self.rule()?));
                    self.chain_sep()?;
                }
            }
        }
        Ok(ChainAst { name, pos, items })
    }

    fn chain_sep(&mut self) -> R<()> {
        if self.is_sep() {
            self.bump();
            Ok(())
        } else {
            self.unexpected("a newline or `;`")
        }
    }

    fn prio(&mut self) -> R<PrioAst> {
        let pos = self.pos();
        match self.peek().clone() {
            Tok::Punct("-") => {
                self.bump();
                let n = self.number("priority")?;
                Ok(PrioAst {
                    pos,
                    name: None,
                    value: -(n.min(i64::MAX as u64) as i64),
                })
            }
            Tok::Number(_) => {
                let n = self.number("priority")?;
                Ok(PrioAst {
                    pos,
                    name: None,
                    value: n.min(i64::MAX as u64) as i64,
                })
            }
            Tok::Word(w) => {
                self.bump();
                let mut value = 0i64;
                if self.is_punct("+") || self.is_punct("-") {
                    let neg = self.is_punct("-");
                    self.bump();
                    let n = self.number("priority offset")?.min(i64::MAX as u64) as i64;
                    value = if neg { -n } else { n };
                }
                Ok(PrioAst {
                    pos,
                    name: Some(w),
                    value,
                })
            }
            Tok::Punct("$") => err(pos, "variables (`$name`) are not supported"),
            _ => self.unexpected(
                "a priority (a number or raw, mangle, dstnat, filter, security, srcnat)",
            ),
        }
    }

    fn set(&mut self, _pos: Pos, map: bool) -> R<SetAst> {
        let what = if map { "map" } else { "set" };
        let (name, pos) = self.name(if map { "a map name" } else { "a set name" })?;
        self.expect_punct("{")?;
        let mut items = Vec::new();
        loop {
            self.skip_seps();
            let ipos = self.pos();
            match self.peek().clone() {
                Tok::Punct("}") => {
                    self.bump();
                    break;
                }
                Tok::Word(w) => {
                    self.bump();
                    match w.as_str() {
                        "type" => {
                            let (t, tpos) = self.name("a set type")?;
                            if self.is_punct(".") {
                                return err(self.pos(), "concatenated set types are not supported");
                            }
                            items.push(SetItem::Type(t, tpos));
                            self.map_data(map, &mut items)?;
                        }
                        "typeof" => {
                            let k = self.key()?;
                            if self.is_punct(".") {
                                return err(self.pos(), "concatenated set types are not supported");
                            }
                            items.push(SetItem::Typeof(k));
                            self.map_data(map, &mut items)?;
                        }
                        "flags" => {
                            let mut flags = vec![self.name("a set flag")?];
                            while self.eat_punct(",") {
                                flags.push(self.name("a set flag")?);
                            }
                            items.push(SetItem::Flags(flags));
                        }
                        "elements" => {
                            self.expect_punct("=")?;
                            if map {
                                let (elems, _) = self.map_literal()?;
                                items.push(SetItem::MapElements(elems));
                            } else {
                                let (elems, _) = self.set_literal()?;
                                items.push(SetItem::Elements(elems));
                            }
                        }
                        "comment" => items.push(SetItem::Comment(self.quoted("a quoted comment")?)),
                        "timeout" | "gc-interval" | "size" | "policy" | "counter"
                        | "auto-merge" | "quota" | "limit" => {
                            return err(ipos, format!("`{w}` in a {what} is not supported"));
                        }
                        _ => {
                            return err(
                                ipos,
                                format!(
                                    "expected `type`, `typeof`, `flags`, `elements` or `}}` in the {what}, found `{w}`"
                                ),
                            );
                        }
                    }
                    if !self.is_punct("}") {
                        self.expect_sep("the set property")?;
                    }
                }
                other => {
                    return err(
                        ipos,
                        format!(
                            "expected a {what} property or `}}`, found {}",
                            other.describe()
                        ),
                    );
                }
            }
        }
        Ok(SetAst {
            name,
            pos,
            map,
            items,
        })
    }

    /// A map's `: DATA` after its key type; a set has none.
    fn map_data(&mut self, map: bool, items: &mut Vec<SetItem>) -> R<()> {
        if !map {
            if self.is_punct(":") {
                return err(
                    self.pos(),
                    "`type KEY : DATA` declares a map: write `map NAME { ... }`",
                );
            }
            return Ok(());
        }
        self.expect_punct(":")?;
        let (d, dpos) = self.name("the map's data type (verdict)")?;
        items.push(SetItem::Data(d, dpos));
        Ok(())
    }

    /// A verdict inside a map element.
    fn verdict(&mut self) -> R<VerdictAst> {
        let pos = self.pos();
        let (w, _) = self.name("a verdict (accept, drop, continue, return, jump, goto)")?;
        match w.as_str() {
            "accept" | "drop" | "continue" | "return" => Ok(VerdictAst {
                verdict: w,
                target: None,
                pos,
            }),
            "jump" | "goto" => {
                let target = self.name("a chain name")?;
                Ok(VerdictAst {
                    verdict: w,
                    target: Some(target),
                    pos,
                })
            }
            _ => err(
                pos,
                format!(
                    "`{w}` is not a verdict (accept, drop, continue, return, jump, goto): only \
                     verdict maps are supported"
                ),
            ),
        }
    }

    fn helper(&mut self, _pos: Pos) -> R<HelperAst> {
        let (name, pos) = self.name("a ct helper name")?;
        self.expect_punct("{")?;
        let mut h = HelperAst {
            name,
            pos,
            typ: None,
            protocol: None,
            l3proto: None,
        };
        loop {
            self.skip_seps();
            let ipos = self.pos();
            match self.peek().clone() {
                Tok::Punct("}") => {
                    self.bump();
                    break;
                }
                Tok::Word(w) if w == "type" => {
                    self.bump();
                    let tpos = self.pos();
                    let t = self.quoted("the helper's quoted name (\"ftp\")")?;
                    h.typ = Some((t, tpos));
                    self.expect_word("protocol")?;
                    h.protocol = Some(self.name("`tcp` or `udp`")?);
                }
                Tok::Word(w) if w == "l3proto" => {
                    self.bump();
                    h.l3proto = Some(self.name("`ip`, `ip6` or `inet`")?);
                }
                Tok::Word(w) => {
                    return err(
                        ipos,
                        format!("expected `type` or `l3proto` in the ct helper, found `{w}`"),
                    );
                }
                other => {
                    return err(
                        ipos,
                        format!(
                            "expected `type`, `l3proto` or `}}`, found {}",
                            other.describe()
                        ),
                    );
                }
            }
            if !self.is_punct("}") {
                self.expect_sep("the ct helper property")?;
            }
        }
        Ok(h)
    }

    fn rule(&mut self) -> R<RuleAst> {
        let mut stmts = Vec::new();
        let mut comment = None;
        while !self.is_sep() && !matches!(self.peek(), Tok::Eof) && !self.is_punct("}") {
            if self.is_word("comment") {
                self.bump();
                comment = Some(self.quoted("a quoted comment")?);
                if !self.is_sep() && !self.is_punct("}") && !matches!(self.peek(), Tok::Eof) {
                    return self.unexpected("the end of the rule after its comment");
                }
                break;
            }
            stmts.push(self.stmt()?);
        }
        if stmts.is_empty() {
            return self.unexpected("a statement");
        }
        Ok(RuleAst { stmts, comment })
    }

    /// A key's words, after its first word: `meta mark`, `mark`, `ct
    /// state`, `tcp dport`.
    fn key(&mut self) -> R<KeyAst> {
        let pos = self.pos();
        let first = match self.peek().clone() {
            Tok::Word(w) => w,
            _ => return self.unexpected("an expression"),
        };
        match first.as_str() {
            "meta" => {
                self.bump();
                let kpos = self.pos();
                let (k, _) = self.name("a meta key")?;
                if !META_KEYS.contains(&k.as_str()) {
                    return err(kpos, format!("`meta {k}`: unknown meta key"));
                }
                Ok(KeyAst {
                    words: vec!["meta".into(), k],
                    pos,
                })
            }
            w if UNQUALIFIED_META.contains(&w) => {
                self.bump();
                Ok(KeyAst {
                    words: vec!["meta".into(), first],
                    pos,
                })
            }
            "ct" => {
                self.bump();
                let mut words = vec!["ct".to_string()];
                if self.is_word("original") || self.is_word("reply") {
                    words.push(self.name("")?.0);
                }
                let kpos = self.pos();
                let (k, _) = self.name("a ct key")?;
                if !CT_KEYS.contains(&k.as_str()) {
                    return err(kpos, format!("`ct {k}`: unknown ct key"));
                }
                words.push(k);
                Ok(KeyAst { words, pos })
            }
            p if PAYLOAD_PROTOS.contains(&p) => {
                self.bump();
                let fpos = self.pos();
                let (f, _) = match self.peek() {
                    Tok::Word(_) => self.name("a header field")?,
                    _ => {
                        return err(
                            fpos,
                            format!(
                                "expected a field of `{p}` (e.g. `{p} {}`)",
                                example_field(p)
                            ),
                        );
                    }
                };
                Ok(KeyAst {
                    words: vec![first, f],
                    pos,
                })
            }
            _ => err(pos, format!("unknown statement or expression `{first}`")),
        }
    }

    fn stmt(&mut self) -> R<StmtAst> {
        let pos = self.pos();
        let w = match self.peek().clone() {
            Tok::Word(w) => w,
            Tok::Punct("{") => return err(pos, "anonymous chains and sets need a key before them"),
            other => {
                return err(
                    pos,
                    format!("expected a statement, found {}", other.describe()),
                );
            }
        };
        match w.as_str() {
            "accept" | "drop" | "continue" | "return" => {
                self.bump();
                Ok(StmtAst::Verdict {
                    verdict: w,
                    target: None,
                    pos,
                })
            }
            "jump" | "goto" => {
                self.bump();
                if self.is_punct("{") {
                    return err(
                        self.pos(),
                        "anonymous chains (`jump { ... }`) are not supported",
                    );
                }
                let target = self.name("a chain name")?;
                Ok(StmtAst::Verdict {
                    verdict: w,
                    target: Some(target),
                    pos,
                })
            }
            "counter" => {
                self.bump();
                let (mut packets, mut bytes) = (0, 0);
                if self.is_word("name") {
                    return err(self.pos(), "named counters are not supported");
                }
                if self.eat_word("packets") {
                    packets = self.number("packet count")?;
                    self.expect_word("bytes")?;
                    bytes = self.number("byte count")?;
                } else if self.is_word("bytes") {
                    return err(self.pos(), "`counter bytes N` needs `packets N` first");
                }
                Ok(StmtAst::Counter {
                    packets,
                    bytes,
                    pos,
                })
            }
            "log" => {
                self.bump();
                Ok(StmtAst::Log(self.log()?, pos))
            }
            "reject" => {
                self.bump();
                let mut with = None;
                if self.eat_word("with") {
                    let kpos = self.pos();
                    let (kind, _) = self.name("`icmp`, `icmpv6`, `icmpx` or `tcp`")?;
                    match kind.as_str() {
                        "tcp" => {
                            self.expect_word("reset")?;
                            with = Some((kind, None));
                        }
                        "icmp" | "icmpv6" | "icmpx" => {
                            self.eat_word("type");
                            let code = self.primary()?;
                            with = Some((kind, Some(code)));
                        }
                        _ => {
                            return err(
                                kpos,
                                format!(
                                    "`reject with {kind}`: expected icmp, icmpv6, icmpx or tcp reset"
                                ),
                            );
                        }
                    }
                }
                Ok(StmtAst::Reject { with, pos })
            }
            "notrack" => {
                self.bump();
                Ok(StmtAst::Notrack(pos))
            }
            "queue" | "dup" | "fwd" | "snat" | "dnat" | "masquerade" | "redirect" | "tproxy"
            | "limit" | "quota" | "synproxy" | "flow" | "xt" | "update" | "add" | "delete"
            | "meter" | "numgen" | "jhash" | "symhash" | "fib" | "rt" | "osf" | "socket"
            | "ipsec" | "exthdr" | "tunnel" => {
                err(pos, format!("`{w}` is not supported by this engine"))
            }
            _ => {
                let lhs = self.lhs()?;
                if self.is_punct(".") {
                    return err(self.pos(), "concatenations (`a . b`) are not supported");
                }
                if self.eat_word("set") {
                    let key = match lhs {
                        ExprAst::Key(k) => k,
                        _ => return err(pos, "`set` needs a key on its left (`meta mark set 1`)"),
                    };
                    let value = self.set_value()?;
                    return Ok(StmtAst::Set { key, value, pos });
                }
                let op = self.relop();
                if self.eat_word("vmap") {
                    let map = if self.is_punct("@") {
                        let mpos = self.pos();
                        self.bump();
                        let (n, _) = self.name("a map name")?;
                        VmapAst::Named(n, mpos)
                    } else {
                        VmapAst::Anon(self.map_literal()?.0)
                    };
                    return Ok(StmtAst::Vmap { lhs, op, map, pos });
                }
                let rhs = self.rhs()?;
                Ok(StmtAst::Match { lhs, op, rhs, pos })
            }
        }
    }

    fn log(&mut self) -> R<LogAst> {
        let mut l = LogAst {
            prefix: None,
            level: None,
            group: None,
            snaplen: None,
            qthreshold: None,
            flags: 0,
        };
        loop {
            let pos = self.pos();
            if self.eat_word("prefix") {
                let p = self.quoted("a quoted log prefix")?;
                if p.len() > 127 {
                    return err(pos, "the log prefix is longer than 127 characters");
                }
                l.prefix = Some(p);
            } else if self.eat_word("level") {
                l.level = Some(self.name("a log level")?);
            } else if self.eat_word("group") {
                l.group = Some(self.number("log group")?);
            } else if self.eat_word("snaplen") {
                l.snaplen = Some(self.number("snaplen")?);
            } else if self.eat_word("queue-threshold") {
                l.qthreshold = Some(self.number("queue threshold")?);
            } else if self.eat_word("flags") {
                let fpos = self.pos();
                let (f, _) = self.name("log flags")?;
                match f.as_str() {
                    "all" => l.flags |= LOG_MASK,
                    "skuid" => l.flags |= LOG_UID,
                    "ether" => l.flags |= LOG_MACDECODE,
                    "ip" => {
                        self.expect_word("options")?;
                        l.flags |= LOG_IPOPT;
                    }
                    "tcp" => loop {
                        let opos = self.pos();
                        let (o, _) = self.name("`sequence` or `options`")?;
                        match o.as_str() {
                            "sequence" => l.flags |= LOG_TCPSEQ,
                            "options" => l.flags |= LOG_TCPOPT,
                            _ => {
                                return err(
                                    opos,
                                    format!("`log flags tcp {o}`: expected sequence or options"),
                                );
                            }
                        }
                        if !self.eat_punct(",") {
                            break;
                        }
                    },
                    _ => {
                        return err(
                            fpos,
                            format!("`log flags {f}`: expected all, tcp, ip, skuid or ether"),
                        );
                    }
                }
            } else {
                return Ok(l);
            }
        }
    }

    /// The left side of a match: a key, optionally combined with
    /// constants (`tcp flags & (fin | syn)`, `ct mark and 0xff`).
    fn lhs(&mut self) -> R<ExprAst> {
        let k = self.key()?;
        self.binop_tail(ExprAst::Key(k), 4)
    }

    fn binop_of(&self) -> Option<BinOp> {
        match self.peek() {
            Tok::Punct("&") => Some(BinOp::And),
            Tok::Punct("|") => Some(BinOp::Or),
            Tok::Punct("^") => Some(BinOp::Xor),
            Tok::Word(w) if w == "and" => Some(BinOp::And),
            Tok::Word(w) if w == "or" => Some(BinOp::Or),
            Tok::Word(w) if w == "xor" => Some(BinOp::Xor),
            _ => None,
        }
    }

    fn prec(op: BinOp) -> u8 {
        match op {
            BinOp::And => 2,
            BinOp::Xor => 3,
            BinOp::Or => 4,
        }
    }

    /// Precedence climbing over `&` (binds tightest), `^`, `|`.
    fn binop_tail(&mut self, mut left: ExprAst, max: u8) -> R<ExprAst> {
        while let Some(op) = self.binop_of() {
            let p = Self::prec(op);
            if p > max {
                break;
            }
            let opos = self.pos();
            self.bump();
            let mut right = self.expr_operand()?;
            while let Some(op2) = self.binop_of() {
                if Self::prec(op2) < p {
                    right = self.binop_tail(right, Self::prec(op2))?;
                } else {
                    break;
                }
            }
            left = ExprAst::Bin(Box::new(left), op, Box::new(right), opos);
        }
        Ok(left)
    }

    fn expr_operand(&mut self) -> R<ExprAst> {
        if self.eat_punct("(") {
            let e = self.expr_operand()?;
            let e = self.binop_tail(e, 4)?;
            self.expect_punct(")")?;
            return Ok(e);
        }
        if let Tok::Word(w) = self.peek()
            && (w == "meta" || w == "ct" || UNQUALIFIED_META.contains(&w.as_str()))
        {
            return Ok(ExprAst::Key(self.key()?));
        }
        Ok(ExprAst::Val(self.primary()?))
    }

    /// The value of `... set VALUE`.
    fn set_value(&mut self) -> R<ExprAst> {
        let e = self.expr_operand()?;
        self.binop_tail(e, 4)
    }

    fn relop(&mut self) -> Option<(RelOp, Pos)> {
        let pos = self.pos();
        let op = match self.peek() {
            Tok::Punct("==") => RelOp::Eq,
            Tok::Punct("!=") => RelOp::Neq,
            Tok::Punct("<") => RelOp::Lt,
            Tok::Punct(">") => RelOp::Gt,
            Tok::Punct("<=") => RelOp::Lte,
            Tok::Punct(">=") => RelOp::Gte,
            Tok::Punct("!") => RelOp::Neg,
            Tok::Word(w) => match w.as_str() {
                "eq" => RelOp::Eq,
                "ne" => RelOp::Neq,
                "lt" => RelOp::Lt,
                "gt" => RelOp::Gt,
                "le" => RelOp::Lte,
                "ge" => RelOp::Gte,
                _ => return None,
            },
            _ => return None,
        };
        self.bump();
        Some((op, pos))
    }

    /// A symbol: identifier, number, quoted string or address.
    fn primary(&mut self) -> R<ValAst> {
        let pos = self.pos();
        let (text, kind) = match self.peek().clone() {
            Tok::Word(w) => (w, SymKind::Word),
            Tok::Number(n) => (n, SymKind::Number),
            Tok::Quoted(s) => (s, SymKind::Quoted),
            Tok::Ip4(a) => (a, SymKind::Ip4),
            Tok::Ip6(a) => (a, SymKind::Ip6),
            Tok::Punct("$") => return err(pos, "variables (`$name`) are not supported"),
            Tok::Punct("(") => {
                self.bump();
                let v = self.value()?;
                self.expect_punct(")")?;
                return Ok(v);
            }
            Tok::Punct("*") => return err(pos, "the catch-all element `*` is not supported"),
            _ => return self.unexpected("a value"),
        };
        self.bump();
        Ok(ValAst::Sym { text, kind, pos })
    }

    /// A constant expression: symbols joined by `|`, `&`, `^`.
    fn value(&mut self) -> R<ValAst> {
        let v = self.primary()?;
        self.value_tail(v, 4)
    }

    fn value_tail(&mut self, mut left: ValAst, max: u8) -> R<ValAst> {
        while let Some(op) = self.binop_of() {
            let p = Self::prec(op);
            if p > max {
                break;
            }
            self.bump();
            let mut right = self.primary()?;
            while let Some(op2) = self.binop_of() {
                if Self::prec(op2) < p {
                    right = self.value_tail(right, Self::prec(op2))?;
                } else {
                    break;
                }
            }
            left = ValAst::Bin(Box::new(left), op, Box::new(right));
        }
        Ok(left)
    }

    /// A value, range (`a-b`) or prefix (`a/len`).
    fn elem(&mut self) -> R<ElemAst> {
        let v = self.value()?;
        if self.eat_punct("-") {
            let hi = self.value()?;
            return Ok(ElemAst::Range(v, hi));
        }
        if self.eat_punct("/") {
            let len = self.primary()?;
            return Ok(ElemAst::Prefix(v, len));
        }
        Ok(ElemAst::Val(v))
    }

    /// `{ item, item, ... }`: the items of a set or map literal, and where
    /// its brace is. `what` names it in errors ("set", "map").
    fn braced<T>(
        &mut self,
        what: &str,
        mut item: impl FnMut(&mut Self) -> R<T>,
    ) -> R<(Vec<T>, Pos)> {
        let pos = self.pos();
        self.in_braces += 1;
        let r = (|| {
            self.expect_punct("{")?;
            self.skip_newlines();
            let mut items = Vec::new();
            loop {
                if self.is_punct("}") {
                    break;
                }
                items.push(item(self)?);
                if !self.eat_punct(",") {
                    break;
                }
            }
            if items.is_empty() {
                return err(
                    pos,
                    format!("an empty {what} `{{ }}` matches nothing; nft rejects it"),
                );
            }
            Ok(items)
        })();
        self.in_braces -= 1;
        let items = r?;
        if !self.is_punct("}") {
            return self.unexpected(&format!("`,` or `}}` in the {what}"));
        }
        // Consume `}` without skipping the newline that may end the rule.
        self.i += 1;
        Ok((items, pos))
    }

    fn set_literal(&mut self) -> R<(Vec<ElemAst>, Pos)> {
        self.braced("set", |p| {
            let e = p.elem()?;
            if p.is_punct(":") {
                return err(
                    p.pos(),
                    "`key : value` elements belong in a map: `vmap { ... }` or a `map` block",
                );
            }
            if p.is_word("timeout")
                || p.is_word("expires")
                || p.is_word("comment")
                || p.is_word("counter")
            {
                return err(p.pos(), "set element options are not supported");
            }
            Ok(e)
        })
    }

    /// `{ k : v, ... }`: the elements of a verdict map.
    fn map_literal(&mut self) -> R<(Vec<(ElemAst, VerdictAst)>, Pos)> {
        self.braced("map", |p| {
            let e = p.elem()?;
            p.expect_punct(":")?;
            Ok((e, p.verdict()?))
        })
    }

    fn rhs(&mut self) -> R<RhsAst> {
        let pos = self.pos();
        if self.is_punct("{") {
            let (elems, pos) = self.set_literal()?;
            return Ok(RhsAst::Set(elems, pos));
        }
        if self.eat_punct("@") {
            let (n, _) = self.name("a set name")?;
            return Ok(RhsAst::SetRef(n, pos));
        }
        if self.is_word("map") {
            return err(
                pos,
                "data maps (`map`) are not supported; verdict maps (`vmap`) are",
            );
        }
        let first = self.value()?;
        if self.eat_punct("-") {
            let hi = self.value()?;
            return Ok(RhsAst::List(vec![ElemAst::Range(first, hi)]));
        }
        let mut list = vec![first];
        while self.eat_punct(",") {
            list.push(self.value()?);
        }
        if self.eat_punct("/") {
            let mut mask = vec![self.value()?];
            while self.eat_punct(",") {
                mask.push(self.value()?);
            }
            if list.len() == 1
                && mask.len() == 1
                && let ValAst::Sym {
                    kind: SymKind::Number,
                    ..
                } = mask[0]
            {
                let v = list.pop().expect("one");
                let m = mask.pop().expect("one");
                return Ok(RhsAst::List(vec![ElemAst::Prefix(v, m)]));
            }
            return Ok(RhsAst::Masked(list, mask));
        }
        Ok(RhsAst::List(list.into_iter().map(ElemAst::Val).collect()))
    }
}

fn example_field(p: &str) -> &'static str {
    match p {
        "ip" => "saddr",
        "ip6" => "daddr",
        "icmp" | "icmpv6" => "type",
        _ => "dport",
    }
}
