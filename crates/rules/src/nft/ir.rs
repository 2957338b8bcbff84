//! A loaded ruleset as the kernel holds it: tables, chains, and rules made
//! of the expressions `nft -f` generates for them (loads of a key, an
//! optional bitwise mask, a comparison, range or set lookup, and the
//! statements), including the implicit protocol dependencies and the
//! payload merges nft adds. Both the evaluation (`exec`) and the listing
//! (`print`) work from this.

use super::parse::LogAst;
use super::types::{DType, Val};
use crate::model::{Hook, RuleRef};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Ip,
    Ip6,
    Inet,
}

impl Family {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Family::Ip => "ip",
            Family::Ip6 => "ip6",
            Family::Inet => "inet",
        }
    }
}

pub(crate) const NFPROTO_IPV4: u8 = 2;
pub(crate) const NFPROTO_IPV6: u8 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MetaKey {
    L4proto,
    Nfproto,
    Mark,
    Iifname,
    Oifname,
    /// `iif` / `oif`: the interface the ruleset named when it was loaded
    /// (nft resolves the name to an index then; here the name is kept).
    Iif,
    Oif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CtKey {
    State,
    Direction,
    Status,
    Mark,
    /// The helper of the connection's master (`nft_ct.c`: `ct->master`).
    Helper,
    Zone,
    Protocol,
}

/// Header base of a payload field (nft's `enum proto_bases`).
pub(crate) const BASE_LL: usize = 1;
pub(crate) const BASE_NETWORK: usize = 2;
pub(crate) const BASE_TRANSPORT: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Proto {
    Ip,
    Ip6,
    Tcp,
    Udp,
    Th,
    Icmp,
    Icmpv6,
}

impl Proto {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Proto::Ip => "ip",
            Proto::Ip6 => "ip6",
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
            Proto::Th => "th",
            Proto::Icmp => "icmp",
            Proto::Icmpv6 => "icmpv6",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PField {
    IpProtocol,
    IpTtl,
    IpSaddr,
    IpDaddr,
    Ip6Nexthdr,
    Ip6Hoplimit,
    Ip6Saddr,
    Ip6Daddr,
    TcpSport,
    TcpDport,
    TcpFlags,
    UdpSport,
    UdpDport,
    ThSport,
    ThDport,
    IcmpType,
    Icmpv6Type,
}

impl PField {
    /// (protocol, field name, base, offset, length in bytes, datatype)
    pub(crate) fn def(self) -> (Proto, &'static str, usize, usize, usize, DType) {
        use PField::*;
        match self {
            IpProtocol => (Proto::Ip, "protocol", BASE_NETWORK, 9, 1, DType::InetProto),
            IpTtl => (Proto::Ip, "ttl", BASE_NETWORK, 8, 1, DType::Integer(8)),
            IpSaddr => (Proto::Ip, "saddr", BASE_NETWORK, 12, 4, DType::Ipv4),
            IpDaddr => (Proto::Ip, "daddr", BASE_NETWORK, 16, 4, DType::Ipv4),
            Ip6Nexthdr => (Proto::Ip6, "nexthdr", BASE_NETWORK, 6, 1, DType::InetProto),
            Ip6Hoplimit => (
                Proto::Ip6,
                "hoplimit",
                BASE_NETWORK,
                7,
                1,
                DType::Integer(8),
            ),
            Ip6Saddr => (Proto::Ip6, "saddr", BASE_NETWORK, 8, 16, DType::Ipv6),
            Ip6Daddr => (Proto::Ip6, "daddr", BASE_NETWORK, 24, 16, DType::Ipv6),
            TcpSport => (
                Proto::Tcp,
                "sport",
                BASE_TRANSPORT,
                0,
                2,
                DType::InetService,
            ),
            TcpDport => (
                Proto::Tcp,
                "dport",
                BASE_TRANSPORT,
                2,
                2,
                DType::InetService,
            ),
            TcpFlags => (Proto::Tcp, "flags", BASE_TRANSPORT, 13, 1, DType::TcpFlag),
            UdpSport => (
                Proto::Udp,
                "sport",
                BASE_TRANSPORT,
                0,
                2,
                DType::InetService,
            ),
            UdpDport => (
                Proto::Udp,
                "dport",
                BASE_TRANSPORT,
                2,
                2,
                DType::InetService,
            ),
            ThSport => (Proto::Th, "sport", BASE_TRANSPORT, 0, 2, DType::InetService),
            ThDport => (Proto::Th, "dport", BASE_TRANSPORT, 2, 2, DType::InetService),
            IcmpType => (Proto::Icmp, "type", BASE_TRANSPORT, 0, 1, DType::IcmpType),
            Icmpv6Type => (
                Proto::Icmpv6,
                "type",
                BASE_TRANSPORT,
                0,
                1,
                DType::Icmpv6Type,
            ),
        }
    }

    pub(crate) fn lookup(proto: &str, field: &str) -> Option<PField> {
        use PField::*;
        [
            IpProtocol,
            IpTtl,
            IpSaddr,
            IpDaddr,
            Ip6Nexthdr,
            Ip6Hoplimit,
            Ip6Saddr,
            Ip6Daddr,
            TcpSport,
            TcpDport,
            TcpFlags,
            UdpSport,
            UdpDport,
            ThSport,
            ThDport,
            IcmpType,
            Icmpv6Type,
        ]
        .into_iter()
        .find(|f| {
            let (p, n, ..) = f.def();
            p.name() == proto && n == field
        })
    }

    pub(crate) fn proto(self) -> Proto {
        self.def().0
    }
    pub(crate) fn base(self) -> usize {
        self.def().2
    }
    pub(crate) fn offset(self) -> usize {
        self.def().3
    }
    pub(crate) fn len(self) -> usize {
        self.def().4
    }
    /// `EXPR_F_PROTOCOL`: the field names the next header's protocol.
    pub(crate) fn is_protocol(self) -> bool {
        matches!(self, PField::IpProtocol | PField::Ip6Nexthdr)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    Meta(MetaKey),
    Ct(CtKey),
    Payload(PField),
}

impl Key {
    pub(crate) fn dtype(self) -> DType {
        match self {
            Key::Meta(MetaKey::L4proto) => DType::InetProto,
            Key::Meta(MetaKey::Nfproto) => DType::NfProto,
            Key::Meta(MetaKey::Mark) => DType::Mark,
            Key::Meta(MetaKey::Iifname | MetaKey::Oifname | MetaKey::Iif | MetaKey::Oif) => {
                DType::Ifname
            }
            Key::Ct(CtKey::State) => DType::CtState,
            Key::Ct(CtKey::Direction) => DType::CtDir,
            Key::Ct(CtKey::Status) => DType::CtStatus,
            Key::Ct(CtKey::Mark) => DType::Mark,
            Key::Ct(CtKey::Helper) => DType::HelperName,
            Key::Ct(CtKey::Zone) => DType::Integer(16),
            Key::Ct(CtKey::Protocol) => DType::InetProto,
            Key::Payload(f) => f.def().5,
        }
    }

    /// As `nft list ruleset` prints the key.
    pub(crate) fn text(self) -> String {
        match self {
            Key::Meta(m) => match m {
                MetaKey::L4proto => "meta l4proto".into(),
                MetaKey::Nfproto => "meta nfproto".into(),
                MetaKey::Mark => "meta mark".into(),
                MetaKey::Iifname => "iifname".into(),
                MetaKey::Oifname => "oifname".into(),
                MetaKey::Iif => "iif".into(),
                MetaKey::Oif => "oif".into(),
            },
            Key::Ct(c) => match c {
                CtKey::State => "ct state".into(),
                CtKey::Direction => "ct direction".into(),
                CtKey::Status => "ct status".into(),
                CtKey::Mark => "ct mark".into(),
                CtKey::Helper => "ct helper".into(),
                CtKey::Zone => "ct zone".into(),
                CtKey::Protocol => "ct protocol".into(),
            },
            Key::Payload(f) => {
                let (p, n, ..) = f.def();
                format!("{} {n}", p.name())
            }
        }
    }

    /// The header base of a key with `EXPR_F_PROTOCOL` (meta nfproto:
    /// link layer, meta l4proto and ct protocol: network), else 0.
    pub(crate) fn meta_base(self) -> usize {
        match self {
            Key::Meta(MetaKey::Nfproto) => BASE_LL,
            Key::Meta(MetaKey::L4proto) | Key::Ct(CtKey::Protocol) => BASE_NETWORK,
            _ => 0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Neq,
    Lt,
    Gt,
    Lte,
    Gte,
}

impl Op {
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Neq => "!=",
            Op::Lt => "<",
            Op::Gt => ">",
            Op::Lte => "<=",
            Op::Gte => ">=",
        }
    }
}

/// An element of a set: a value (a wildcard name is a prefix), or an
/// interval of numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Elem {
    One(Val),
    Range(u128, u128),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SetDef {
    /// None: an anonymous set of one rule.
    pub name: Option<String>,
    pub dtype: DType,
    /// `typeof KEY` instead of `type NAME`.
    pub typeof_key: Option<Key>,
    pub interval: bool,
    pub constant: bool,
    pub elems: Vec<Elem>,
    /// A verdict map (`map m { type K : verdict; }`, `vmap { k : v }`):
    /// the verdict of each element, in the order of `elems`.
    pub map: Option<Vec<Verdict>>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SetRef {
    Anon(Box<SetDef>),
    /// Index into the table's sets.
    Named(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Rhs {
    Val(Val),
    Range(u128, u128),
    Set(SetRef),
}

/// `nft_bitwise`'s (mask, xor): the key is loaded as `(key & mask) ^ xor`.
pub(crate) type Bitwise = (u128, u128);

/// load key [& mask ^ xor] then compare / range / lookup.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Match {
    pub key: Key,
    pub bitwise: Option<Bitwise>,
    pub op: Op,
    pub rhs: Rhs,
}

/// The value a `set` statement stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SetVal {
    Const(u32),
    Load { key: Key, bitwise: Option<Bitwise> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RejectKind {
    /// NFT_REJECT_ICMP_UNREACH with an ICMP (v6: ICMPv6) code.
    Icmp {
        v6: bool,
        code: u8,
    },
    TcpReset,
    /// NFT_REJECT_ICMPX_UNREACH with an `icmpx` code.
    Icmpx(u8),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Accept,
    Drop,
    Continue,
    Return,
    /// Index of the chain in its table.
    Jump(usize),
    Goto(usize),
}

#[derive(Debug, Clone)]
pub(crate) enum Stmt {
    Match(Match),
    /// Adjacent payload fields nft merged into one load and comparison;
    /// `neq`: the comparison is `!=` on the whole (true when any differs).
    Merged {
        neq: bool,
        parts: Vec<(PField, u128)>,
    },
    /// `KEY vmap { ... }` / `KEY vmap @m`: a lookup whose element gives
    /// the verdict (`nft_lookup` with the verdict register); no element:
    /// the rule ends there (`NFT_BREAK`).
    Vmap {
        key: Key,
        bitwise: Option<Bitwise>,
        map: SetRef,
    },
    Counter {
        packets: u64,
        bytes: u64,
    },
    Log(LogAst),
    MetaMarkSet(SetVal),
    CtMarkSet(SetVal),
    CtZoneSet(u16),
    /// Index into the table's ct helper objects.
    CtHelperSet(usize),
    Notrack,
    Reject(RejectKind),
    Verdict(Verdict),
}

/// A `ct helper NAME { type "ftp" protocol tcp; }` object.
#[derive(Debug, Clone)]
pub(crate) struct HelperObj {
    pub name: String,
    /// The kernel helper (`ftp`).
    pub helper: String,
    pub l4proto: u8,
    /// Whether the helper exists for IPv4 / IPv6 in this object.
    pub v4: bool,
    pub v6: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Base {
    /// `filter` or `route`.
    pub typ: String,
    pub hook: Hook,
    pub prio: i32,
    pub policy_drop: bool,
    pub policy_written: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Rule {
    /// Where the rule starts in the file.
    pub line: usize,
    pub stmts: Vec<Stmt>,
    pub comment: Option<String>,
    /// How reports name the rule (its text as nft prints it, without
    /// counter values).
    pub rref: RuleRef,
    /// Packets that matched every expression of the rule.
    pub hits: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct Chain {
    pub name: String,
    /// `inet fw forward`: how reports name the chain.
    pub label: std::sync::Arc<str>,
    /// How reports name a base chain's policy (`policy drop`), built with
    /// the rules' [`RuleRef`]s.
    pub policy_ref: RuleRef,
    /// Where the chain is (first) declared in the file.
    pub line: usize,
    pub base: Option<Base>,
    pub rules: Vec<Rule>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub family: Family,
    pub name: String,
    pub comment: Option<String>,
    pub helpers: Vec<HelperObj>,
    pub sets: Vec<SetDef>,
    pub chains: Vec<Chain>,
}
