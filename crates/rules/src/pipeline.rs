//! The hook path a packet takes through the rule sources' base chains, in
//! the kernel's order, around conntrack.
//!
//! Which path: with `--local` addresses (the filtering host's own), a packet
//! from one of them is locally generated (OUTPUT, POSTROUTING), a packet to
//! one of them is delivered locally (PREROUTING, INPUT), anything else is
//! forwarded (PREROUTING, FORWARD, POSTROUTING) — the only path when no
//! local address is given, as on a bridge or router firewall. Within a hook,
//! base chains run by priority (iptables tables at their fixed priorities,
//! nft chains at theirs, ties in the order the sources were given);
//! conntrack sits at -200 on PREROUTING and OUTPUT, so the `raw` table (and
//! nft chains below -200) run before it. ACCEPT in a base chain passes the
//! packet to the next one; DROP and REJECT end it.

use crate::model::{
    BaseChainId, ChainResult, Hook, Meta, PacketInfo, RejectWith, RuleRef, RuleSource, priority,
};
use core::fmt;
use ctrack_core::CtState;
use ctrack_core::hooks::{CtSnapshot, HookPacket, Hooks, Post, Pre};
use ctrack_core::status::Status;
use ctrack_core::tuple::{Addr, Family};

/// A network of the filtering host's own addresses.
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
}

/// The final word on a packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Accept,
    Drop,
    Reject(RejectWith),
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Accept => f.write_str("ACCEPT"),
            Verdict::Drop => f.write_str("DROP"),
            Verdict::Reject(w) => write!(f, "REJECT ({w})"),
        }
    }
}

/// What the rules did with the last packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub verdict: Verdict,
    /// The rule that decided: the terminal DROP/REJECT, or the ACCEPT (or
    /// policy) of the last base chain that had a say.
    pub by: Option<RuleRef>,
    /// The hooks the packet went through, in order.
    pub path: Vec<Hook>,
    /// LOG/NFLOG rules it met.
    pub logged: Vec<RuleRef>,
}

impl Default for Decision {
    fn default() -> Self {
        Decision {
            verdict: Verdict::Accept,
            by: None,
            path: Vec::new(),
            logged: Vec::new(),
        }
    }
}

/// The rule sources on their hooks; implements [`Hooks`] for the tracker.
#[derive(Debug, Default)]
pub struct Pipeline {
    sources: Vec<Box<dyn RuleSource>>,
    /// (source, chain), sorted by hook then priority.
    chains: Vec<(usize, BaseChainId)>,
    locals: Vec<LocalNet>,
    iif: Option<String>,
    oif: Option<String>,
    /// The packet in flight.
    path: Vec<Hook>,
    meta: Meta,
    decision: Decision,
}

impl Pipeline {
    pub fn new() -> Pipeline {
        Pipeline::default()
    }

    /// Add a rule source; its base chains join the hooks.
    pub fn add(&mut self, source: Box<dyn RuleSource>) {
        let i = self.sources.len();
        for c in source.base_chains() {
            self.chains.push((i, c));
        }
        self.sources.push(source);
        // Stable: ties keep the order the sources were given.
        self.chains.sort_by_key(|(_, c)| (c.hook, c.priority));
    }

    /// The filtering host's own addresses (`--local`).
    pub fn add_local(&mut self, net: LocalNet) {
        self.locals.push(net);
    }

    /// The interfaces of the next packet (`-i`, `-o`, `iifname`, `oifname`).
    pub fn set_interfaces(&mut self, iif: Option<String>, oif: Option<String>) {
        self.iif = iif;
        self.oif = oif;
    }

    pub fn sources(&self) -> &[Box<dyn RuleSource>] {
        &self.sources
    }

    /// What the rules did with the last packet.
    pub fn decision(&self) -> &Decision {
        &self.decision
    }

    fn is_local(&self, family: Family, a: &Addr) -> bool {
        self.locals.iter().any(|n| n.contains(family, a))
    }

    /// The hooks a packet from `src` to `dst` traverses.
    pub fn path_for(&self, family: Family, src: &Addr, dst: &Addr) -> Vec<Hook> {
        if self.is_local(family, src) {
            vec![Hook::Output, Hook::Postrouting]
        } else if self.is_local(family, dst) {
            vec![Hook::Prerouting, Hook::Input]
        } else {
            vec![Hook::Prerouting, Hook::Forward, Hook::Postrouting]
        }
    }

    /// Run the chains of `hook` whose priority is in `prio`; None while the
    /// packet goes on, Some(result) when a chain dropped or rejected it.
    fn run_hook(
        &mut self,
        hook: Hook,
        prio: std::ops::Range<i32>,
        pkt: &HookPacket<'_>,
        ct: &CtSnapshot,
    ) -> Option<ChainResult> {
        let info = PacketInfo {
            family: pkt.family,
            l3: pkt.pkt,
            l4: pkt.l4,
            len: pkt.pkt.len(),
            iif: self.iif.as_deref(),
            oif: self.oif.as_deref(),
            hook,
        };
        let mut i = 0;
        while i < self.chains.len() {
            let (src, id) = &self.chains[i];
            i += 1;
            if id.hook != hook || !prio.contains(&id.priority) || !id.family.covers(pkt.family) {
                continue;
            }
            let (src, id) = (*src, id.clone());
            let r = self.sources[src].run(&id, &info, ct, &mut self.meta);
            match r {
                ChainResult::Accept { by } => {
                    if by.is_some() {
                        self.decision.by = by;
                    }
                }
                other => return Some(other),
            }
        }
        None
    }

    fn finish(&mut self, r: ChainResult) -> String {
        let (verdict, by) = match r {
            ChainResult::Drop { by } => (Verdict::Drop, by),
            ChainResult::Reject { by, with } => (Verdict::Reject(with), by),
            ChainResult::Accept { .. } => unreachable!("only drops finish early"),
        };
        let text = by.to_string();
        self.decision.verdict = verdict;
        self.decision.by = Some(by);
        self.decision.logged = std::mem::take(&mut self.meta.logged);
        text
    }
}

/// What the rules see before conntrack ran: no entry yet.
fn no_entry() -> CtSnapshot {
    CtSnapshot {
        state: CtState::Invalid,
        dir: None,
        status: Status::empty(),
        tuples: None,
        helper: None,
        mark: 0,
        zone: 0,
        proto_state: None,
    }
}

fn addrs(p: &HookPacket<'_>) -> (Addr, Addr) {
    let b = p.pkt;
    match p.family {
        Family::Ipv4 if b.len() >= 20 => (
            Addr::v4([b[12], b[13], b[14], b[15]]),
            Addr::v4([b[16], b[17], b[18], b[19]]),
        ),
        Family::Ipv6 if b.len() >= 40 => {
            let mut s = [0; 16];
            let mut d = [0; 16];
            s.copy_from_slice(&b[8..24]);
            d.copy_from_slice(&b[24..40]);
            (Addr::v6(s), Addr::v6(d))
        }
        _ => (Addr::default(), Addr::default()),
    }
}

impl Hooks for Pipeline {
    fn before_conntrack(&mut self, pkt: &HookPacket<'_>) -> Pre {
        let (src, dst) = addrs(pkt);
        self.path = self.path_for(pkt.family, &src, &dst);
        self.meta = Meta::default();
        self.decision = Decision {
            path: self.path.clone(),
            ..Decision::default()
        };
        let first = self.path[0];
        if let Some(r) = self.run_hook(first, i32::MIN..priority::CONNTRACK, pkt, &no_entry()) {
            return Pre::Drop(self.finish(r));
        }
        if self.meta.notrack {
            return Pre::NoTrack;
        }
        if self.meta.ct_helper.is_some() || self.meta.ct_zone.is_some() {
            return Pre::Template {
                helper: self
                    .meta
                    .ct_helper
                    .as_deref()
                    .and_then(ctrack_core::helper::by_name),
                zone: self.meta.ct_zone,
            };
        }
        Pre::Continue
    }

    fn after_conntrack(&mut self, pkt: &HookPacket<'_>, ct: &CtSnapshot) -> Post {
        self.meta.ctmark = ct.mark;
        let path = self.path.clone();
        for (k, hook) in path.iter().enumerate() {
            let prio = if k == 0 {
                priority::CONNTRACK..i32::MAX
            } else {
                i32::MIN..i32::MAX
            };
            if let Some(r) = self.run_hook(*hook, prio, pkt, ct) {
                return Post::Drop(self.finish(r));
            }
        }
        self.decision.logged = std::mem::take(&mut self.meta.logged);
        Post::Accept {
            ctmark: self.meta.ctmark_changed.then_some(self.meta.ctmark),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_networks_choose_the_path() {
        let mut p = Pipeline::new();
        p.add_local(LocalNet::parse("192.0.2.1").unwrap());
        p.add_local(LocalNet::parse("2001:db8::/64").unwrap());
        let a = |s: &str| match s.parse::<std::net::IpAddr>().unwrap() {
            std::net::IpAddr::V4(v) => Addr::v4(v.octets()),
            std::net::IpAddr::V6(v) => Addr::v6(v.octets()),
        };
        assert_eq!(
            p.path_for(Family::Ipv4, &a("192.0.2.1"), &a("198.51.100.2")),
            [Hook::Output, Hook::Postrouting]
        );
        assert_eq!(
            p.path_for(Family::Ipv4, &a("198.51.100.2"), &a("192.0.2.1")),
            [Hook::Prerouting, Hook::Input]
        );
        assert_eq!(
            p.path_for(Family::Ipv4, &a("198.51.100.2"), &a("203.0.113.9")),
            [Hook::Prerouting, Hook::Forward, Hook::Postrouting]
        );
        assert_eq!(
            p.path_for(Family::Ipv6, &a("2001:db8::77"), &a("2001:db8:1::1")),
            [Hook::Output, Hook::Postrouting]
        );
        assert!(LocalNet::parse("192.0.2.1/33").is_err());
        assert!(LocalNet::parse("nope").is_err());
        assert!(
            LocalNet::parse("10.0.0.0/7")
                .unwrap()
                .contains(Family::Ipv4, &a("11.255.0.1"))
        );
        assert!(
            !LocalNet::parse("10.0.0.0/7")
                .unwrap()
                .contains(Family::Ipv4, &a("12.0.0.1"))
        );
    }
}
