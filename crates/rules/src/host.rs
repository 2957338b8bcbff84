//! The filtering host: its own addresses and interfaces, and from them the
//! path a packet takes and the interfaces it comes in on and leaves by.
//!
//! With nothing configured the host is a bridge or a router that owns none
//! of the traffic: every packet is forwarded (PREROUTING, FORWARD,
//! POSTROUTING) and no interface is known. `--local ADDR[/PREFIX]` names
//! addresses of the host; `--iface NAME=ADDR/PREFIX[,…][,default]` names an
//! interface with its addresses (each address is local, its network is
//! reached through the interface, `default` puts the default route there;
//! `lo` holds its whole prefix, as 127.0.0.0/8 is local). A packet from a
//! local address is locally generated (OUTPUT, POSTROUTING), one to a local
//! address is delivered locally (PREROUTING, INPUT), others are forwarded.
//! The input interface is the one whose network holds the source (the
//! reverse route: what the capture interface is in a routed network); the
//! output interface is `lo` for a local destination, else the one whose
//! network holds the destination (longest prefix), else the default.

use crate::model::Hook;
use ctrack_core::tuple::{Addr, Family};
use std::sync::Arc;

/// A network: an address and a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalNet {
    pub family: Family,
    pub addr: Addr,
    pub prefix: u8,
}

impl LocalNet {
    /// `ADDR[/PREFIX]`.
    pub fn parse(s: &str) -> Result<LocalNet, String> {
        let (a, p) = s.split_once('/').map_or((s, None), |(a, p)| (a, Some(p)));
        let ip: std::net::IpAddr = a
            .parse()
            .map_err(|_| format!("`{s}`: not an address (ADDR or ADDR/PREFIX)"))?;
        let (family, addr, max) = match ip {
            std::net::IpAddr::V4(v) => (Family::Ipv4, Addr::v4(v.octets()), 32),
            std::net::IpAddr::V6(v) => (Family::Ipv6, Addr::v6(v.octets()), 128),
        };
        let prefix = match p {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| format!("`{s}`: prefix must be 0..={max}"))?,
        };
        Ok(LocalNet {
            family,
            addr,
            prefix,
        })
    }

    pub fn contains(&self, family: Family, a: &Addr) -> bool {
        if family != self.family {
            return false;
        }
        let bits = usize::from(self.prefix);
        let (whole, rest) = (bits / 8, bits % 8);
        if a.0[..whole] != self.addr.0[..whole] {
            return false;
        }
        rest == 0 || (a.0[whole] ^ self.addr.0[whole]) >> (8 - rest) == 0
    }

    /// The address alone.
    fn host(&self) -> LocalNet {
        LocalNet {
            prefix: if self.family == Family::Ipv4 { 32 } else { 128 },
            ..*self
        }
    }
}

/// A multicast or the limited broadcast address.
fn is_group(family: Family, a: &Addr) -> bool {
    match family {
        Family::Ipv4 => a.0[0] >> 4 == 0xe || a.0[..4] == [255; 4],
        Family::Ipv6 => a.0[0] == 0xff,
    }
}

/// One interface of the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Iface {
    /// Shared with every [`Route`] through it.
    pub name: Arc<str>,
    /// Its addresses with their prefixes.
    pub nets: Vec<LocalNet>,
    /// The default route leaves through it.
    pub default: bool,
}

impl Iface {
    /// `NAME=ADDR/PREFIX[,ADDR/PREFIX…][,default]`.
    pub fn parse(s: &str) -> Result<Iface, String> {
        let (name, rest) = s
            .split_once('=')
            .ok_or_else(|| format!("`{s}`: expected NAME=ADDR/PREFIX[,…][,default]"))?;
        let name = name.trim();
        if name.is_empty()
            || name.len() > 15
            || name.contains(|c: char| c.is_whitespace() || c == '/')
        {
            return Err(format!(
                "`{s}`: `{name}` is not an interface name (1 to 15 characters, no spaces or /)"
            ));
        }
        let mut iface = Iface {
            name: name.into(),
            nets: Vec::new(),
            default: false,
        };
        for part in rest.split(',').map(str::trim) {
            if part.is_empty() {
                return Err(format!(
                    "`{s}`: an empty address (write ADDR/PREFIX or default)"
                ));
            } else if part == "default" {
                iface.default = true;
            } else {
                iface.nets.push(LocalNet::parse(part)?);
            }
        }
        Ok(iface)
    }

    fn is_loopback(&self) -> bool {
        &*self.name == "lo"
    }
}

/// The host's addresses and interfaces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Host {
    locals: Vec<LocalNet>,
    ifaces: Vec<Iface>,
}

/// Where a packet goes through the host. Finding it allocates nothing:
/// the paths are constants and interface names are shared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Route {
    pub path: &'static [Hook],
    pub iif: Option<Arc<str>>,
    pub oif: Option<Arc<str>>,
}

/// The hooks of a packet the host sends.
pub const OUTPUT_PATH: &[Hook] = &[Hook::Output, Hook::Postrouting];
/// ... of one addressed to the host.
pub const INPUT_PATH: &[Hook] = &[Hook::Prerouting, Hook::Input];
/// ... of one it forwards (or bridges).
pub const FORWARD_PATH: &[Hook] = &[Hook::Prerouting, Hook::Forward, Hook::Postrouting];

/// The loopback interface's name, for hosts that do not list it.
fn lo() -> Arc<str> {
    static LO: std::sync::OnceLock<Arc<str>> = std::sync::OnceLock::new();
    LO.get_or_init(|| "lo".into()).clone()
}

impl Host {
    pub fn add_local(&mut self, net: LocalNet) {
        self.locals.push(net);
    }

    pub fn add_iface(&mut self, iface: Iface) {
        self.ifaces.push(iface);
    }

    /// Whether the host owns any address: it is then a router or an end
    /// host, whose forwarding code runs (TTL checks); otherwise it is
    /// taken for a bridge.
    pub fn routes(&self) -> bool {
        !self.locals.is_empty() || self.ifaces.iter().any(|i| !i.nets.is_empty())
    }

    pub fn is_local(&self, family: Family, a: &Addr) -> bool {
        self.is_own(family, a)
            || (self.routes() && is_group(family, a))
            || self.is_broadcast(family, a)
    }

    /// The broadcast address of an interface's IPv4 network (prefixes up
    /// to /30), which the kernel's local table holds.
    fn is_broadcast(&self, family: Family, a: &Addr) -> bool {
        family == Family::Ipv4
            && self.ifaces.iter().filter(|i| !i.is_loopback()).any(|i| {
                i.nets.iter().any(|n| {
                    n.family == Family::Ipv4 && n.prefix <= 30 && n.contains(family, a) && {
                        let host_bits = 32 - u32::from(n.prefix);
                        let v = u32::from_be_bytes([a.0[0], a.0[1], a.0[2], a.0[3]]);
                        v & ((1u32 << host_bits) - 1) == (1u32 << host_bits) - 1
                    }
                })
            })
    }

    /// An address the host has (not a group it listens to).
    fn is_own(&self, family: Family, a: &Addr) -> bool {
        self.locals.iter().any(|n| n.contains(family, a))
            || self.ifaces.iter().any(|i| {
                i.nets.iter().any(|n| {
                    if i.is_loopback() {
                        n.contains(family, a)
                    } else {
                        n.host().contains(family, a)
                    }
                })
            })
    }

    /// The interface whose network holds `a` (longest prefix; `lo` only
    /// for its own addresses), else the default route's.
    fn route_to(&self, family: Family, a: &Addr) -> Option<&Arc<str>> {
        let mut best: Option<(&Iface, u8)> = None;
        for i in &self.ifaces {
            for n in &i.nets {
                if n.contains(family, a) && best.is_none_or(|(_, p)| n.prefix > p) {
                    best = Some((i, n.prefix));
                }
            }
        }
        best.map(|(i, _)| i)
            .or_else(|| self.ifaces.iter().find(|i| i.default))
            .map(|i| &i.name)
    }

    /// The path and interfaces of a packet from `src` to `dst`: multicast
    /// and broadcast destinations are delivered locally on a host that
    /// routes (no multicast routing), as its own addresses are.
    pub fn route(&self, family: Family, src: &Addr, dst: &Addr) -> Route {
        let out_to = |a: &Addr| {
            if self.is_local(family, a) {
                Some(lo())
            } else {
                self.route_to(family, a).cloned()
            }
        };
        if self.is_own(family, src) {
            Route {
                path: OUTPUT_PATH,
                iif: None,
                oif: out_to(dst),
            }
        } else if self.is_local(family, dst) {
            Route {
                path: INPUT_PATH,
                iif: self.route_to(family, src).cloned(),
                oif: None,
            }
        } else {
            Route {
                path: FORWARD_PATH,
                iif: self.route_to(family, src).cloned(),
                oif: out_to(dst),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Addr {
        match s.parse::<std::net::IpAddr>().unwrap() {
            std::net::IpAddr::V4(v) => Addr::v4(v.octets()),
            std::net::IpAddr::V6(v) => Addr::v6(v.octets()),
        }
    }

    #[test]
    fn local_networks_choose_the_path() {
        let mut h = Host::default();
        h.add_local(LocalNet::parse("192.0.2.1").unwrap());
        h.add_local(LocalNet::parse("2001:db8::/64").unwrap());
        let path = |s, d| h.route(Family::Ipv4, &a(s), &a(d)).path;
        assert_eq!(
            path("192.0.2.1", "198.51.100.2"),
            [Hook::Output, Hook::Postrouting]
        );
        assert_eq!(
            path("198.51.100.2", "192.0.2.1"),
            [Hook::Prerouting, Hook::Input]
        );
        assert_eq!(
            path("198.51.100.2", "203.0.113.9"),
            [Hook::Prerouting, Hook::Forward, Hook::Postrouting]
        );
        assert_eq!(
            h.route(Family::Ipv6, &a("2001:db8::77"), &a("2001:db8:1::1"))
                .path,
            [Hook::Output, Hook::Postrouting]
        );
        assert!(h.routes());
        assert!(!Host::default().routes());
    }

    #[test]
    fn networks_parse_and_contain() {
        assert!(LocalNet::parse("192.0.2.1/33").is_err());
        assert!(LocalNet::parse("nope").is_err());
        assert!(LocalNet::parse("2001:db8::/129").is_err());
        let n = LocalNet::parse("10.0.0.0/7").unwrap();
        assert!(n.contains(Family::Ipv4, &a("11.255.0.1")));
        assert!(!n.contains(Family::Ipv4, &a("12.0.0.1")));
        assert!(!n.contains(Family::Ipv6, &a("::1")));
        assert!(
            LocalNet::parse("0.0.0.0/0")
                .unwrap()
                .contains(Family::Ipv4, &a("1.2.3.4"))
        );
    }

    #[test]
    fn interfaces_give_addresses_and_routes() {
        let mut h = Host::default();
        h.add_iface(Iface::parse("lo=127.0.0.1/8,198.51.100.1/32").unwrap());
        h.add_iface(Iface::parse("fw0=192.0.2.1/24").unwrap());
        h.add_iface(Iface::parse("fw1=203.0.113.1/24,default").unwrap());
        // The interface's address is local, the rest of its network is not.
        assert!(h.is_local(Family::Ipv4, &a("192.0.2.1")));
        assert!(!h.is_local(Family::Ipv4, &a("192.0.2.10")));
        // All of lo's prefix is.
        assert!(h.is_local(Family::Ipv4, &a("127.3.4.5")));
        let r = h.route(Family::Ipv4, &a("192.0.2.10"), &a("203.0.113.10"));
        assert_eq!(r.path, [Hook::Prerouting, Hook::Forward, Hook::Postrouting]);
        assert_eq!(
            (r.iif.as_deref(), r.oif.as_deref()),
            (Some("fw0"), Some("fw1"))
        );
        let r = h.route(Family::Ipv4, &a("192.0.2.10"), &a("198.51.100.1"));
        assert_eq!(r.path, [Hook::Prerouting, Hook::Input]);
        assert_eq!((r.iif.as_deref(), r.oif.as_deref()), (Some("fw0"), None));
        let r = h.route(Family::Ipv4, &a("192.0.2.1"), &a("8.8.8.8"));
        assert_eq!(r.path, [Hook::Output, Hook::Postrouting]);
        assert_eq!((r.iif.as_deref(), r.oif.as_deref()), (None, Some("fw1")));
        let r = h.route(Family::Ipv4, &a("127.0.0.1"), &a("127.0.0.1"));
        assert_eq!(r.oif.as_deref(), Some("lo"));
        // Groups are delivered locally: IPv6 neighbour solicitations,
        // IPv4 multicast and broadcast; never a source of OUTPUT.
        let r = h.route(Family::Ipv6, &a("2001:db8::10"), &a("ff02::1:ff00:1"));
        assert_eq!(r.path, [Hook::Prerouting, Hook::Input]);
        let r = h.route(Family::Ipv4, &a("192.0.2.10"), &a("255.255.255.255"));
        assert_eq!(r.path, [Hook::Prerouting, Hook::Input]);
        let r = h.route(Family::Ipv4, &a("192.0.2.10"), &a("192.0.2.255"));
        assert_eq!(r.path, [Hook::Prerouting, Hook::Input]);
        let r = h.route(Family::Ipv4, &a("192.0.2.10"), &a("224.0.0.251"));
        assert_eq!(r.path, [Hook::Prerouting, Hook::Input]);
        // From the default route's side.
        let r = h.route(Family::Ipv4, &a("8.8.8.8"), &a("192.0.2.10"));
        assert_eq!(
            (r.iif.as_deref(), r.oif.as_deref()),
            (Some("fw1"), Some("fw0"))
        );
    }

    #[test]
    fn interface_syntax_errors_say_what_is_wrong() {
        for (bad, want) in [
            ("fw0", "`fw0`: expected NAME=ADDR/PREFIX[,…][,default]"),
            (
                "=192.0.2.1/24",
                "`=192.0.2.1/24`: `` is not an interface name (1 to 15 characters, no spaces or /)",
            ),
            (
                "fw0=",
                "`fw0=`: an empty address (write ADDR/PREFIX or default)",
            ),
            (
                "fw0=192.0.2.1/24,,default",
                "`fw0=192.0.2.1/24,,default`: an empty address (write ADDR/PREFIX or default)",
            ),
            ("fw0=nope", "`nope`: not an address (ADDR or ADDR/PREFIX)"),
            (
                "a very long name=1.2.3.4",
                "`a very long name=1.2.3.4`: `a very long name` is not an interface name (1 to 15 characters, no spaces or /)",
            ),
            (
                "x/y=1.2.3.4",
                "`x/y=1.2.3.4`: `x/y` is not an interface name (1 to 15 characters, no spaces or /)",
            ),
        ] {
            assert_eq!(Iface::parse(bad).unwrap_err(), want);
        }
        let i = Iface::parse("eth0=default").unwrap();
        assert!(i.default && i.nets.is_empty());
    }
}
