//! nft's datatypes for the keys this engine knows: how a symbol in a
//! ruleset becomes a value and how `nft list ruleset` prints it back
//! (nftables `src/datatype.c`, `src/ct.c`, `src/proto.c`, `src/meta.c`).

use core::fmt::Write;
use std::net::{Ipv4Addr, Ipv6Addr};

/// A key's datatype.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DType {
    /// `inet_proto`: `meta l4proto`, `ip protocol`, `ip6 nexthdr`.
    InetProto,
    /// `nf_proto`: `meta nfproto`.
    NfProto,
    /// `mark`: `meta mark`, `ct mark` (host byte order, printed 0x%08x).
    Mark,
    /// `ifname`: `iifname`, `oifname` (16 bytes, NUL padded).
    Ifname,
    /// `ct_state` (bitmask).
    CtState,
    /// `ct_dir`.
    CtDir,
    /// `ct_status` (bitmask).
    CtStatus,
    /// `string` of 16 bytes: `ct helper`.
    HelperName,
    /// `ipv4_addr`.
    Ipv4,
    /// `ipv6_addr`.
    Ipv6,
    /// `inet_service`: ports.
    InetService,
    /// `tcp_flag` (bitmask).
    TcpFlag,
    /// `icmp_type`.
    IcmpType,
    /// `icmpv6_type`.
    Icmpv6Type,
    /// A plain integer of this many bits (`ip ttl`, `ct zone`).
    Integer(u32),
}

/// A constant: a number (network-order fields as their numeric value) or
/// a string (interface and helper names).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Val {
    Num(u128),
    /// The bytes without the terminating NUL; `wildcard`: `"eth*"`, a
    /// prefix match on `bytes` (which then excludes the `*`).
    Str {
        bytes: Vec<u8>,
        wildcard: bool,
    },
}

impl Val {
    pub(crate) fn num(&self) -> u128 {
        match self {
            Val::Num(n) => *n,
            Val::Str { .. } => 0,
        }
    }
}

/// Where a symbol came from, for parsing it by type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SymKind {
    /// An identifier: `established`, `tcp`, `eth0`, `ssh`.
    Word,
    /// `22`, `0x10`.
    Number,
    /// `"eth0"`.
    Quoted,
    /// `10.0.0.1`.
    Ip4,
    /// `::1`.
    Ip6,
}

pub(crate) const CT_STATE: &[(&str, u128)] = &[
    ("invalid", 1),
    ("new", 8),
    ("established", 2),
    ("related", 4),
    ("untracked", 64),
];

pub(crate) const CT_STATUS: &[(&str, u128)] = &[
    ("expected", 1),
    ("seen-reply", 2),
    ("assured", 4),
    ("confirmed", 8),
    ("snat", 16),
    ("dnat", 32),
    ("dying", 512),
];

const CT_DIR: &[(&str, u128)] = &[("original", 0), ("reply", 1)];

const NFPROTO: &[(&str, u128)] = &[("ipv4", 2), ("ipv6", 10)];

pub(crate) const TCP_FLAGS: &[(&str, u128)] = &[
    ("fin", 0x01),
    ("syn", 0x02),
    ("rst", 0x04),
    ("psh", 0x08),
    ("ack", 0x10),
    ("urg", 0x20),
    ("ecn", 0x40),
    ("cwr", 0x80),
];

const ICMP_TYPES: &[(&str, u128)] = &[
    ("echo-reply", 0),
    ("destination-unreachable", 3),
    ("source-quench", 4),
    ("redirect", 5),
    ("echo-request", 8),
    ("router-advertisement", 9),
    ("router-solicitation", 10),
    ("time-exceeded", 11),
    ("parameter-problem", 12),
    ("timestamp-request", 13),
    ("timestamp-reply", 14),
    ("info-request", 15),
    ("info-reply", 16),
    ("address-mask-request", 17),
    ("address-mask-reply", 18),
];

const ICMPV6_TYPES: &[(&str, u128)] = &[
    ("destination-unreachable", 1),
    ("packet-too-big", 2),
    ("time-exceeded", 3),
    ("parameter-problem", 4),
    ("echo-request", 128),
    ("echo-reply", 129),
    ("mld-listener-query", 130),
    ("mld-listener-report", 131),
    ("mld-listener-done", 132),
    ("mld-listener-reduction", 132),
    ("nd-router-solicit", 133),
    ("nd-router-advert", 134),
    ("nd-neighbor-solicit", 135),
    ("nd-neighbor-advert", 136),
    ("nd-redirect", 137),
    ("router-renumbering", 138),
    ("ind-neighbor-solicit", 141),
    ("ind-neighbor-advert", 142),
    ("mld2-listener-report", 143),
];

/// `/etc/protocols` of Debian's netbase, which nft 1.0.6 reads through
/// getprotobyname(3)/getprotobynumber(3): (number, name, aliases). The
/// first entry of a number is the name nft prints.
const PROTOCOLS: &[(u8, &str, &[&str])] = &[
    (0, "ip", &["IP"]),
    (0, "hopopt", &["HOPOPT"]),
    (1, "icmp", &["ICMP"]),
    (2, "igmp", &["IGMP"]),
    (3, "ggp", &["GGP"]),
    (4, "ipencap", &["IP-ENCAP"]),
    (5, "st", &["ST"]),
    (6, "tcp", &["TCP"]),
    (8, "egp", &["EGP"]),
    (9, "igp", &["IGP"]),
    (12, "pup", &["PUP"]),
    (17, "udp", &["UDP"]),
    (20, "hmp", &["HMP"]),
    (22, "xns-idp", &["XNS-IDP"]),
    (27, "rdp", &["RDP"]),
    (29, "iso-tp4", &["ISO-TP4"]),
    (33, "dccp", &["DCCP"]),
    (36, "xtp", &["XTP"]),
    (37, "ddp", &["DDP"]),
    (38, "idpr-cmtp", &["IDPR-CMTP"]),
    (41, "ipv6", &["IPv6"]),
    (43, "ipv6-route", &["IPv6-Route"]),
    (44, "ipv6-frag", &["IPv6-Frag"]),
    (45, "idrp", &["IDRP"]),
    (46, "rsvp", &["RSVP"]),
    (47, "gre", &["GRE"]),
    (50, "esp", &["IPSEC-ESP"]),
    (51, "ah", &["IPSEC-AH"]),
    (57, "skip", &["SKIP"]),
    (58, "ipv6-icmp", &["IPv6-ICMP"]),
    (59, "ipv6-nonxt", &["IPv6-NoNxt"]),
    (60, "ipv6-opts", &["IPv6-Opts"]),
    (73, "rspf", &["RSPF", "CPHB"]),
    (81, "vmtp", &["VMTP"]),
    (88, "eigrp", &["EIGRP"]),
    (89, "ospf", &["OSPFIGP"]),
    (93, "ax.25", &["AX.25"]),
    (94, "ipip", &["IPIP"]),
    (97, "etherip", &["ETHERIP"]),
    (98, "encap", &["ENCAP"]),
    (103, "pim", &["PIM"]),
    (108, "ipcomp", &["IPCOMP"]),
    (112, "vrrp", &["VRRP"]),
    (115, "l2tp", &["L2TP"]),
    (124, "isis", &["ISIS"]),
    (132, "sctp", &["SCTP"]),
    (133, "fc", &["FC"]),
    (135, "mobility-header", &["Mobility-Header"]),
    (136, "udplite", &["UDPLite"]),
    (137, "mpls-in-ip", &["MPLS-in-IP"]),
    (138, "manet", &[]),
    (139, "hip", &["HIP"]),
    (140, "shim6", &["Shim6"]),
    (141, "wesp", &["WESP"]),
    (142, "rohc", &["ROHC"]),
    (143, "ethernet", &["Ethernet"]),
];

/// The name nft prints for an IP protocol number, if /etc/protocols has one.
pub(crate) fn proto_name(p: u8) -> Option<&'static str> {
    PROTOCOLS
        .iter()
        .find(|(n, _, _)| *n == p)
        .map(|(_, s, _)| *s)
}

fn proto_by_name(s: &str) -> Option<u8> {
    PROTOCOLS
        .iter()
        .find(|(_, n, aliases)| *n == s || aliases.contains(&s))
        .map(|(p, _, _)| *p)
}

/// nft's `mpz_set_str(.., 0)` / `strtoumax(.., 0)`: `0x` hex, a leading `0`
/// octal, decimal otherwise.
pub(crate) fn parse_number(s: &str) -> Option<u128> {
    let (digits, radix) = if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (h, 16)
    } else if s.len() > 1 && s.starts_with('0') {
        (&s[1..], 8)
    } else {
        (s, 10)
    };
    if digits.is_empty() {
        return None;
    }
    u128::from_str_radix(digits, radix).ok()
}

fn lookup(tbl: &[(&str, u128)], s: &str) -> Option<u128> {
    tbl.iter().find(|(n, _)| *n == s).map(|(_, v)| *v)
}

fn names(tbl: &[(&str, u128)]) -> String {
    let mut out = String::new();
    for (i, (n, _)) in tbl.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(n);
    }
    out
}

impl DType {
    /// Width in bits.
    pub(crate) fn bits(self) -> u32 {
        match self {
            DType::InetProto | DType::NfProto | DType::CtDir => 8,
            DType::TcpFlag | DType::IcmpType | DType::Icmpv6Type => 8,
            DType::Mark | DType::CtState | DType::CtStatus | DType::Ipv4 => 32,
            DType::Ifname | DType::HelperName => 128,
            DType::Ipv6 => 128,
            DType::InetService => 16,
            DType::Integer(b) => b,
        }
    }

    pub(crate) fn max(self) -> u128 {
        let b = self.bits();
        if b >= 128 {
            u128::MAX
        } else {
            (1u128 << b) - 1
        }
    }

    /// Basetype bitmask: flag lists, `!`, `/` masks.
    pub(crate) fn is_bitmask(self) -> bool {
        matches!(self, DType::CtState | DType::CtStatus | DType::TcpFlag)
    }

    /// `DTYPE_F_PREFIX`: printed as `value/len` where a mask or an
    /// interval allows it.
    pub(crate) fn prefix_capable(self) -> bool {
        matches!(self, DType::Ipv4 | DType::Ipv6 | DType::Mark)
    }

    pub(crate) fn is_string(self) -> bool {
        matches!(self, DType::Ifname | DType::HelperName)
    }

    /// The name in `set { type NAME; }`.
    pub(crate) fn type_name(self) -> &'static str {
        match self {
            DType::InetProto => "inet_proto",
            DType::NfProto => "nf_proto",
            DType::Mark => "mark",
            DType::Ifname => "ifname",
            DType::CtState => "ct_state",
            DType::CtDir => "ct_dir",
            DType::CtStatus => "ct_status",
            DType::HelperName => "string",
            DType::Ipv4 => "ipv4_addr",
            DType::Ipv6 => "ipv6_addr",
            DType::InetService => "inet_service",
            DType::TcpFlag => "tcp_flag",
            DType::IcmpType => "icmp_type",
            DType::Icmpv6Type => "icmpv6_type",
            DType::Integer(_) => "integer",
        }
    }

    /// [`desc`](Self::desc) with its indefinite article, for messages.
    pub(crate) fn a_desc(self) -> String {
        let d = self.desc();
        let vowel = matches!(
            d.as_bytes()[0].to_ascii_lowercase(),
            b'a' | b'e' | b'i' | b'o' | b'u'
        );
        format!("{} {d}", if vowel { "an" } else { "a" })
    }

    pub(crate) fn from_type_name(s: &str) -> Option<DType> {
        Some(match s {
            "inet_proto" => DType::InetProto,
            "nf_proto" => DType::NfProto,
            "mark" => DType::Mark,
            "ifname" => DType::Ifname,
            "ct_state" => DType::CtState,
            "ct_dir" => DType::CtDir,
            "ct_status" => DType::CtStatus,
            "ipv4_addr" => DType::Ipv4,
            "ipv6_addr" => DType::Ipv6,
            "inet_service" => DType::InetService,
            "tcp_flag" => DType::TcpFlag,
            "icmp_type" => DType::IcmpType,
            "icmpv6_type" => DType::Icmpv6Type,
            _ => return None,
        })
    }

    /// nft's description, for messages.
    pub(crate) fn desc(self) -> &'static str {
        match self {
            DType::InetProto => "Internet protocol",
            DType::NfProto => "netfilter protocol",
            DType::Mark => "packet mark",
            DType::Ifname => "network interface name",
            DType::CtState => "conntrack state",
            DType::CtDir => "conntrack direction",
            DType::CtStatus => "conntrack status",
            DType::HelperName => "string",
            DType::Ipv4 => "IPv4 address",
            DType::Ipv6 => "IPv6 address",
            DType::InetService => "internet network service",
            DType::TcpFlag => "TCP flag",
            DType::IcmpType => "ICMP type",
            DType::Icmpv6Type => "ICMPv6 type",
            DType::Integer(_) => "integer",
        }
    }

    fn symbols(self) -> Option<&'static [(&'static str, u128)]> {
        match self {
            DType::CtState => Some(CT_STATE),
            DType::CtStatus => Some(CT_STATUS),
            DType::CtDir => Some(CT_DIR),
            DType::NfProto => Some(NFPROTO),
            DType::TcpFlag => Some(TCP_FLAGS),
            DType::IcmpType => Some(ICMP_TYPES),
            DType::Icmpv6Type => Some(ICMPV6_TYPES),
            _ => None,
        }
    }

    fn check_range(self, n: u128, text: &str) -> Result<Val, String> {
        if n > self.max() {
            return Err(format!(
                "value `{text}` exceeds the valid range 0-{} of {}",
                self.max(),
                self.a_desc()
            ));
        }
        Ok(Val::Num(n))
    }

    /// A symbol as a value of this type.
    pub(crate) fn parse(self, text: &str, kind: SymKind) -> Result<Val, String> {
        match self {
            DType::Ifname | DType::HelperName => {
                if !matches!(kind, SymKind::Word | SymKind::Quoted) {
                    let hint = if self == DType::Ifname && text.bytes().all(|b| b.is_ascii_digit())
                    {
                        " (interface indexes are not supported: name the interface, `iif \"lo\"`)"
                    } else {
                        ""
                    };
                    return Err(format!("`{text}` is not {}{hint}", self.a_desc()));
                }
                let (bytes, wildcard) = unescape_name(text, self == DType::Ifname);
                if bytes.is_empty() && !wildcard {
                    return Err("Empty string is not allowed".into());
                }
                if bytes.len() > 15 {
                    return Err(format!(
                        "`{text}` is longer than the 15 characters a {} has",
                        if self == DType::Ifname {
                            "network interface name"
                        } else {
                            "conntrack helper name"
                        }
                    ));
                }
                if bytes.contains(&0) {
                    return Err(format!("`{}` contains a NUL byte", text.escape_debug()));
                }
                Ok(Val::Str { bytes, wildcard })
            }
            DType::Ipv4 => match kind {
                SymKind::Ip4 => text
                    .parse::<Ipv4Addr>()
                    .map(|a| Val::Num(u128::from(u32::from(a))))
                    .map_err(|_| format!("`{text}` is not a valid IPv4 address")),
                SymKind::Word => Err(format!(
                    "`{text}`: host names are not resolved; write an IPv4 address"
                )),
                _ => Err(format!("`{text}` is not an IPv4 address")),
            },
            DType::Ipv6 => match kind {
                SymKind::Ip6 => text
                    .parse::<Ipv6Addr>()
                    .map(|a| Val::Num(u128::from(a)))
                    .map_err(|_| format!("`{text}` is not a valid IPv6 address")),
                SymKind::Word => Err(format!(
                    "`{text}`: host names are not resolved; write an IPv6 address"
                )),
                _ => Err(format!("`{text}` is not an IPv6 address")),
            },
            _ => {
                if kind == SymKind::Number {
                    let n = parse_number(text)
                        .ok_or_else(|| format!("`{text}` is not a valid number"))?;
                    return self.check_range(n, text);
                }
                if kind != SymKind::Word && kind != SymKind::Quoted {
                    return Err(format!("`{text}` is not {}", self.a_desc()));
                }
                if let Some(tbl) = self.symbols() {
                    if let Some(v) = lookup(tbl, text) {
                        return Ok(Val::Num(v));
                    }
                    return Err(format!(
                        "`{text}` is not {} (one of {}, or a number)",
                        self.a_desc(),
                        names(tbl)
                    ));
                }
                match self {
                    DType::InetProto => proto_by_name(text)
                        .map(|p| Val::Num(u128::from(p)))
                        .ok_or_else(|| format!("`{text}`: unknown protocol name")),
                    DType::InetService => super::services::SERVICES
                        .iter()
                        .find(|(n, _)| *n == text)
                        .map(|(_, p)| Val::Num(u128::from(*p)))
                        .ok_or_else(|| format!("`{text}`: unknown service name")),
                    _ => Err(format!("`{text}` is not {}", self.a_desc())),
                }
            }
        }
    }

    /// One value as nft prints it (`symbols`: names allowed; ranges print
    /// numerically).
    pub(crate) fn print(self, v: &Val, symbols: bool) -> String {
        match v {
            Val::Str { bytes, wildcard } => print_name(bytes, *wildcard),
            Val::Num(n) => self.print_num(*n, symbols),
        }
    }

    pub(crate) fn print_num(self, n: u128, symbols: bool) -> String {
        match self {
            DType::Ipv4 => Ipv4Addr::from(n as u32).to_string(),
            DType::Ipv6 => ntop6(n),
            DType::Mark => format!("0x{n:08x}"),
            DType::InetProto => match proto_name(n as u8) {
                Some(s) if symbols && n <= 255 => s.to_string(),
                _ => n.to_string(),
            },
            DType::CtState | DType::CtStatus | DType::TcpFlag => {
                if n.count_ones() > 1 {
                    // bitmask_expr_to_binops(): flag | flag, lowest bit first.
                    let mut out = String::new();
                    for bit in 0..self.bits() {
                        let f = 1u128 << bit;
                        if n & f != 0 {
                            if !out.is_empty() {
                                out.push_str(" | ");
                            }
                            out.push_str(&self.print_num(f, symbols));
                        }
                    }
                    return out;
                }
                match self.symbols().and_then(|t| t.iter().find(|(_, v)| *v == n)) {
                    Some((s, _)) if symbols => s.to_string(),
                    _ => format!("0x{n:x}"),
                }
            }
            _ => match self.symbols().and_then(|t| t.iter().find(|(_, v)| *v == n)) {
                Some((s, _)) if symbols => s.to_string(),
                _ => n.to_string(),
            },
        }
    }

    /// A flag list (`established,related`): each bit by name, lowest first.
    pub(crate) fn print_flag_list(self, n: u128) -> String {
        let mut out = String::new();
        for bit in 0..self.bits() {
            let f = 1u128 << bit;
            if n & f != 0 {
                if !out.is_empty() {
                    out.push(',');
                }
                out.push_str(&self.print_num(f, true));
            }
        }
        if out.is_empty() {
            out.push_str(&self.print_num(0, true));
        }
        out
    }
}

/// `"eth*"` → prefix `eth`; `"eth\*"` → the name `eth*`.
fn unescape_name(text: &str, wildcards: bool) -> (Vec<u8>, bool) {
    let b = text.as_bytes();
    if wildcards && b.ends_with(b"\\*") {
        let mut v = b[..b.len() - 2].to_vec();
        v.push(b'*');
        return (v, false);
    }
    if wildcards && b.ends_with(b"*") {
        return (b[..b.len() - 1].to_vec(), true);
    }
    (b.to_vec(), false)
}

fn print_name(bytes: &[u8], wildcard: bool) -> String {
    let mut s = String::from("\"");
    let text = String::from_utf8_lossy(bytes);
    if wildcard {
        s.push_str(&text);
        s.push('*');
    } else if let Some(stem) = text.strip_suffix('*') {
        s.push_str(stem);
        s.push_str("\\*");
    } else {
        s.push_str(&text);
    }
    s.push('"');
    s
}

/// glibc/BSD `inet_ntop(AF_INET6)`: the first longest run of two or more
/// zero groups becomes `::`; `::a.b.c.d` and `::ffff:a.b.c.d` keep the
/// dotted quad.
pub(crate) fn ntop6(n: u128) -> String {
    let w: Vec<u16> = (0..8).map(|i| (n >> (112 - 16 * i)) as u16).collect();
    let (mut best, mut best_len) = (usize::MAX, 0usize);
    let mut i = 0;
    while i < 8 {
        if w[i] == 0 {
            let start = i;
            while i < 8 && w[i] == 0 {
                i += 1;
            }
            if i - start > best_len {
                best = start;
                best_len = i - start;
            }
        } else {
            i += 1;
        }
    }
    if best_len < 2 {
        best = usize::MAX;
    }
    let mut out = String::new();
    let mut i = 0;
    while i < 8 {
        if i == best {
            out.push_str("::");
            i += best_len;
            continue;
        }
        if i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff)) {
            if !out.ends_with(':') {
                out.push(':');
            }
            let _ = write!(
                out,
                "{}.{}.{}.{}",
                w[6] >> 8,
                w[6] & 0xff,
                w[7] >> 8,
                w[7] & 0xff
            );
            break;
        }
        if !out.is_empty() && !out.ends_with(':') {
            out.push(':');
        }
        let _ = write!(out, "{:x}", w[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_text_as_glibc_prints_it() {
        let p = |s: &str| ntop6(u128::from(s.parse::<Ipv6Addr>().unwrap()));
        assert_eq!(p("::1"), "::1");
        assert_eq!(p("::"), "::");
        assert_eq!(p("fe80::"), "fe80::");
        assert_eq!(p("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
        assert_eq!(p("::ffff:1.2.3.4"), "::ffff:1.2.3.4");
        assert_eq!(p("::1.2.3.4"), "::1.2.3.4");
        assert_eq!(p("2001:db8::"), "2001:db8::");
        assert_eq!(p("1:0:1:0:1:0:1:0"), "1:0:1:0:1:0:1:0");
    }

    #[test]
    fn numbers_are_read_as_nft_reads_them() {
        assert_eq!(parse_number("22"), Some(22));
        assert_eq!(parse_number("0x16"), Some(22));
        assert_eq!(parse_number("026"), Some(22));
        assert_eq!(parse_number("08"), None);
        assert_eq!(parse_number("0"), Some(0));
    }

    #[test]
    fn values_by_type() {
        assert_eq!(
            DType::InetProto.parse("ipv6-icmp", SymKind::Word),
            Ok(Val::Num(58))
        );
        assert_eq!(
            DType::InetProto.parse("TCP", SymKind::Word),
            Ok(Val::Num(6))
        );
        assert_eq!(
            DType::InetService.parse("ssh", SymKind::Word),
            Ok(Val::Num(22))
        );
        assert!(DType::InetService.parse("70000", SymKind::Number).is_err());
        assert_eq!(DType::CtState.print_num(6, true), "established | related");
        assert_eq!(DType::CtState.print_flag_list(6), "established,related");
        assert_eq!(DType::Mark.print_num(1, true), "0x00000001");
        assert_eq!(DType::InetProto.print_num(58, true), "ipv6-icmp");
        assert_eq!(DType::InetProto.print_num(253, true), "253");
        assert_eq!(
            DType::Ifname.parse("eth*", SymKind::Quoted),
            Ok(Val::Str {
                bytes: b"eth".to_vec(),
                wildcard: true
            })
        );
        assert_eq!(
            DType::Ifname.print(
                &DType::Ifname.parse("eth\\*", SymKind::Quoted).unwrap(),
                true
            ),
            "\"eth\\*\""
        );
    }
}
