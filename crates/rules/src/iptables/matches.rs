//! The match extensions ctrack implements, each as libxt_*.c parses,
//! saves (`iptables-save`) and prints (`iptables -L -n`) it and as the
//! kernel evaluates it:
//!
//! | match | options | kernel |
//! |---|---|---|
//! | `tcp` | `--sport`, `--dport` (ranges), `--tcp-flags MASK COMP`, `--syn`, `--tcp-option` | nft payload (iptables-nft translates it); with `--tcp-option` `xt_tcpudp.c` |
//! | `udp` | `--sport`, `--dport` | nft payload |
//! | `icmp` | `--icmp-type` (names, TYPE[/CODE], `any`) | `xt_tcpudp.c` `icmp_match()` |
//! | `icmp6` (`icmpv6`) | `--icmpv6-type` | `ip6t_icmp6` |
//! | `multiport` | `--sports`, `--dports`, `--ports` (ranges) | `xt_multiport.c` v1 |
//! | `state` | `--state` | `xt_conntrack.c` (iptables aliases it) |
//! | `conntrack` | `--ctstate`, `--ctproto`, `--ctorig{src,dst}`, `--ctrepl{src,dst}`, the four `...port`s, `--ctstatus`, `--ctdir` | `xt_conntrack.c` v3 |
//! | `mark` | `--mark V[/M]` | nft `meta mark` |
//! | `connmark` | `--mark V[/M]` | `xt_connmark.c` |
//! | `helper` | `--helper NAME` | `xt_helper.c` (see [`HelperM`]) |
//! | `comment` | `--comment` | always matches |
//! | `limit` | `--limit`, `--limit-burst` | the kernel's token bucket on the packets' jiffies (see [`Limit`]) |
//! | `ttl` (IPv4) / `hl` (IPv6) | `--ttl-eq`/`--ttl-lt`/`--ttl-gt`, `--hl-*` | the header byte |
//! | `statistic` | `--mode nth --every N --packet P` | `xt_statistic.c` nth counter (random mode refused) |
//! | `length` | `--length LO[:HI]` | `xt_length.c` (IP total length) |
//!
//! Every other extension iptables has is a parse error saying ctrack does
//! not implement it (`--ctexpire` too: the snapshot has no timeout).

use super::eval::{Hit, View};
use super::values::{self, Net, mask_suffix};
use crate::model::Meta;
use ctrack_core::CtState;
use ctrack_core::ctinfo::Direction;
use ctrack_core::hooks::CtSnapshot;
use ctrack_core::status::Status;
use ctrack_core::tuple::Family;

/// An option an extension adds to the command line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OptDef {
    pub name: &'static str,
    pub arg: bool,
    pub id: u8,
    /// May be preceded by `!`.
    pub invert: bool,
    /// `xtables_options`-style "can only be used once" check by the caller.
    pub once: bool,
}

const fn opt(name: &'static str, id: u8, invert: bool) -> OptDef {
    OptDef {
        name,
        arg: true,
        id,
        invert,
        once: true,
    }
}

const fn flag(name: &'static str, id: u8, invert: bool) -> OptDef {
    OptDef {
        name,
        arg: false,
        id,
        invert,
        once: true,
    }
}

/// What an option's parser sees of the rule so far.
pub(crate) struct Ctx {
    pub family: Family,
    /// `-p` so far: number and inversion.
    pub proto: Option<(u8, bool)>,
}

/// A port range `LO:HI` and its inversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ports {
    pub lo: u16,
    pub hi: u16,
    pub inv: bool,
}

impl Ports {
    pub fn full(&self) -> bool {
        self.lo == 0 && self.hi == u16::MAX
    }

    fn hit(&self, p: u16) -> bool {
        (self.lo <= p && p <= self.hi) != self.inv
    }

    /// Every port `other` matches, `self` matches.
    pub fn covers(&self, other: &Ports) -> bool {
        match (self.inv, other.inv) {
            (false, false) => self.lo <= other.lo && other.hi <= self.hi,
            (true, true) => other.lo <= self.lo && self.hi <= other.hi,
            (true, false) => other.hi < self.lo || other.lo > self.hi,
            (false, true) => self.full(),
        }
    }
}

/// `struct xt_tcp` (and `xt_udp` without flags and option).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Tcp {
    pub sport: Option<Ports>,
    pub dport: Option<Ports>,
    /// `--tcp-flags MASK COMP` / `--syn`: mask, comparison, inversion.
    pub flags: Option<(u8, u8, bool)>,
    /// `--tcp-option N`.
    pub option: Option<(u8, bool)>,
}

/// The TCP flag names, in `tcp_flag_names` order.
const TCP_FLAGS: &[(&str, u8)] = &[
    ("FIN", 0x01),
    ("SYN", 0x02),
    ("RST", 0x04),
    ("PSH", 0x08),
    ("ACK", 0x10),
    ("URG", 0x20),
    ("ALL", 0x3f),
    ("NONE", 0),
];

pub(crate) const SYN_MASK: u8 = 0x17; // FIN,SYN,RST,ACK

fn parse_tcp_flags(s: &str) -> Result<u8, String> {
    let mut v = 0;
    for f in s.split(',').filter(|f| !f.is_empty()) {
        let (_, bit) = TCP_FLAGS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(f))
            .ok_or_else(|| format!("Unknown TCP flag `{f}'"))?;
        v |= bit;
    }
    Ok(v)
}

/// `print_tcpf()`.
pub(crate) fn tcp_flags_names(mut flags: u8) -> String {
    let mut out = Vec::new();
    while flags != 0 {
        let (name, bit) = TCP_FLAGS
            .iter()
            .find(|(_, b)| flags & b != 0)
            .expect("a flag bit");
        out.push(*name);
        flags &= !bit;
    }
    if out.is_empty() {
        "NONE".into()
    } else {
        out.join(",")
    }
}

/// `parse_tcp_ports()`: `PORT`, `LO:HI`, `:HI`, `LO:`; LO must not exceed HI.
fn parse_tcp_ports(s: &str) -> Result<(u16, u16), String> {
    match s.split_once(':') {
        None => {
            let p = values::parse_port(s, "tcp")?;
            Ok((p, p))
        }
        Some((a, b)) => {
            let lo = if a.is_empty() {
                0
            } else {
                values::parse_port(a, "tcp")?
            };
            let hi = if b.is_empty() {
                u16::MAX
            } else {
                values::parse_port(b, "tcp")?
            };
            if lo > hi {
                return Err("invalid portrange (min > max)".into());
            }
            Ok((lo, hi))
        }
    }
}

/// `tcp_save()` / `udp_save()` for one port option.
fn save_ports(out: &mut String, name: &str, p: &Option<Ports>) {
    if let Some(p) = p
        && !p.full()
    {
        if p.inv {
            out.push_str(" !");
        }
        if p.lo == p.hi {
            out.push_str(&format!(" --{name} {}", p.lo));
        } else {
            out.push_str(&format!(" --{name} {}:{}", p.lo, p.hi));
        }
    }
}

/// `print_ports()` of `tcp_print()` / `udp_print()`.
fn print_ports(out: &mut String, name: &str, p: &Option<Ports>, compat: bool) {
    if let Some(p) = p
        && (!p.full() || (p.inv && compat))
    {
        let inv = if p.inv { "!" } else { "" };
        if p.lo == p.hi {
            out.push_str(&format!(" {name}:{inv}{}", p.lo));
        } else {
            out.push_str(&format!(" {name}s:{inv}{}:{}", p.lo, p.hi));
        }
    }
}

/// How iptables-nft puts a tcp/udp match in the kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TcpMode {
    /// Payload expressions for the ports and flags that restrict anything
    /// (a full port range or an empty flag mask is left out, inverted or
    /// not).
    Native,
    /// The xtables match (`tcp_mt()` / `udp_mt()`): with `--tcp-option`,
    /// or when nothing is restricted and nothing inverted (`-m tcp` alone).
    Compat,
    /// Only trivially inverted parts (`! --dport 0:65535`): iptables-nft
    /// emits nothing, the match is gone.
    Void,
}

impl Tcp {
    pub fn mode(&self) -> TcpMode {
        if self.option.is_some() {
            return TcpMode::Compat;
        }
        let ports = [self.sport, self.dport];
        let effective = ports.iter().flatten().any(|p| !p.full())
            || self.flags.is_some_and(|(mask, _, _)| mask != 0);
        let inverted =
            ports.iter().flatten().any(|p| p.inv) || self.flags.is_some_and(|(_, _, inv)| inv);
        if effective {
            TcpMode::Native
        } else if inverted {
            TcpMode::Void
        } else {
            TcpMode::Compat
        }
    }

    pub const OPTS: &'static [OptDef] = &[
        OptDef {
            once: false,
            ..opt("source-port", 1, true)
        },
        OptDef {
            once: false,
            ..opt("sport", 1, true)
        },
        OptDef {
            once: false,
            ..opt("destination-port", 2, true)
        },
        OptDef {
            once: false,
            ..opt("dport", 2, true)
        },
        OptDef {
            once: false,
            ..flag("syn", 3, true)
        },
        OptDef {
            once: false,
            ..opt("tcp-flags", 4, true)
        },
        OptDef {
            once: false,
            ..opt("tcp-option", 5, true)
        },
    ];

    /// `tcp_parse()`; `next` takes the second argument of `--tcp-flags`.
    pub fn parse(
        &mut self,
        id: u8,
        arg: &str,
        inv: bool,
        next: &mut dyn FnMut() -> Option<String>,
    ) -> Result<(), String> {
        match id {
            1 => {
                if self.sport.is_some() {
                    return Err("Only one `--source-port' allowed".into());
                }
                let (lo, hi) = parse_tcp_ports(arg)?;
                self.sport = Some(Ports { lo, hi, inv });
            }
            2 => {
                if self.dport.is_some() {
                    return Err("Only one `--destination-port' allowed".into());
                }
                let (lo, hi) = parse_tcp_ports(arg)?;
                self.dport = Some(Ports { lo, hi, inv });
            }
            3 | 4 => {
                if self.flags.is_some() {
                    return Err("Only one of `--syn' or `--tcp-flags'  allowed".into());
                }
                if id == 3 {
                    self.flags = Some((SYN_MASK, 0x02, inv));
                } else {
                    let comp = next().ok_or("--tcp-flags requires two args.")?;
                    let mask = parse_tcp_flags(arg)?;
                    let comp = parse_tcp_flags(&comp)?;
                    self.flags = Some((mask, comp, inv));
                }
            }
            5 => {
                if self.option.is_some() {
                    return Err("Only one `--tcp-option' allowed".into());
                }
                let v = values::strtoul(arg, 1, 255)
                    .ok_or_else(|| format!("Bad TCP option \"{arg}\""))?;
                self.option = Some((v as u8, inv));
            }
            _ => unreachable!(),
        }
        Ok(())
    }

    fn save(&self, out: &mut String) {
        save_ports(out, "sport", &self.sport);
        save_ports(out, "dport", &self.dport);
        if let Some((o, inv)) = self.option {
            if inv {
                out.push_str(" !");
            }
            out.push_str(&format!(" --tcp-option {o}"));
        }
        let compat = self.mode() == TcpMode::Compat;
        if let Some((mask, comp, inv)) = self.flags
            && (mask != 0 || (inv && compat))
        {
            if inv {
                out.push_str(" !");
            }
            out.push_str(&format!(
                " --tcp-flags {} {}",
                tcp_flags_names(mask),
                tcp_flags_names(comp)
            ));
        }
    }

    fn print(&self, out: &mut String, name: &str) {
        let compat = self.mode() == TcpMode::Compat;
        out.push_str(&format!(" {name}"));
        print_ports(out, "spt", &self.sport, compat);
        print_ports(out, "dpt", &self.dport, compat);
        if let Some((o, inv)) = self.option {
            out.push_str(&format!(" option={}{o}", if inv { "!" } else { "" }));
        }
        if let Some((mask, comp, inv)) = self.flags
            && (mask != 0 || (inv && compat))
        {
            out.push_str(&format!(
                " flags:{}0x{mask:02X}/0x{comp:02X}",
                if inv { "!" } else { "" }
            ));
        }
    }

    /// iptables-nft translates ports and flags to payload expressions: a
    /// header that cannot be read (a non-first fragment, a truncated
    /// packet) makes the rule not match.
    fn eval_native(&self, v: &View<'_>) -> Hit {
        for (p, off) in [(&self.sport, 0), (&self.dport, 2)] {
            if let Some(p) = p
                && !p.full()
            {
                let Some(b) = v.th(off, 2) else {
                    return Hit::No;
                };
                if !p.hit(u16::from_be_bytes([b[0], b[1]])) {
                    return Hit::No;
                }
            }
        }
        if let Some((mask, comp, inv)) = self.flags
            && mask != 0
        {
            let Some(b) = v.th(13, 1) else {
                return Hit::No;
            };
            if ((b[0] & mask) == comp) == inv {
                return Hit::No;
            }
        }
        Hit::Yes
    }

    /// `udp_mt()` (the compat match).
    fn eval_xt_udp(&self, v: &View<'_>) -> Hit {
        if v.fragoff != 0 {
            return Hit::No;
        }
        let Some(h) = v.th_xt(8) else {
            return Hit::Hotdrop;
        };
        let sport = u16::from_be_bytes([h[0], h[1]]);
        let dport = u16::from_be_bytes([h[2], h[3]]);
        if self.sport.is_some_and(|p| !p.hit(sport)) || self.dport.is_some_and(|p| !p.hit(dport)) {
            return Hit::No;
        }
        Hit::Yes
    }

    /// `tcp_mt()` (the compat match, used for `--tcp-option`).
    fn eval_xt(&self, v: &View<'_>) -> Hit {
        if v.fragoff != 0 {
            if v.fragoff == 1 && v.family == Family::Ipv4 {
                return Hit::Hotdrop;
            }
            return Hit::No;
        }
        let Some(th) = v.th_xt(20) else {
            return Hit::Hotdrop;
        };
        let sport = u16::from_be_bytes([th[0], th[1]]);
        let dport = u16::from_be_bytes([th[2], th[3]]);
        if self.sport.is_some_and(|p| !p.hit(sport)) || self.dport.is_some_and(|p| !p.hit(dport)) {
            return Hit::No;
        }
        let (mask, comp, inv) = self.flags.unwrap_or((0, 0, false));
        if ((th[13] & mask) == comp) == inv {
            return Hit::No;
        }
        if let Some((option, inv)) = self.option {
            let doff = usize::from(th[12] >> 4) * 4;
            if doff < 20 {
                return Hit::Hotdrop;
            }
            let optlen = doff - 20;
            if optlen == 0 {
                return if inv { Hit::Yes } else { Hit::No };
            }
            let Some(all) = v.th_xt(doff) else {
                return Hit::Hotdrop;
            };
            let op = &all[20..];
            let mut i = 0;
            let mut found = false;
            while i < optlen {
                if op[i] == option {
                    found = true;
                    break;
                }
                if op[i] < 2 {
                    i += 1;
                } else {
                    let l = op.get(i + 1).copied().unwrap_or(0);
                    i += if l == 0 { 1 } else { usize::from(l) };
                }
            }
            if found == inv {
                return Hit::No;
            }
        }
        Hit::Yes
    }
}

/// ICMP type and code range (`struct ipt_icmp` / `ip6t_icmp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Icmp {
    pub typ: u8,
    pub code_lo: u8,
    pub code_hi: u8,
    pub inv: bool,
}

/// `icmp_codes` (libxt_icmp.h).
const ICMP_NAMES: &[(&str, u8, u8, u8)] = &[
    ("any", 0xff, 0, 0xff),
    ("echo-reply", 0, 0, 0xff),
    ("pong", 0, 0, 0xff),
    ("destination-unreachable", 3, 0, 0xff),
    ("network-unreachable", 3, 0, 0),
    ("host-unreachable", 3, 1, 1),
    ("protocol-unreachable", 3, 2, 2),
    ("port-unreachable", 3, 3, 3),
    ("fragmentation-needed", 3, 4, 4),
    ("source-route-failed", 3, 5, 5),
    ("network-unknown", 3, 6, 6),
    ("host-unknown", 3, 7, 7),
    ("network-prohibited", 3, 9, 9),
    ("host-prohibited", 3, 10, 10),
    ("TOS-network-unreachable", 3, 11, 11),
    ("TOS-host-unreachable", 3, 12, 12),
    ("communication-prohibited", 3, 13, 13),
    ("host-precedence-violation", 3, 14, 14),
    ("precedence-cutoff", 3, 15, 15),
    ("source-quench", 4, 0, 0xff),
    ("redirect", 5, 0, 0xff),
    ("network-redirect", 5, 0, 0),
    ("host-redirect", 5, 1, 1),
    ("TOS-network-redirect", 5, 2, 2),
    ("TOS-host-redirect", 5, 3, 3),
    ("echo-request", 8, 0, 0xff),
    ("ping", 8, 0, 0xff),
    ("router-advertisement", 9, 0, 0xff),
    ("router-solicitation", 10, 0, 0xff),
    ("time-exceeded", 11, 0, 0xff),
    ("ttl-exceeded", 11, 0, 0xff),
    ("ttl-zero-during-transit", 11, 0, 0),
    ("ttl-zero-during-reassembly", 11, 1, 1),
    ("parameter-problem", 12, 0, 0xff),
    ("ip-header-bad", 12, 0, 0),
    ("required-option-missing", 12, 1, 1),
    ("timestamp-request", 13, 0, 0xff),
    ("timestamp-reply", 14, 0, 0xff),
    ("address-mask-request", 17, 0, 0xff),
    ("address-mask-reply", 18, 0, 0xff),
];

/// `icmpv6_codes` as iptables 1.8.9 has them.
const ICMP6_NAMES: &[(&str, u8, u8, u8)] = &[
    ("destination-unreachable", 1, 0, 0xff),
    ("no-route", 1, 0, 0),
    ("communication-prohibited", 1, 1, 1),
    ("beyond-scope", 1, 2, 2),
    ("address-unreachable", 1, 3, 3),
    ("port-unreachable", 1, 4, 4),
    ("failed-policy", 1, 5, 5),
    ("reject-route", 1, 6, 6),
    ("packet-too-big", 2, 0, 0xff),
    ("time-exceeded", 3, 0, 0xff),
    ("ttl-exceeded", 3, 0, 0xff),
    ("ttl-zero-during-transit", 3, 0, 0),
    ("ttl-zero-during-reassembly", 3, 1, 1),
    ("parameter-problem", 4, 0, 0xff),
    ("bad-header", 4, 0, 0),
    ("unknown-header-type", 4, 1, 1),
    ("unknown-option", 4, 2, 2),
    ("echo-request", 128, 0, 0xff),
    ("ping", 128, 0, 0xff),
    ("echo-reply", 129, 0, 0xff),
    ("pong", 129, 0, 0xff),
    ("router-solicitation", 133, 0, 0xff),
    ("router-advertisement", 134, 0, 0xff),
    ("neighbour-solicitation", 135, 0, 0xff),
    ("neighbor-solicitation", 135, 0, 0xff),
    ("neighbour-advertisement", 136, 0, 0xff),
    ("neighbor-advertisement", 136, 0, 0xff),
    ("redirect", 137, 0, 0xff),
];

impl Icmp {
    /// `parse_icmp()` / `parse_icmpv6()`: a unique case-insensitive name
    /// prefix, or `TYPE[/CODE]`.
    fn parse(s: &str, v6: bool) -> Result<(u8, u8, u8), String> {
        let (table, what) = if v6 {
            (ICMP6_NAMES, "ICMPv6")
        } else {
            (ICMP_NAMES, "ICMP")
        };
        let mut found: Option<usize> = None;
        for (i, (name, ..)) in table.iter().enumerate() {
            if name.len() >= s.len() && name[..s.len()].eq_ignore_ascii_case(s) {
                if let Some(j) = found {
                    return Err(format!(
                        "Ambiguous {what} type `{s}': `{}' or `{name}'?",
                        table[j].0
                    ));
                }
                found = Some(i);
            }
        }
        if let Some(i) = found {
            let (_, t, lo, hi) = table[i];
            return Ok((t, lo, hi));
        }
        let (t, c) = match s.split_once('/') {
            Some((t, c)) => (t, Some(c)),
            None => (s, None),
        };
        let t = values::strtoul(t, 0, 255).ok_or_else(|| format!("Unknown {what} type `{s}'"))?;
        match c {
            None => Ok((t as u8, 0, 0xff)),
            Some(c) => {
                let c = values::strtoul(c, 0, 255)
                    .ok_or_else(|| format!("Unknown {what} code `{s}'"))?;
                Ok((t as u8, c as u8, c as u8))
            }
        }
    }

    fn save(&self, out: &mut String, v6: bool) {
        if self.inv {
            out.push_str(" !");
        }
        let opt = if v6 { "icmpv6-type" } else { "icmp-type" };
        if !v6 && self.typ == 0xff {
            out.push_str(&format!(" --{opt} any"));
            return;
        }
        out.push_str(&format!(" --{opt} {}", self.typ));
        if self.code_lo != 0 || self.code_hi != 0xff {
            out.push_str(&format!("/{}", self.code_lo));
        }
    }

    fn print(&self, out: &mut String, v6: bool) {
        out.push_str(if v6 { " ipv6-icmp" } else { " icmp" });
        if self.inv {
            out.push_str(" !");
        }
        out.push_str(&format!("type {}", self.typ));
        if self.code_lo == self.code_hi {
            out.push_str(&format!(" code {}", self.code_lo));
        } else if self.code_lo != 0 || self.code_hi != 0xff {
            out.push_str(&format!(" codes {}-{}", self.code_lo, self.code_hi));
        }
    }

    /// `icmp_match()` / `icmp6_match()`.
    fn eval(&self, v: &View<'_>, v6: bool) -> Hit {
        if v.fragoff != 0 {
            return Hit::No;
        }
        let Some(h) = v.th_xt(8) else {
            return Hit::Hotdrop;
        };
        let hit = (!v6 && self.typ == 0xff)
            || (h[0] == self.typ && self.code_lo <= h[1] && h[1] <= self.code_hi);
        if hit != self.inv { Hit::Yes } else { Hit::No }
    }
}

/// `struct xt_multiport_v1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Multiport {
    /// 0 source, 1 destination, 2 either.
    pub which: u8,
    /// Ports and ranges (`LO == HI` and not a range for a single port).
    pub ports: Vec<(u16, u16, bool)>,
    pub inv: bool,
}

impl Multiport {
    pub const OPTS: &'static [OptDef] = &[
        opt("source-ports", 0, true),
        opt("sports", 0, true),
        opt("destination-ports", 1, true),
        opt("dports", 1, true),
        opt("ports", 2, true),
    ];

    /// `check_proto()`: the protocol name ports are resolved with.
    fn proto_name(ctx: &Ctx) -> Result<&'static str, String> {
        match ctx.proto {
            Some((6, false)) => Ok("tcp"),
            Some((17, false)) => Ok("udp"),
            Some((136, false)) => Ok("udplite"),
            Some((132, false)) => Ok("sctp"),
            Some((33, false)) => Ok("dccp"),
            None | Some((0, _)) => Err(
                "multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'".into(),
            ),
            _ => Err("multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP".into()),
        }
    }

    pub fn parse(id: u8, arg: &str, inv: bool, ctx: &Ctx) -> Result<Multiport, String> {
        let proto = Self::proto_name(ctx)?;
        let mut ports = Vec::new();
        let mut count = 0;
        for part in arg.split(',') {
            if count >= 15 {
                return Err("too many ports specified".into());
            }
            match part.split_once(':') {
                Some((a, b)) => {
                    if count + 1 >= 15 {
                        return Err("too many ports specified".into());
                    }
                    let lo = values::parse_port(a, proto)?;
                    let hi = values::parse_port(b, proto)?;
                    if lo >= hi {
                        return Err("invalid portrange specified".into());
                    }
                    ports.push((lo, hi, true));
                    count += 2;
                }
                None => {
                    let p = values::parse_port(part, proto)?;
                    ports.push((p, p, false));
                    count += 1;
                }
            }
        }
        Ok(Multiport {
            which: id,
            ports,
            inv,
        })
    }

    fn list(&self) -> String {
        self.ports
            .iter()
            .map(|&(lo, hi, range)| {
                if range {
                    format!("{lo}:{hi}")
                } else {
                    lo.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    fn kind(&self) -> &'static str {
        ["sports", "dports", "ports"][usize::from(self.which)]
    }

    fn save(&self, out: &mut String) {
        if self.inv {
            out.push_str(" !");
        }
        out.push_str(&format!(" --{} {}", self.kind(), self.list()));
    }

    fn print(&self, out: &mut String) {
        out.push_str(&format!(" multiport {} ", self.kind()));
        if self.inv {
            out.push_str(" !");
        }
        out.push_str(&self.list());
    }

    /// `multiport_mt()` / `ports_match_v1()`.
    fn eval(&self, v: &View<'_>) -> Hit {
        if v.fragoff != 0 {
            return Hit::No;
        }
        let Some(b) = v.th_xt(4) else {
            return Hit::Hotdrop;
        };
        let src = u16::from_be_bytes([b[0], b[1]]);
        let dst = u16::from_be_bytes([b[2], b[3]]);
        let within = |p: u16, &(lo, hi, _): &(u16, u16, bool)| lo <= p && p <= hi;
        let hit = self.ports.iter().any(|r| match self.which {
            0 => within(src, r),
            1 => within(dst, r),
            _ => within(src, r) || within(dst, r),
        });
        if hit != self.inv { Hit::Yes } else { Hit::No }
    }

    /// The ports as ranges.
    pub fn ranges(&self) -> Vec<Ports> {
        self.ports
            .iter()
            .map(|&(lo, hi, _)| Ports { lo, hi, inv: false })
            .collect()
    }
}

/// Conntrack state bits (`XT_CONNTRACK_STATE_*`, `XT_STATE_*`).
pub(crate) mod st {
    pub const INVALID: u16 = 1 << 0;
    pub const ESTABLISHED: u16 = 1 << 1;
    pub const RELATED: u16 = 1 << 2;
    pub const NEW: u16 = 1 << 3;
    pub const UNTRACKED: u16 = 1 << 4;
    pub const SNAT: u16 = 1 << 8;
    pub const DNAT: u16 = 1 << 9;
}

/// `print_state()` order.
const STATE_PRINT: &[(u16, &str)] = &[
    (st::INVALID, "INVALID"),
    (st::NEW, "NEW"),
    (st::RELATED, "RELATED"),
    (st::ESTABLISHED, "ESTABLISHED"),
    (st::UNTRACKED, "UNTRACKED"),
    (st::SNAT, "SNAT"),
    (st::DNAT, "DNAT"),
];

fn state_names(mask: u16) -> String {
    let names: Vec<&str> = STATE_PRINT
        .iter()
        .filter(|(b, _)| mask & b != 0)
        .map(|(_, n)| *n)
        .collect();
    names.join(",")
}

/// A case-insensitive prefix of one of `names` (as `strncasecmp(s, NAME,
/// len(s))` does), tried in order.
fn prefix_of<T: Copy>(s: &str, names: &[(&'static str, T)]) -> Option<T> {
    names
        .iter()
        .find(|(n, _)| n.len() >= s.len() && n[..s.len()].eq_ignore_ascii_case(s))
        .map(|(_, v)| *v)
}

/// `state_parse_states()` (`-m state`) or `conntrack_ps_states()`.
fn parse_states(arg: &str, conntrack: bool) -> Result<u16, String> {
    let names: &[(&str, u16)] = if conntrack {
        &[
            ("INVALID", st::INVALID),
            ("NEW", st::NEW),
            ("RELATED", st::RELATED),
            ("ESTABLISHED", st::ESTABLISHED),
            ("SNAT", st::SNAT),
            ("DNAT", st::DNAT),
            ("UNTRACKED", st::UNTRACKED),
        ]
    } else {
        &[
            ("INVALID", st::INVALID),
            ("ESTABLISHED", st::ESTABLISHED),
            ("NEW", st::NEW),
            ("RELATED", st::RELATED),
            ("UNTRACKED", st::UNTRACKED),
        ]
    };
    let bad = |rest: &str| {
        if conntrack {
            format!("Bad ctstate \"{rest}\"")
        } else {
            format!("Bad state \"{rest}\"")
        }
    };
    let mut mask = 0;
    let mut rest = arg;
    while let Some(i) = rest.find(',') {
        let item = &rest[..i];
        if item.is_empty() {
            return Err(bad(rest));
        }
        mask |= prefix_of(item, names).ok_or_else(|| bad(rest))?;
        rest = &rest[i + 1..];
    }
    if rest.is_empty() {
        return Err(if conntrack {
            bad(rest)
        } else {
            "\"--state\" requires a list of states with no spaces, e.g. ESTABLISHED,RELATED".into()
        });
    }
    mask |= prefix_of(rest, names).ok_or_else(|| bad(rest))?;
    Ok(mask)
}

const STATUS_NAMES: &[(&str, u32)] = &[
    ("NONE", 0),
    ("EXPECTED", 1 << 0),
    ("ASSURED", 1 << 2),
    ("SEEN_REPLY", 1 << 1),
    ("CONFIRMED", 1 << 3),
];

fn parse_statuses(arg: &str) -> Result<u32, String> {
    let bad = |rest: &str| format!("Bad ctstatus \"{rest}\"");
    let mut mask = 0;
    let mut rest = arg;
    while let Some(i) = rest.find(',') {
        let item = &rest[..i];
        if item.is_empty() {
            return Err(bad(rest));
        }
        mask |= prefix_of(item, STATUS_NAMES).ok_or_else(|| bad(rest))?;
        rest = &rest[i + 1..];
    }
    if rest.is_empty() {
        return Err(bad(rest));
    }
    mask |= prefix_of(rest, STATUS_NAMES).ok_or_else(|| bad(rest))?;
    Ok(mask)
}

fn status_names(mask: u32) -> String {
    let names: Vec<&str> = [
        (1u32 << 0, "EXPECTED"),
        (1 << 1, "SEEN_REPLY"),
        (1 << 2, "ASSURED"),
        (1 << 3, "CONFIRMED"),
    ]
    .iter()
    .filter(|(b, _)| mask & b != 0)
    .map(|(_, n)| *n)
    .collect();
    if names.is_empty() {
        "NONE".into()
    } else {
        names.join(",")
    }
}

/// Whether conntrack attached an entry to the packet (`nf_ct_get()` not
/// NULL): INVALID and UNTRACKED packets, and packets before conntrack,
/// have none.
pub(crate) fn tracked(ct: &CtSnapshot) -> bool {
    !matches!(ct.state, CtState::Invalid | CtState::Untracked)
}

/// The state bit of a packet, with SNAT/DNAT when `nat_bits`.
fn statebit(ct: &CtSnapshot, nat_bits: bool) -> u16 {
    let mut b = match ct.state {
        CtState::New => st::NEW,
        CtState::Established => st::ESTABLISHED,
        CtState::Related => st::RELATED,
        CtState::Invalid => st::INVALID,
        CtState::Untracked => st::UNTRACKED,
    };
    if nat_bits && tracked(ct) {
        if ct.status.contains(Status::SRC_NAT) {
            b |= st::SNAT;
        }
        if ct.status.contains(Status::DST_NAT) {
            b |= st::DNAT;
        }
    }
    b
}

/// `struct xt_conntrack_mtinfo3` (also `-m state`, which iptables runs as
/// a conntrack match with only a state mask).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Conntrack {
    pub state: Option<(u16, bool)>,
    pub proto: Option<(u8, bool)>,
    /// origsrc, origdst, replsrc, repldst.
    pub addrs: [Option<(Net, bool)>; 4],
    /// origsrcport, origdstport, replsrcport, repldstport.
    pub ports: [Option<Ports>; 4],
    pub status: Option<(u32, bool)>,
    pub dir: Option<Direction>,
}

const ADDR_OPTS: [&str; 4] = ["ctorigsrc", "ctorigdst", "ctreplsrc", "ctrepldst"];
const PORT_OPTS: [&str; 4] = [
    "ctorigsrcport",
    "ctorigdstport",
    "ctreplsrcport",
    "ctrepldstport",
];

impl Conntrack {
    pub const OPTS: &'static [OptDef] = &[
        opt("ctstate", 0, true),
        opt("ctproto", 1, true),
        opt("ctorigsrc", 2, true),
        opt("ctorigdst", 3, true),
        opt("ctreplsrc", 4, true),
        opt("ctrepldst", 5, true),
        opt("ctorigsrcport", 6, true),
        opt("ctorigdstport", 7, true),
        opt("ctreplsrcport", 8, true),
        opt("ctrepldstport", 9, true),
        opt("ctstatus", 10, true),
        opt("ctexpire", 11, true),
        opt("ctdir", 12, false),
    ];

    pub const STATE_OPTS: &'static [OptDef] = &[opt("state", 0, true)];

    pub fn parse(&mut self, id: u8, arg: &str, inv: bool, ctx: &Ctx) -> Result<(), String> {
        match id {
            0 => self.state = Some((parse_states(arg, true)?, inv)),
            1 => self.proto = Some((values::parse_protocol(arg)?, inv)),
            2..=5 => {
                let n = values::parse_hostmask(
                    arg,
                    ctx.family,
                    "conntrack",
                    ADDR_OPTS[usize::from(id - 2)],
                )?;
                self.addrs[usize::from(id - 2)] = Some((n, inv));
            }
            6..=9 => {
                let name = PORT_OPTS[usize::from(id - 6)];
                let (lo, hi) = values::parse_port_range_rc(arg, "conntrack", name)?;
                self.ports[usize::from(id - 6)] = Some(Ports { lo, hi, inv });
            }
            10 => self.status = Some((parse_statuses(arg)?, inv)),
            11 => {
                return Err(
                    "conntrack --ctexpire is not supported by ctrack (its conntrack snapshot \
                     carries no timeout)"
                        .into(),
                );
            }
            12 => {
                self.dir = Some(if arg.eq_ignore_ascii_case("ORIGINAL") {
                    Direction::Original
                } else if arg.eq_ignore_ascii_case("REPLY") {
                    Direction::Reply
                } else {
                    return Err(format!(
                        "conntrack: Bad value for \"--ctdir\" option: \"{arg}\""
                    ));
                });
            }
            _ => unreachable!(),
        }
        Ok(())
    }

    pub fn parse_state(&mut self, arg: &str, inv: bool) -> Result<(), String> {
        self.state = Some((parse_states(arg, false)?, inv));
        Ok(())
    }

    /// `conntrack_dump()` with prefix `--` (save) or `` (print).
    fn dump(&self, out: &mut String, prefix: &str, family: Family) {
        let inv = |out: &mut String, i: bool| {
            if i {
                out.push_str(" !");
            }
        };
        if let Some((m, i)) = self.state {
            inv(out, i);
            out.push_str(&format!(" {prefix}ctstate {}", state_names(m)));
        }
        if let Some((p, i)) = self.proto {
            inv(out, i);
            out.push_str(&format!(" {prefix}ctproto {p}"));
        }
        for (k, a) in self.addrs.iter().enumerate() {
            if let Some((n, i)) = a {
                inv(out, *i);
                out.push_str(&format!(
                    " {prefix}{} {}{}",
                    ADDR_OPTS[k],
                    values::addr_to_string(&n.addr, family),
                    mask_suffix(n, family)
                ));
            }
        }
        for (k, p) in self.ports.iter().enumerate() {
            if let Some(p) = p {
                inv(out, p.inv);
                if p.lo == p.hi {
                    out.push_str(&format!(" {prefix}{} {}", PORT_OPTS[k], p.lo));
                } else {
                    out.push_str(&format!(" {prefix}{} {}:{}", PORT_OPTS[k], p.lo, p.hi));
                }
            }
        }
        if let Some((m, i)) = self.status {
            inv(out, i);
            out.push_str(&format!(" {prefix}ctstatus {}", status_names(m)));
        }
        if let Some(d) = self.dir {
            out.push_str(&format!(" {prefix}ctdir {}", d.name()));
        }
    }

    /// `conntrack_mt()` (v3).
    pub fn eval(&self, ct: &CtSnapshot, family: Family) -> bool {
        if let Some((mask, inv)) = self.state
            && ((mask & statebit(ct, true)) != 0) == inv
        {
            return false;
        }
        if !tracked(ct) {
            return self.state.is_some();
        }
        if let Some(d) = self.dir
            && ct.dir != Some(d)
        {
            return false;
        }
        let n = values::addr_len(family);
        if self.addrs.iter().any(Option::is_some) || self.ports.iter().any(Option::is_some) {
            let Some(t) = ct.tuples else {
                return false;
            };
            let addr = |k: usize| -> [u8; 16] {
                let tuple = &t[k / 2];
                let a = if k.is_multiple_of(2) {
                    tuple.src
                } else {
                    tuple.dst
                };
                let mut out = [0u8; 16];
                out[..n].copy_from_slice(&a.0[..n]);
                out
            };
            for (k, a) in self.addrs.iter().enumerate() {
                if let Some((net, inv)) = a
                    && net.contains(&addr(k)) == *inv
                {
                    return false;
                }
            }
            if let Some((p, inv)) = self.proto
                && (t[0].proto == p) == inv
            {
                return false;
            }
            for (k, p) in self.ports.iter().enumerate() {
                if let Some(p) = p {
                    let tuple = &t[k / 2];
                    let v = if k.is_multiple_of(2) {
                        tuple.src_u
                    } else {
                        tuple.dst_u
                    };
                    if !p.hit(v) {
                        return false;
                    }
                }
            }
        } else if let Some((p, inv)) = self.proto {
            let Some(t) = ct.tuples else {
                return false;
            };
            if (t[0].proto == p) == inv {
                return false;
            }
        }
        if let Some((mask, inv)) = self.status
            && ((mask & ct.status.bits()) != 0) == inv
        {
            return false;
        }
        true
    }
}

/// `struct xt_mark_mtinfo1` / `xt_connmark_mtinfo1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MarkM {
    pub mark: u32,
    pub mask: u32,
    pub inv: bool,
}

impl MarkM {
    pub const OPTS: &'static [OptDef] = &[opt("mark", 0, true)];

    fn value(&self) -> String {
        if self.mask == u32::MAX {
            format!("0x{:x}", self.mark)
        } else {
            format!("0x{:x}/0x{:x}", self.mark, self.mask)
        }
    }
}

/// `struct xt_helper_info`: matches the connections a helper expected, by
/// the helper of their master (`CtSnapshot::master_helper`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HelperM {
    pub name: String,
    pub inv: bool,
}

/// `struct xt_rateinfo` and `xt_limit.c`'s token bucket: credits in units
/// of `CREDITS_PER_JIFFY` per jiffy, full (`avg * burst`) when the rule is
/// loaded, one `avg` spent per matching packet, the u32 arithmetic the
/// kernel's (wrapping after some 37 hours without a packet at HZ=250).
/// The bucket fills from the first packet's time, as it would had the rule
/// been loaded just before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Limit {
    /// Period per packet in 1/10000 s (`XT_LIMIT_SCALE`).
    pub avg: u32,
    pub burst: u32,
    /// `priv->prev` (jiffies) and `priv->credit`, once a packet came.
    pub bucket: std::cell::Cell<Option<(u64, u32)>>,
}

/// `CREDITS_PER_JIFFY`: the largest power of two not above
/// `0xFFFFFFFF / (HZ * 60 * 60 * 24)`.
fn credits_per_jiffy(hz: u32) -> u32 {
    let max = 0xFFFF_FFFFu32 / hz.max(1).saturating_mul(60 * 60 * 24).max(1);
    if max == 0 {
        1
    } else {
        1 << (31 - max.leading_zeros())
    }
}

/// `user2credits()`.
fn user2credits(user: u32, hz: u32) -> u32 {
    let cpj = credits_per_jiffy(hz);
    let k = hz.wrapping_mul(cpj);
    if k != 0 && user > 0xFFFF_FFFF / k {
        (user / LIMIT_SCALE).wrapping_mul(k)
    } else {
        user.wrapping_mul(k) / LIMIT_SCALE
    }
}

impl Limit {
    /// `limit_mt()`: whether the packet at `t` is within the rate.
    pub fn take(&self, t: ctrack_core::time::Ticks) -> bool {
        let cost = user2credits(self.avg, t.hz);
        let cap = user2credits(self.avg.wrapping_mul(self.burst), t.hz);
        let (prev, credit) = self.bucket.get().unwrap_or((t.jiffies, cap));
        let increase = (t.jiffies.wrapping_sub(prev) as u32).wrapping_mul(credits_per_jiffy(t.hz));
        let mut credit = credit.wrapping_add(increase).min(cap);
        let ok = credit >= cost;
        if ok {
            credit -= cost;
        }
        self.bucket.set(Some((t.jiffies, credit)));
        ok
    }
}

const LIMIT_SCALE: u32 = 10000;
const RATES: &[(&str, u32)] = &[
    ("day", LIMIT_SCALE * 24 * 60 * 60),
    ("hour", LIMIT_SCALE * 60 * 60),
    ("min", LIMIT_SCALE * 60),
    ("sec", LIMIT_SCALE),
];

impl Limit {
    pub const OPTS: &'static [OptDef] = &[opt("limit", 0, false), opt("limit-burst", 1, false)];

    pub fn default_() -> Limit {
        Limit {
            avg: LIMIT_SCALE * 60 * 60 / 3,
            burst: 5,
            bucket: std::cell::Cell::new(None),
        }
    }

    /// `parse_rate()`.
    pub fn parse_rate(s: &str) -> Result<u32, String> {
        let bad = || format!("bad rate \"{s}\"'");
        let mult: u32 = match s.split_once('/') {
            None => 1,
            Some((_, unit)) => {
                if unit.is_empty() {
                    return Err(bad());
                }
                let is = |full: &str| {
                    full.len() >= unit.len() && full[..unit.len()].eq_ignore_ascii_case(unit)
                };
                if is("second") {
                    1
                } else if is("minute") {
                    60
                } else if is("hour") {
                    60 * 60
                } else if is("day") {
                    24 * 60 * 60
                } else {
                    return Err(bad());
                }
            }
        };
        let r = atoi(s);
        if r <= 0 {
            return Err(bad());
        }
        let val = u64::from(LIMIT_SCALE) * u64::from(mult) / r as u64;
        if val == 0 {
            return Err(format!("Rate too fast \"{s}\""));
        }
        Ok(val as u32)
    }

    /// `print_rate()`.
    fn rate(&self) -> String {
        if self.avg == 0 {
            return "inf".into();
        }
        let mut i = 1;
        while i < RATES.len() {
            let m = RATES[i].1;
            if self.avg > m || m / self.avg < m % self.avg {
                break;
            }
            i += 1;
        }
        format!("{}/{}", RATES[i - 1].1 / self.avg, RATES[i - 1].0)
    }
}

/// C `atoi()`: leading spaces, a sign, decimal digits.
fn atoi(s: &str) -> i64 {
    let s = s.trim_start();
    let (neg, s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut v: i64 = 0;
    for c in s.bytes() {
        if !c.is_ascii_digit() {
            break;
        }
        v = v.saturating_mul(10).saturating_add(i64::from(c - b'0'));
    }
    if neg { -v } else { v }
}

/// `struct ipt_ttl_info` / `ip6t_hl_info`: `--ttl-eq`, `--ttl-lt`,
/// `--ttl-gt` (and `! --ttl-eq`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ttl {
    /// 0 eq, 1 ne, 2 lt, 3 gt (`IPT_TTL_EQ`...).
    pub mode: u8,
    pub value: u8,
}

/// `struct xt_statistic_info` in nth mode (random mode is refused: ctrack
/// replays deterministically).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Statistic {
    /// `--mode`: None until given (then random, as iptables defaults).
    pub nth: Option<bool>,
    /// `--every N` stored as N - 1, `--packet P`.
    pub every: Option<u32>,
    pub packet: Option<u32>,
    pub inv: bool,
    pub probability: bool,
    /// The kernel's `master->count`.
    pub count: std::cell::Cell<u32>,
}

/// `XTTYPE_UINT16RC`: `N`, `LO:HI`, `:HI`, `LO:`.
fn parse_u16_range(s: &str, ext: &str, opt: &str) -> Result<(u16, u16), String> {
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() > 2 {
        return Err(format!(
            "{ext}: Too many components for option \"--{opt}\" (max: 2)"
        ));
    }
    let mut v = [0u16, u16::MAX];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() {
            continue;
        }
        v[i] = values::strtoul(p, 0, 65535).ok_or_else(|| {
            format!(
                "{ext}: bad value for option \"--{opt}\" near \"{p}\", or out of range (0-65535)."
            )
        })? as u16;
    }
    if parts.len() == 1 {
        v[1] = v[0];
    }
    Ok((v[0], v[1]))
}

/// A match of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Match {
    Tcp(Tcp),
    Udp(Tcp),
    Icmp(Option<Icmp>),
    Icmp6(Option<Icmp>),
    Multiport(Option<Multiport>),
    State(Conntrack),
    Conntrack(Conntrack),
    Mark(Option<MarkM>),
    Connmark(Option<MarkM>),
    Helper(Option<HelperM>),
    Comment(Option<String>),
    Limit(Limit),
    Ttl(Option<Ttl>),
    Hl(Option<Ttl>),
    Statistic(Statistic),
    Length(Option<Ports>),
}

/// Match names iptables has that ctrack does not implement.
pub(crate) const UNSUPPORTED: &[&str] = &[
    "addrtype",
    "ah",
    "bpf",
    "cgroup",
    "cluster",
    "connbytes",
    "connlabel",
    "connlimit",
    "cpu",
    "dccp",
    "devgroup",
    "dscp",
    "dst",
    "ecn",
    "esp",
    "eui64",
    "frag",
    "hashlimit",
    "hbh",
    "ipcomp",
    "iprange",
    "ipv6header",
    "ipvs",
    "mac",
    "mh",
    "nfacct",
    "osf",
    "owner",
    "physdev",
    "pkttype",
    "policy",
    "quota",
    "rateest",
    "realm",
    "recent",
    "rpfilter",
    "rt",
    "sctp",
    "set",
    "socket",
    "srh",
    "string",
    "tcpmss",
    "time",
    "tos",
    "u32",
    "udplite",
];

impl Match {
    /// The extension `-m NAME` loads, for this family.
    pub fn load(name: &str, family: Family) -> Result<Match, String> {
        Ok(match (name, family) {
            ("tcp", _) => Match::Tcp(Tcp::default()),
            ("udp", _) => Match::Udp(Tcp::default()),
            ("icmp", Family::Ipv4) => Match::Icmp(None),
            ("icmp6" | "icmpv6" | "ipv6-icmp", Family::Ipv6) => Match::Icmp6(None),
            ("multiport", _) => Match::Multiport(None),
            ("state", _) => Match::State(Conntrack::default()),
            ("conntrack", _) => Match::Conntrack(Conntrack::default()),
            ("mark", _) => Match::Mark(None),
            ("connmark", _) => Match::Connmark(None),
            ("helper", _) => Match::Helper(None),
            ("comment", _) => Match::Comment(None),
            ("limit", _) => Match::Limit(Limit::default_()),
            ("ttl", Family::Ipv4) => Match::Ttl(None),
            ("hl", Family::Ipv6) => Match::Hl(None),
            ("statistic", _) => Match::Statistic(Statistic::default()),
            ("length", _) => Match::Length(None),
            (n, _) if UNSUPPORTED.contains(&n) => {
                return Err(format!("match `{n}' is not supported by ctrack"));
            }
            (n, _) => {
                return Err(format!(
                    "Couldn't load match `{n}':No such file or directory"
                ));
            }
        })
    }

    /// A match iptables-nft leaves out of the kernel's rule.
    pub fn is_void(&self) -> bool {
        matches!(self, Match::Tcp(t) | Match::Udp(t) if t.mode() == TcpMode::Void)
    }

    /// The name iptables-save writes after `-m`.
    pub fn name(&self) -> &'static str {
        match self {
            Match::Tcp(_) => "tcp",
            Match::Udp(_) => "udp",
            Match::Icmp(_) => "icmp",
            Match::Icmp6(_) => "icmp6",
            Match::Multiport(_) => "multiport",
            Match::State(_) => "state",
            Match::Conntrack(_) => "conntrack",
            Match::Mark(_) => "mark",
            Match::Connmark(_) => "connmark",
            Match::Helper(_) => "helper",
            Match::Comment(_) => "comment",
            Match::Limit(_) => "limit",
            Match::Ttl(_) => "ttl",
            Match::Hl(_) => "hl",
            Match::Statistic(_) => "statistic",
            Match::Length(_) => "length",
        }
    }

    pub fn options(&self) -> &'static [OptDef] {
        const ICMP: &[OptDef] = &[opt("icmp-type", 0, true)];
        const ICMP6: &[OptDef] = &[opt("icmpv6-type", 0, true)];
        const UDP: &[OptDef] = &[
            opt("source-port", 1, true),
            opt("sport", 1, true),
            opt("destination-port", 2, true),
            opt("dport", 2, true),
        ];
        const HELPER: &[OptDef] = &[opt("helper", 0, true)];
        const COMMENT: &[OptDef] = &[opt("comment", 0, false)];
        const TTL: &[OptDef] = &[
            opt("ttl-eq", 0, true),
            opt("ttl-lt", 2, false),
            opt("ttl-gt", 3, false),
        ];
        const HL: &[OptDef] = &[
            opt("hl-eq", 0, true),
            opt("hl-lt", 2, false),
            opt("hl-gt", 3, false),
        ];
        const STATISTIC: &[OptDef] = &[
            opt("mode", 0, false),
            opt("probability", 1, true),
            opt("every", 2, true),
            opt("packet", 3, false),
        ];
        const LENGTH: &[OptDef] = &[opt("length", 0, true)];
        match self {
            Match::Tcp(_) => Tcp::OPTS,
            Match::Udp(_) => UDP,
            Match::Icmp(_) => ICMP,
            Match::Icmp6(_) => ICMP6,
            Match::Multiport(_) => Multiport::OPTS,
            Match::State(_) => Conntrack::STATE_OPTS,
            Match::Conntrack(_) => Conntrack::OPTS,
            Match::Mark(_) | Match::Connmark(_) => MarkM::OPTS,
            Match::Helper(_) => HELPER,
            Match::Comment(_) => COMMENT,
            Match::Limit(_) => Limit::OPTS,
            Match::Ttl(_) => TTL,
            Match::Hl(_) => HL,
            Match::Statistic(_) => STATISTIC,
            Match::Length(_) => LENGTH,
        }
    }

    /// One option; `next` supplies a further argument (`--tcp-flags`).
    pub fn parse(
        &mut self,
        def: &OptDef,
        arg: &str,
        inv: bool,
        ctx: &Ctx,
        next: &mut dyn FnMut() -> Option<String>,
    ) -> Result<(), String> {
        let ext = self.name();
        let v6 = matches!(self, Match::Icmp6(_));
        let bad_int = || {
            format!(
                "{ext}: bad integer value for option \"--{}\", or out of range.",
                def.name
            )
        };
        match self {
            Match::Tcp(t) => t.parse(def.id, arg, inv, next)?,
            Match::Udp(t) => {
                let (lo, hi) = values::parse_port_range_rc(arg, "udp", def.name)?;
                let p = Some(Ports { lo, hi, inv });
                if def.id == 1 {
                    t.sport = p;
                } else {
                    t.dport = p;
                }
            }
            Match::Icmp(i) | Match::Icmp6(i) => {
                let (typ, code_lo, code_hi) = Icmp::parse(arg, v6)?;
                *i = Some(Icmp {
                    typ,
                    code_lo,
                    code_hi,
                    inv,
                });
            }
            Match::Multiport(m) => {
                if let Some(old) = m {
                    let names = ["source-ports", "destination-ports", "ports"];
                    return Err(format!(
                        "multiport: option \"--{}\" cannot be used together with \"--{}\".",
                        names[usize::from(old.which)],
                        names[usize::from(def.id)]
                    ));
                }
                *m = Some(Multiport::parse(def.id, arg, inv, ctx)?);
            }
            Match::State(c) => c.parse_state(arg, inv)?,
            Match::Conntrack(c) => c.parse(def.id, arg, inv, ctx)?,
            Match::Mark(m) | Match::Connmark(m) => {
                let (mark, mask) = values::mark_mask(arg).ok_or_else(bad_int)?;
                *m = Some(MarkM { mark, mask, inv });
            }
            Match::Helper(h) => {
                *h = Some(HelperM {
                    name: arg.chars().take(29).collect(),
                    inv,
                });
            }
            Match::Comment(c) => {
                let mut s = arg.to_string();
                while s.len() > 255 {
                    s.pop();
                }
                *c = Some(s);
            }
            Match::Ttl(t) | Match::Hl(t) => {
                let names = if ext == "hl" {
                    ["hl-eq", "hl-eq", "hl-lt", "hl-gt"]
                } else {
                    ["ttl-eq", "ttl-eq", "ttl-lt", "ttl-gt"]
                };
                if let Some(old) = t {
                    return Err(format!(
                        "{ext}: option \"--{}\" cannot be used together with \"--{}\".",
                        def.name,
                        names[usize::from(old.mode)]
                    ));
                }
                let value = values::strtoul(arg, 0, 255).ok_or_else(|| {
                    format!(
                        "{ext}: bad value for option \"--{}\", or out of range (0-255).",
                        def.name
                    )
                })? as u8;
                let mode = if def.id == 0 && inv { 1 } else { def.id };
                *t = Some(Ttl { mode, value });
            }
            Match::Statistic(st) => match def.id {
                0 => {
                    st.nth = Some(match arg {
                        "nth" => true,
                        "random" => false,
                        _ => return Err(format!("Bad mode \"{arg}\"")),
                    });
                }
                1 => {
                    if st.every.is_some() {
                        return Err(
                            "statistic: option \"--probability\" cannot be used together with \"--every\"."
                                .into(),
                        );
                    }
                    st.probability = true;
                    st.inv = inv;
                }
                2 => {
                    if st.probability {
                        return Err(
                            "statistic: option \"--every\" cannot be used together with \"--probability\"."
                                .into(),
                        );
                    }
                    let v = values::strtoul(arg, 1, u64::from(u32::MAX)).ok_or_else(|| {
                        "statistic: bad value for option \"--every\", or out of range (1-4294967295)."
                            .to_string()
                    })?;
                    st.every = Some(v as u32 - 1);
                    st.inv = inv;
                }
                _ => {
                    let v = values::strtoul(arg, 0, u64::from(u32::MAX)).ok_or_else(|| {
                        "statistic: bad value for option \"--packet\", or out of range (0-4294967295)."
                            .to_string()
                    })?;
                    st.packet = Some(v as u32);
                }
            },
            Match::Length(l) => {
                let (lo, hi) = parse_u16_range(arg, "length", "length")?;
                *l = Some(Ports { lo, hi, inv });
            }
            Match::Limit(l) => {
                if def.id == 0 {
                    l.avg = Limit::parse_rate(arg)?;
                } else {
                    let b = values::strtoul(arg, 0, 10000).ok_or_else(|| {
                        "limit: bad value for option \"--limit-burst\", or out of range (0-10000).".to_string()
                    })?;
                    l.burst = if b == 0 { 5 } else { b as u32 };
                }
            }
        }
        Ok(())
    }

    /// `x6_fcheck` / `final_check`: what must have been given.
    pub fn finish(&self, ctx: &Ctx, seen: usize) -> Result<(), String> {
        let must = |opt: &str| {
            Err(format!(
                "{}: option \"--{opt}\" must be specified",
                self.name()
            ))
        };
        match self {
            Match::Tcp(_) if ctx.proto.map(|p| p.0) != Some(6) => {
                Err("TCP match requires '-p tcp'".into())
            }
            Match::Udp(_) if ctx.proto.map(|p| p.0) != Some(17) => {
                Err("UDP match requires '-p udp'".into())
            }
            Match::Icmp(None) => must("icmp-type"),
            Match::Icmp6(None) => must("icmpv6-type"),
            Match::Icmp(Some(_)) if ctx.proto != Some((1, false)) => Err(
                "the icmp match needs `-p icmp' (the kernel refuses the rule: Invalid argument)"
                    .into(),
            ),
            Match::Icmp6(Some(_)) if ctx.proto != Some((58, false)) => Err(
                "the icmp6 match needs `-p ipv6-icmp' (the kernel refuses the rule: Invalid \
                 argument)"
                    .into(),
            ),
            Match::Multiport(None) => Err("multiport expection an option".into()),
            Match::State(c) if c.state.is_none() => must("state"),
            Match::Conntrack(_) if seen == 0 => {
                Err("conntrack: At least one option is required".into())
            }
            Match::Mark(None) | Match::Connmark(None) => must("mark"),
            Match::Helper(None) => must("helper"),
            Match::Comment(None) => must("comment"),
            Match::Ttl(None) => {
                Err("TTL match: You must specify one of `--ttl-eq', `--ttl-lt', `--ttl-gt".into())
            }
            Match::Hl(None) => {
                Err("HL match: You must specify one of `--hl-eq', `--hl-lt', `--hl-gt'".into())
            }
            Match::Length(None) => must("length"),
            Match::Statistic(st) => {
                if st.nth != Some(true) {
                    if !st.probability {
                        return Err("--probability must be specified when using random mode".into());
                    }
                    return Err(
                        "statistic --mode random is not supported by ctrack (it samples at \
                         random; --mode nth is)"
                            .into(),
                    );
                }
                let Some(every) = st.every else {
                    return Err("--every and --packet must be specified when using nth mode".into());
                };
                if st.packet.unwrap_or(0) > every {
                    return Err("the --packet p must be 0 <= p <= n-1".into());
                }
                if st.packet.is_none() {
                    return Err("statistic: option \"--every\" also requires \"--packet\".".into());
                }
                st.count.set(every - st.packet.unwrap_or(0));
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// ` --option value ...` as iptables-save writes it after `-m NAME`.
    pub fn save(&self, out: &mut String, family: Family) {
        match self {
            Match::Tcp(t) | Match::Udp(t) => t.save(out),
            Match::Icmp(Some(i)) => i.save(out, false),
            Match::Icmp6(Some(i)) => i.save(out, true),
            Match::Multiport(Some(m)) => m.save(out),
            Match::State(c) => {
                if let Some((m, inv)) = c.state {
                    if inv {
                        out.push_str(" !");
                    }
                    out.push_str(&format!(" --state {}", state_names(m)));
                }
            }
            Match::Conntrack(c) => c.dump(out, "--", family),
            Match::Mark(Some(m)) | Match::Connmark(Some(m)) => {
                if m.inv {
                    out.push_str(" !");
                }
                out.push_str(&format!(" --mark {}", m.value()));
            }
            Match::Helper(Some(h)) => {
                if h.inv {
                    out.push_str(" !");
                }
                out.push_str(" --helper");
                out.push_str(&values::save_string(&h.name));
            }
            Match::Comment(Some(c)) => {
                out.push_str(" --comment");
                out.push_str(&values::save_string(c));
            }
            Match::Ttl(Some(t)) | Match::Hl(Some(t)) => {
                let p = if matches!(self, Match::Hl(_)) {
                    "hl"
                } else {
                    "ttl"
                };
                match t.mode {
                    0 => out.push_str(&format!(" --{p}-eq {}", t.value)),
                    1 => out.push_str(&format!(" ! --{p}-eq {}", t.value)),
                    2 => out.push_str(&format!(" --{p}-lt {}", t.value)),
                    _ => out.push_str(&format!(" --{p}-gt {}", t.value)),
                }
            }
            Match::Statistic(st) => {
                out.push_str(&format!(
                    " --mode nth{} --every {} --packet {}",
                    if st.inv { " !" } else { "" },
                    st.every.unwrap_or(0) + 1,
                    st.packet.unwrap_or(0)
                ));
            }
            Match::Length(Some(l)) => {
                if l.inv {
                    out.push_str(" !");
                }
                if l.lo == l.hi {
                    out.push_str(&format!(" --length {}", l.lo));
                } else {
                    out.push_str(&format!(" --length {}:{}", l.lo, l.hi));
                }
            }
            Match::Limit(l) => {
                out.push_str(&format!(" --limit {}", l.rate()));
                if l.burst != 5 {
                    out.push_str(&format!(" --limit-burst {}", l.burst));
                }
            }
            _ => {}
        }
    }

    /// What `iptables -L -n` prints for the match.
    pub fn print(&self, out: &mut String, family: Family) {
        match self {
            Match::Tcp(t) => t.print(out, "tcp"),
            Match::Udp(t) => t.print(out, "udp"),
            Match::Icmp(Some(i)) => i.print(out, false),
            Match::Icmp6(Some(i)) => i.print(out, true),
            Match::Multiport(Some(m)) => m.print(out),
            Match::State(c) => {
                if let Some((m, inv)) = c.state {
                    if inv {
                        out.push_str(" !");
                    }
                    out.push_str(&format!(" state {}", state_names(m)));
                }
            }
            Match::Conntrack(c) => c.dump(out, "", family),
            Match::Mark(Some(m)) => {
                out.push_str(" mark match");
                if m.inv {
                    out.push_str(" !");
                }
                out.push_str(&format!(" {}", m.value()));
            }
            Match::Connmark(Some(m)) => {
                out.push_str(" connmark match ");
                if m.inv {
                    out.push('!');
                }
                out.push_str(&format!(" {}", m.value()));
            }
            Match::Helper(Some(h)) => {
                out.push_str(&format!(
                    " helper match {}\"{}\"",
                    if h.inv { "! " } else { "" },
                    h.name
                ));
            }
            Match::Comment(Some(c)) => out.push_str(&format!(" /* {c} */")),
            Match::Limit(l) => {
                out.push_str(&format!(" limit: avg {} burst {}", l.rate(), l.burst));
            }
            Match::Ttl(Some(t)) | Match::Hl(Some(t)) => {
                let p = if matches!(self, Match::Hl(_)) {
                    "HL"
                } else {
                    "TTL"
                };
                let op = ["==", "!=", "<", ">"][usize::from(t.mode)];
                out.push_str(&format!(" {p} match {p} {op} {}", t.value));
            }
            Match::Statistic(st) => {
                out.push_str(&format!(
                    " statistic mode nth{} every {}",
                    if st.inv { " !" } else { "" },
                    st.every.unwrap_or(0) + 1
                ));
                if st.packet.unwrap_or(0) != 0 {
                    out.push_str(&format!(" packet {}", st.packet.unwrap_or(0)));
                }
            }
            Match::Length(Some(l)) => {
                out.push_str(&format!(" length {}", if l.inv { "!" } else { "" }));
                if l.lo == l.hi {
                    out.push_str(&l.lo.to_string());
                } else {
                    out.push_str(&format!("{}:{}", l.lo, l.hi));
                }
            }
            _ => {}
        }
    }

    /// Whether the packet matches.
    pub fn eval(&self, v: &View<'_>, ct: &CtSnapshot, meta: &Meta) -> Hit {
        let yes = |b: bool| if b { Hit::Yes } else { Hit::No };
        match self {
            Match::Tcp(t) => match t.mode() {
                TcpMode::Compat => t.eval_xt(v),
                TcpMode::Native => t.eval_native(v),
                TcpMode::Void => Hit::Yes,
            },
            Match::Udp(t) => match t.mode() {
                TcpMode::Compat => t.eval_xt_udp(v),
                TcpMode::Native => t.eval_native(v),
                TcpMode::Void => Hit::Yes,
            },
            Match::Icmp(Some(i)) => i.eval(v, false),
            Match::Icmp6(Some(i)) => i.eval(v, true),
            Match::Multiport(Some(m)) => m.eval(v),
            Match::State(c) | Match::Conntrack(c) => yes(c.eval(ct, v.family)),
            Match::Mark(Some(m)) => yes((meta.nfmark & m.mask == m.mark) != m.inv),
            Match::Connmark(Some(m)) => {
                yes(tracked(ct) && ((meta.ctmark & m.mask == m.mark) != m.inv))
            }
            Match::Helper(Some(h)) => {
                // helper_mt(): the master's helper, compared over the length
                // of its name (strncmp); an empty name matches any helper.
                let hit = match (tracked(ct), ct.master_helper) {
                    (true, Some(master)) => {
                        h.name.is_empty() || h.name.as_bytes().starts_with(master.as_bytes())
                    }
                    _ => false,
                };
                yes(hit != h.inv)
            }
            Match::Ttl(Some(t)) | Match::Hl(Some(t)) => {
                let off = if matches!(self, Match::Hl(_)) { 7 } else { 8 };
                let Some(b) = v.nh(off, 1) else {
                    return Hit::No;
                };
                let x = b[0];
                yes(match t.mode {
                    0 => x == t.value,
                    1 => x != t.value,
                    2 => x < t.value,
                    _ => x > t.value,
                })
            }
            Match::Statistic(st) => {
                // statistic_mt(), nth mode.
                let every = st.every.unwrap_or(0);
                let old = st.count.get();
                let new = if old == every { 0 } else { old + 1 };
                st.count.set(new);
                yes((new == 0) != st.inv)
            }
            Match::Length(Some(l)) => {
                let len = match v.family {
                    Family::Ipv4 => v.nh(2, 2).map(|b| u16::from_be_bytes([b[0], b[1]])),
                    Family::Ipv6 => v
                        .nh(4, 2)
                        .map(|b| u16::from_be_bytes([b[0], b[1]]).wrapping_add(40)),
                };
                match len {
                    Some(n) => yes(l.hit(n)),
                    None => Hit::No,
                }
            }
            Match::Limit(l) => yes(l.take(v.time)),
            Match::Comment(_) => Hit::Yes,
            _ => Hit::Yes,
        }
    }
}

#[cfg(test)]
mod limit_tests {
    use super::*;
    use ctrack_core::time::Ticks;

    fn at(jiffies: u64) -> Ticks {
        Ticks { jiffies, hz: 250 }
    }

    #[test]
    fn the_constants_are_the_kernels() {
        // HZ=250: 0xFFFFFFFF / 21,600,000 = 198 -> 128.
        assert_eq!(credits_per_jiffy(250), 128);
        assert_eq!(credits_per_jiffy(1000), 32);
        assert_eq!(credits_per_jiffy(100), 256);
        // 2/sec: 5000 units of 1/10000 s, 16000 credits at HZ=250.
        assert_eq!(user2credits(5000, 250), 16000);
        // Large periods divide first.
        assert_eq!(user2credits(864_000_000, 250), 86_400 * 32_000);
    }

    #[test]
    fn the_burst_then_the_rate() {
        let l = Limit {
            avg: Limit::parse_rate("2/sec").unwrap(),
            burst: 3,
            bucket: std::cell::Cell::new(None),
        };
        // A full bucket: three packets, then none in the same tick.
        let got: Vec<bool> = (0..5).map(|_| l.take(at(1000))).collect();
        assert_eq!(got, [true, true, true, false, false]);
        // Half a second (125 jiffies) earns one packet.
        assert!(l.take(at(1125)));
        assert!(!l.take(at(1125)));
        // A long pause refills the bucket to the burst, not beyond.
        let got: Vec<bool> = (0..4).map(|_| l.take(at(100_000))).collect();
        assert_eq!(got, [true, true, true, false]);
    }

    #[test]
    fn without_a_clock_every_packet_passes() {
        let l = Limit::default_();
        assert!((0..100).all(|_| l.take(Ticks::default())));
    }
}
