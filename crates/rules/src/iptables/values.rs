//! Values as libxtables parses and prints them: numbers (`strtoumax` with
//! base 0, so `0x10` and `010` are 16 and 8), addresses and masks
//! (`xtables_ipparse_multiple()`, `xtables_ip6parse_multiple()`),
//! protocols (`xtables_parse_protocol()`), ports (`xtables_parse_port()`
//! and `xtables_getportbyname()`), quoted strings (`xtables_save_string()`).

use super::names::{PROTOCOLS, SERVICES};
use ctrack_core::tuple::Family;

/// `strtoumax(s, &end, base)`: the value (wrapped as C does for a leading
/// minus, saturated on overflow with `overflow` set) and the bytes used;
/// `None` when no digit was read.
pub(crate) fn strtoumax(s: &str, base: u32) -> Option<(u64, usize, bool)> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
        i += 1;
    }
    let mut neg = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        neg = b[i] == b'-';
        i += 1;
    }
    let mut base = base;
    if (base == 0 || base == 16)
        && i + 1 < b.len()
        && b[i] == b'0'
        && (b[i + 1] | 0x20) == b'x'
        && b.get(i + 2).is_some_and(|c| c.is_ascii_hexdigit())
    {
        i += 2;
        base = 16;
    } else if base == 0 {
        base = if b.get(i) == Some(&b'0') { 8 } else { 10 };
    }
    let start = i;
    let mut v: u64 = 0;
    let mut overflow = false;
    while i < b.len() {
        let d = match (b[i] as char).to_digit(base) {
            Some(d) => d,
            None => break,
        };
        match v
            .checked_mul(u64::from(base))
            .and_then(|x| x.checked_add(u64::from(d)))
        {
            Some(x) => v = x,
            None => overflow = true,
        }
        i += 1;
    }
    if i == start {
        return None;
    }
    if overflow {
        return Some((u64::MAX, i, true));
    }
    Some((if neg { v.wrapping_neg() } else { v }, i, false))
}

/// `xtables_strtoul()` with no end pointer: the whole string is a number
/// (base 0, no leading minus) within `min..=max`.
pub(crate) fn strtoul(s: &str, min: u64, max: u64) -> Option<u64> {
    if s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r'])
        .starts_with('-')
    {
        return None;
    }
    let (v, used, overflow) = strtoumax(s, 0)?;
    (used == s.len() && !overflow && v >= min && v <= max).then_some(v)
}

/// A 32-bit value with an optional `/mask` (`XTTYPE_MARKMASK32`): the
/// mask defaults to all ones.
pub(crate) fn mark_mask(s: &str) -> Option<(u32, u32)> {
    let (v, m) = match s.split_once('/') {
        Some((v, m)) => (v, Some(m)),
        None => (s, None),
    };
    let v = strtoul(v, 0, u64::from(u32::MAX))? as u32;
    let m = match m {
        Some(m) => strtoul(m, 0, u64::from(u32::MAX))? as u32,
        None => u32::MAX,
    };
    Some((v, m))
}

/// An address of either family (IPv4 in the first 4 bytes).
pub(crate) type A16 = [u8; 16];

/// An address with its mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Net {
    pub addr: A16,
    pub mask: A16,
}

impl Net {
    pub fn is_any(&self) -> bool {
        self.mask == [0; 16]
    }

    /// Whether `a` is in the network.
    pub fn contains(&self, a: &A16) -> bool {
        (0..16).all(|i| (a[i] ^ self.addr[i]) & self.mask[i] == 0)
    }

    /// The prefix length, if the mask is one.
    pub fn prefix(&self, family: Family) -> Option<u32> {
        let n = addr_len(family);
        let mut bits = 0;
        let mut ended = false;
        for &b in &self.mask[..n] {
            if ended {
                if b != 0 {
                    return None;
                }
                continue;
            }
            if b == 0xff {
                bits += 8;
            } else {
                if b.leading_ones() + b.trailing_zeros() != 8 {
                    return None;
                }
                bits += b.leading_ones();
                ended = true;
            }
        }
        Some(bits)
    }

    /// Every address of `other` is in `self`.
    pub fn covers(&self, other: &Net) -> bool {
        (0..16).all(|i| self.mask[i] & !other.mask[i] == 0)
            && (0..16).all(|i| (self.addr[i] ^ other.addr[i]) & self.mask[i] == 0)
    }
}

pub(crate) fn addr_len(family: Family) -> usize {
    match family {
        Family::Ipv4 => 4,
        Family::Ipv6 => 16,
    }
}

fn prefix_mask(bits: u32) -> A16 {
    let mut m = [0u8; 16];
    for (i, b) in m.iter_mut().enumerate() {
        let lo = i as u32 * 8;
        *b = if bits >= lo + 8 {
            0xff
        } else if bits > lo {
            0xffu8 << (8 - (bits - lo))
        } else {
            0
        };
    }
    m
}

/// `__numeric_to_ipaddr()`: dotted quads, each part a base-0 number up to
/// 255; an address (not a mask) may stop early and is completed with
/// zeros (`10.1` is 10.1.0.0).
fn numeric_to_ipaddr(s: &str, is_mask: bool) -> Option<[u8; 4]> {
    let mut a = [0u8; 4];
    let mut rest = s;
    for (i, slot) in a.iter_mut().enumerate().take(3) {
        match rest.split_once('.') {
            Some((p, r)) => {
                *slot = strtoul(p, 0, 255)? as u8;
                rest = r;
            }
            None => {
                if is_mask {
                    return None;
                }
                *slot = strtoul(rest, 0, 255)? as u8;
                let _ = i;
                return Some(a);
            }
        }
    }
    a[3] = strtoul(rest, 0, 255)? as u8;
    Some(a)
}

/// Host names ctrack knows without a resolver (`/etc/hosts` defaults).
fn known_host(s: &str, family: Family) -> Option<A16> {
    match (family, s) {
        (Family::Ipv4, "localhost") => Some(v4([127, 0, 0, 1])),
        _ => None,
    }
}

pub(crate) fn v4(a: [u8; 4]) -> A16 {
    let mut b = [0; 16];
    b[..4].copy_from_slice(&a);
    b
}

/// One address of the family, numeric (or a known host name).
pub(crate) fn parse_addr(s: &str, family: Family) -> Option<A16> {
    match family {
        Family::Ipv4 => numeric_to_ipaddr(s, false).map(v4),
        Family::Ipv6 => s.parse::<std::net::Ipv6Addr>().ok().map(|a| a.octets()),
    }
    .or_else(|| known_host(s, family))
}

/// `parse_ipmask()` / `parse_ip6mask()`.
fn parse_mask(s: &str, family: Family) -> Result<A16, String> {
    match family {
        Family::Ipv4 => {
            if let Some(m) = numeric_to_ipaddr(s, true) {
                return Ok(v4(m));
            }
            let bits = strtoul(s, 0, 32).ok_or_else(|| format!("invalid mask `{s}' specified"))?;
            Ok(prefix_mask(bits as u32))
        }
        Family::Ipv6 => {
            if let Ok(m) = s.parse::<std::net::Ipv6Addr>() {
                return Ok(m.octets());
            }
            let bits = strtoul(s, 0, 128).ok_or_else(|| format!("invalid mask `{s}' specified"))?;
            Ok(prefix_mask(bits as u32))
        }
    }
}

/// `xtables_ipparse_multiple()` / `xtables_ip6parse_multiple()`:
/// comma-separated `ADDR[/MASK]`, each address masked.
pub(crate) fn parse_nets(s: &str, family: Family) -> Result<Vec<Net>, String> {
    let mut out = Vec::new();
    for part in s.split(',') {
        let part = part.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
        if part.len() > 255 {
            return Err("Hostname too long".into());
        }
        let (host, mask) = match part.rfind('/') {
            Some(i) => (&part[..i], parse_mask(&part[i + 1..], family)?),
            None => (part, prefix_mask(addr_len(family) as u32 * 8)),
        };
        let host = if mask == [0; 16] {
            match family {
                Family::Ipv4 => "0.0.0.0",
                Family::Ipv6 => "::",
            }
        } else {
            host
        };
        let mut addr =
            parse_addr(host, family).ok_or_else(|| format!("host/network `{host}' not found"))?;
        for i in 0..16 {
            addr[i] &= mask[i];
        }
        out.push(Net { addr, mask });
    }
    Ok(out)
}

/// glibc's `inet_aton()` without trailing text (what `getaddrinfo()` with
/// `AI_NUMERICHOST` accepts for IPv4): 1 to 4 base-0 numbers, the last
/// filling the remaining bytes (`10.1` is 10.0.0.1).
fn inet_aton(s: &str) -> Option<[u8; 4]> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut vals = Vec::new();
    for p in &parts {
        if p.is_empty() || !p.as_bytes()[0].is_ascii_digit() {
            return None;
        }
        let (v, used, overflow) = strtoumax(p, 0)?;
        if used != p.len() || overflow || v > u64::from(u32::MAX) {
            return None;
        }
        vals.push(v as u32);
    }
    let last = *vals.last()?;
    let n = vals.len();
    let mut out: u32 = 0;
    for (i, v) in vals[..n - 1].iter().enumerate() {
        if *v > 255 {
            return None;
        }
        out |= v << (24 - 8 * i);
    }
    let bits = 32 - 8 * (n as u32 - 1);
    if bits < 32 && u64::from(last) >= 1u64 << bits {
        return None;
    }
    out |= last;
    Some(out.to_be_bytes())
}

/// `getaddrinfo(AI_NUMERICHOST)` for the family.
fn numeric_host(s: &str, family: Family) -> Option<A16> {
    match family {
        Family::Ipv4 => inet_aton(s).map(v4),
        Family::Ipv6 => s.parse::<std::net::Ipv6Addr>().ok().map(|a| a.octets()),
    }
}

/// An address with a mask as the conntrack match takes it
/// (`XTTYPE_HOSTMASK`, `xtopt_parse_hostmask()`): one numeric address, not
/// masked; the mask a prefix length or an address, a mask that is not a
/// prefix meaning the whole address (as iptables 1.8.9 turns it).
pub(crate) fn parse_hostmask(s: &str, family: Family, ext: &str, opt: &str) -> Result<Net, String> {
    let max = addr_len(family) as u32 * 8;
    let (host, mask) = match s.find('/') {
        Some(i) => {
            let m = &s[i + 1..];
            let mask = match strtoul(m, 0, u64::from(max)) {
                Some(bits) => prefix_mask(bits as u32),
                None => match numeric_host(m, family) {
                    Some(a) => {
                        let n = Net {
                            addr: [0; 16],
                            mask: a,
                        };
                        match n.prefix(family) {
                            Some(p) => prefix_mask(p),
                            None => prefix_mask(max),
                        }
                    }
                    None => {
                        return Err(format!(
                            "{ext}: bad value for option \"--{opt}\", neither a valid network \
                             mask nor valid CIDR (0-{max})."
                        ));
                    }
                },
            };
            (&s[..i], mask)
        }
        None => (s, prefix_mask(max)),
    };
    let addr = numeric_host(host, family)
        .or_else(|| known_host(host, family))
        .ok_or_else(|| {
            if host.contains(',') {
                "getaddrinfo: Name or service not known".to_string()
            } else {
                format!("host/network `{host}' not found")
            }
        })?;
    Ok(Net { addr, mask })
}

/// `xtables_ipaddr_to_numeric()` / `xtables_ip6addr_to_numeric()`.
pub(crate) fn addr_to_string(a: &A16, family: Family) -> String {
    match family {
        Family::Ipv4 => format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3]),
        Family::Ipv6 => inet_ntop6(a),
    }
}

/// glibc's `inet_ntop(AF_INET6)`: the longest run of at least two zero
/// groups becomes `::`, and IPv4-mapped (`::ffff:a.b.c.d`) and
/// -compatible (`::a.b.c.d`) addresses end in a dotted quad.
pub(crate) fn inet_ntop6(a: &A16) -> String {
    let w: Vec<u16> = (0..8)
        .map(|i| u16::from_be_bytes([a[2 * i], a[2 * i + 1]]))
        .collect();
    let (mut best, mut cur) = ((usize::MAX, 0usize), (usize::MAX, 0usize));
    for (i, &x) in w.iter().enumerate() {
        if x == 0 {
            if cur.0 == usize::MAX {
                cur = (i, 1);
            } else {
                cur.1 += 1;
            }
        } else if cur.0 != usize::MAX {
            if best.0 == usize::MAX || cur.1 > best.1 {
                best = cur;
            }
            cur = (usize::MAX, 0);
        }
    }
    if cur.0 != usize::MAX && (best.0 == usize::MAX || cur.1 > best.1) {
        best = cur;
    }
    if best.0 != usize::MAX && best.1 < 2 {
        best = (usize::MAX, 0);
    }
    let mut s = String::new();
    let mut i = 0;
    while i < 8 {
        if best.0 != usize::MAX && i >= best.0 && i < best.0 + best.1 {
            if i == best.0 {
                s.push(':');
            }
            i += 1;
            continue;
        }
        if i != 0 {
            s.push(':');
        }
        if i == 6 && best.0 == 0 && (best.1 == 6 || (best.1 == 5 && w[5] == 0xffff)) {
            s.push_str(&format!("{}.{}.{}.{}", a[12], a[13], a[14], a[15]));
            return s;
        }
        s.push_str(&format!("{:x}", w[i]));
        i += 1;
    }
    if best.0 != usize::MAX && best.0 + best.1 == 8 {
        s.push(':');
    }
    s
}

/// `xtables_ipmask_to_numeric()` / `xtables_ip6mask_to_numeric()`: empty
/// for a host mask, `/N` for a prefix, else `/` and the mask.
pub(crate) fn mask_suffix(n: &Net, family: Family) -> String {
    match n.prefix(family) {
        Some(p) if p == addr_len(family) as u32 * 8 => String::new(),
        Some(p) => format!("/{p}"),
        None => format!("/{}", addr_to_string(&n.mask, family)),
    }
}

/// `-s`/`-d` as iptables-save writes them: `ADDR/PREFIX` or `ADDR/MASK`.
pub(crate) fn net_to_save(n: &Net, family: Family) -> String {
    match n.prefix(family) {
        Some(p) => format!("{}/{p}", addr_to_string(&n.addr, family)),
        None => format!(
            "{}/{}",
            addr_to_string(&n.addr, family),
            addr_to_string(&n.mask, family)
        ),
    }
}

/// `xtables_chain_protos`: names iptables knows besides the C library's.
const CHAIN_PROTOS: &[(&str, u8)] = &[
    ("tcp", 6),
    ("sctp", 132),
    ("udp", 17),
    ("udplite", 136),
    ("icmp", 1),
    ("ipv6-icmp", 58),
    ("icmpv6", 58),
    ("esp", 50),
    ("ah", 51),
    ("mh", 135),
    ("dccp", 33),
    ("all", 0),
];

/// `xtables_parse_protocol()` (the caller lowercases, as `-p` does).
pub(crate) fn parse_protocol(s: &str) -> Result<u8, String> {
    if let Some(v) = strtoul(s, 0, 255) {
        return Ok(v as u8);
    }
    if s == "all" {
        return Ok(0);
    }
    if let Some((_, n)) = PROTOCOLS.iter().find(|(name, _)| *name == s) {
        return Ok(*n);
    }
    if let Some((_, n)) = CHAIN_PROTOS.iter().find(|(name, _)| *name == s) {
        return Ok(*n);
    }
    Err(format!("unknown protocol \"{s}\" specified"))
}

/// `proto_to_name(proto, 0)`: the name iptables-save writes.
pub(crate) fn protocol_name(p: u8) -> Option<&'static str> {
    PROTOCOLS
        .iter()
        .find(|(_, n)| *n == p)
        .map(|(name, _)| *name)
        .or_else(|| {
            CHAIN_PROTOS
                .iter()
                .find(|(_, n)| *n == p)
                .map(|(name, _)| *name)
        })
}

/// `getservbyname(name, proto)`.
pub(crate) fn service_port(name: &str, proto: &str) -> Option<u16> {
    SERVICES
        .iter()
        .find(|(n, _, p)| *n == name && *p == proto)
        .map(|(_, port, _)| *port)
}

/// `xtables_parse_port(s, proto)`: a base-0 number up to 65535 or a service
/// name.
pub(crate) fn parse_port(s: &str, proto: &str) -> Result<u16, String> {
    if let Some(v) = strtoul(s, 0, 65535) {
        return Ok(v as u16);
    }
    service_port(s, proto).ok_or_else(|| format!("invalid port/service `{s}' specified"))
}

/// `xtables_getportbyname()` (`getaddrinfo()` of a service): decimal digits
/// (taken modulo 65536, as the C library does) or a service name of any
/// protocol.
pub(crate) fn getportbyname(s: &str) -> Option<u16> {
    if let Some((v, used, _)) = strtoumax(s, 10)
        && used == s.len()
    {
        return Some(v as u16);
    }
    if s.is_empty() {
        return Some(0);
    }
    ["tcp", "udp", "dccp", "sctp"]
        .iter()
        .find_map(|p| service_port(s, p))
}

/// `XTTYPE_PORTRC`: `PORT`, `LO:HI`, `:HI`, `LO:`, each part through
/// `xtables_getportbyname()`; `LO` may exceed `HI` (then nothing matches).
pub(crate) fn parse_port_range_rc(s: &str, ext: &str, opt: &str) -> Result<(u16, u16), String> {
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
        v[i] = getportbyname(p)
            .ok_or_else(|| format!("Port \"{p}\" does not resolve to anything."))?;
    }
    if parts.len() == 1 {
        v[1] = v[0];
    }
    Ok((v[0], v[1]))
}

/// `xtables_save_string()`: bare when only `[A-Za-z0-9_-]`, else in double
/// quotes with `"`, `\` and `'` escaped. Includes the leading space.
pub(crate) fn save_string(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-');
    if plain {
        return format!(" {s}");
    }
    let mut out = String::from(" \"");
    for ch in s.chars() {
        if matches!(ch, '"' | '\\' | '\'') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_like_strtoul_base_0() {
        assert_eq!(strtoul("0x10", 0, 100), Some(16));
        assert_eq!(strtoul("010", 0, 100), Some(8));
        assert_eq!(strtoul(" 5", 0, 100), Some(5));
        assert_eq!(strtoul("-1", 0, u64::MAX), None);
        assert_eq!(strtoul("5x", 0, 100), None);
        assert_eq!(strtoul("", 0, 100), None);
        assert_eq!(strtoul("0x", 0, 100), None);
        assert_eq!(strtoul("101", 0, 100), None);
    }

    #[test]
    fn addresses() {
        let n = parse_nets("10.1", Family::Ipv4).unwrap();
        assert_eq!(net_to_save(&n[0], Family::Ipv4), "10.1.0.0/32");
        let n = parse_nets("1.2.3.4/255.0.255.0", Family::Ipv4).unwrap();
        assert_eq!(net_to_save(&n[0], Family::Ipv4), "1.0.3.0/255.0.255.0");
        let n = parse_nets("0x0a.010.1.1", Family::Ipv4).unwrap();
        assert_eq!(addr_to_string(&n[0].addr, Family::Ipv4), "10.8.1.1");
        assert_eq!(
            parse_nets("1.2.3.4/33", Family::Ipv4).unwrap_err(),
            "invalid mask `33' specified"
        );
        let n = parse_nets("2001:db8::1/32", Family::Ipv6).unwrap();
        assert_eq!(net_to_save(&n[0], Family::Ipv6), "2001:db8::/32");
    }

    #[test]
    fn ntop6_like_glibc() {
        let p = |s: &str| s.parse::<std::net::Ipv6Addr>().unwrap().octets();
        assert_eq!(inet_ntop6(&p("::")), "::");
        assert_eq!(inet_ntop6(&p("::1")), "::1");
        assert_eq!(inet_ntop6(&p("::2")), "::2");
        assert_eq!(inet_ntop6(&p("::102:304")), "::1.2.3.4");
        assert_eq!(inet_ntop6(&p("::ffff:1.2.3.4")), "::ffff:1.2.3.4");
        assert_eq!(inet_ntop6(&p("2001:db8:0:1::")), "2001:db8:0:1::");
        assert_eq!(inet_ntop6(&p("2001:0:0:1:0:0:0:1")), "2001:0:0:1::1");
        assert_eq!(inet_ntop6(&p("1:0:1:0:1:0:1:0")), "1:0:1:0:1:0:1:0");
    }

    #[test]
    fn ports() {
        assert_eq!(parse_port("ssh", "tcp"), Ok(22));
        assert_eq!(parse_port("0x10", "tcp"), Ok(16));
        assert_eq!(getportbyname("010"), Some(10));
        assert_eq!(getportbyname("70000"), Some(4464));
        assert_eq!(getportbyname("0x10"), None);
        assert_eq!(parse_port_range_rc("5:", "udp", "sport"), Ok((5, 65535)));
    }

    #[test]
    fn quoting() {
        assert_eq!(save_string("abc"), " abc");
        assert_eq!(save_string("a b"), " \"a b\"");
        assert_eq!(save_string(""), " \"\"");
        assert_eq!(save_string("x'\"\\"), " \"x\\'\\\"\\\\\"");
    }
}
