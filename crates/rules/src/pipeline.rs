//! The hook path a packet takes through the rule sources' base chains, in
//! the kernel's order, around conntrack.
//!
//! Which path, and through which interfaces, the [`crate::host`] model
//! says; a packet the host sends in answer to one it refused takes OUTPUT
//! and POSTROUTING with that packet's entry ([`crate::answers`]). On a host
//! that routes, a forwarded packet whose TTL (hop limit) runs out is
//! dropped by the forwarding code between PREROUTING and FORWARD, which
//! answers with an ICMP time exceeded. Within a hook,
//! base chains run by priority (iptables tables at their fixed priorities,
//! nft chains at theirs, ties in the order the sources were given);
//! conntrack sits at -200 on PREROUTING and OUTPUT, so the `raw` table (and
//! nft chains below -200) run before it. ACCEPT in a base chain passes the
//! packet to the next one; DROP and REJECT end it.

use crate::answers::{Answers, Kind};
pub use crate::host::{Host, Iface, LocalNet, Route};
use crate::model::{
    BaseChainId, ChainResult, Hook, Meta, PacketInfo, RejectWith, RuleRef, RuleSource, priority,
};
use core::fmt;
use ctrack_core::CtState;
use ctrack_core::hooks::{CtSnapshot, HookPacket, Hooks, Post, Pre};
use ctrack_core::status::Status;
use ctrack_core::tuple::{Addr, Family};
use std::sync::Arc;

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
    /// The hooks the packet went through, in order, up to the one that
    /// dropped it.
    pub path: Vec<Hook>,
    /// The interfaces it came in on and left by, when known.
    pub iif: Option<Arc<str>>,
    pub oif: Option<Arc<str>>,
    /// The host generated it in answer to a refused packet, which this
    /// names.
    pub answer_to: Option<String>,
    /// LOG/NFLOG rules it met.
    pub logged: Vec<RuleRef>,
}

impl Default for Decision {
    fn default() -> Self {
        Decision {
            verdict: Verdict::Accept,
            by: None,
            path: Vec::new(),
            iif: None,
            oif: None,
            answer_to: None,
            logged: Vec::new(),
        }
    }
}

impl Decision {
    /// Start over for a packet taking `path`, keeping the vectors' room
    /// (no allocation per packet).
    fn reset(
        &mut self,
        path: &[Hook],
        iif: Option<Arc<str>>,
        oif: Option<Arc<str>>,
        answer_to: Option<String>,
    ) {
        let Decision {
            verdict,
            by,
            path: p,
            iif: i,
            oif: o,
            answer_to: a,
            logged,
        } = self;
        *verdict = Verdict::Accept;
        *by = None;
        p.clear();
        p.extend_from_slice(path);
        (*i, *o, *a) = (iif, oif, answer_to);
        logged.clear();
    }
}

/// The rule sources on their hooks; implements [`Hooks`] for the tracker.
#[derive(Debug, Default)]
pub struct Pipeline {
    sources: Vec<Box<dyn RuleSource>>,
    /// (source, chain), sorted by hook then priority.
    chains: Vec<(usize, BaseChainId)>,
    host: Host,
    answers: Answers,
    /// Interfaces given for the next packet, over the host model's.
    iif: Option<Arc<str>>,
    oif: Option<Arc<str>>,
    /// The packet in flight.
    route: Route,
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

    /// An address (network) of the filtering host (`--local`).
    pub fn add_local(&mut self, net: LocalNet) {
        self.host.add_local(net);
    }

    /// An interface of the filtering host (`--iface`).
    pub fn add_iface(&mut self, iface: Iface) {
        self.host.add_iface(iface);
    }

    /// The interfaces of the next packet (`-i`, `-o`, `iifname`,
    /// `oifname`), over what the host model says.
    pub fn set_interfaces(&mut self, iif: Option<String>, oif: Option<String>) {
        self.iif = iif.map(Arc::from);
        self.oif = oif.map(Arc::from);
    }

    pub fn sources(&self) -> &[Box<dyn RuleSource>] {
        &self.sources
    }

    /// What the rules did with the last packet.
    pub fn decision(&self) -> &Decision {
        &self.decision
    }

    /// The hooks a packet from `src` to `dst` traverses.
    pub fn path_for(&self, family: Family, src: &Addr, dst: &Addr) -> Vec<Hook> {
        self.host.route(family, src, dst).path.to_vec()
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
            iif: self.iif.as_deref().or(self.route.iif.as_deref()),
            oif: self.oif.as_deref().or(self.route.oif.as_deref()),
            hook,
            time: pkt.time,
        };
        let mut i = 0;
        while i < self.chains.len() {
            let (src, id) = &self.chains[i];
            i += 1;
            if id.hook != hook || !prio.contains(&id.priority) || !id.family.covers(pkt.family) {
                continue;
            }
            let r = self.sources[*src].run(id, &info, ct, &mut self.meta);
            match r {
                ChainResult::Accept { by } => {
                    if by.is_some() {
                        self.decision.by = by;
                    }
                }
                other => {
                    self.decision.path.truncate(
                        self.decision
                            .path
                            .iter()
                            .position(|h| *h == hook)
                            .map_or(0, |p| p + 1),
                    );
                    return Some(other);
                }
            }
        }
        None
    }

    /// A chain dropped or rejected the packet: the decision, and what the
    /// tracker is told. A REJECT's answer is awaited.
    fn finish(&mut self, r: ChainResult, pkt: &HookPacket<'_>, ct: &CtSnapshot) -> String {
        let (verdict, by) = match r {
            ChainResult::Drop { by } => (Verdict::Drop, by),
            ChainResult::Reject { by, with } => {
                let kind = if with == RejectWith::TcpReset {
                    Kind::TcpReset
                } else {
                    Kind::IcmpError
                };
                // A bridge has no address to answer from: its REJECT sends
                // nothing (kernel-replay's recordings).
                if self.host.routes() {
                    self.answers
                        .expect(kind, pkt, ct, format!("{with} sent by {by}"));
                }
                (Verdict::Reject(with), by)
            }
            // Accept never ends the path early; treat it as the end.
            ChainResult::Accept { by } => (Verdict::Accept, by.unwrap_or_default()),
        };
        let text = by.to_string();
        self.decision.verdict = verdict;
        self.decision.by = Some(by);
        self.decision.logged = std::mem::take(&mut self.meta.logged);
        text
    }

    /// The forwarding code between PREROUTING and FORWARD on a host that
    /// routes: a packet whose TTL (hop limit) would run out is dropped
    /// (`ip_forward()`, `ip6_forward()`) and answered with a time exceeded.
    fn forwarding_drops(&mut self, pkt: &HookPacket<'_>, ct: &CtSnapshot) -> Option<String> {
        if !self.host.routes() || !self.route.path.contains(&Hook::Forward) {
            return None;
        }
        let ttl = match pkt.family {
            Family::Ipv4 => pkt.pkt.get(8),
            Family::Ipv6 => pkt.pkt.get(7),
        };
        if ttl.is_none_or(|t| *t > 1) {
            return None;
        }
        let by = RuleRef {
            chain: "forwarding".into(),
            number: None,
            text: match pkt.family {
                Family::Ipv4 => "TTL exceeded (ICMP time exceeded sent)".into(),
                Family::Ipv6 => "hop limit exceeded (ICMPv6 time exceeded sent)".into(),
            },
        };
        self.answers.expect(
            Kind::IcmpError,
            pkt,
            ct,
            format!("time exceeded sent by {by}"),
        );
        self.decision.path.truncate(1);
        self.decision.verdict = Verdict::Drop;
        self.decision.by = Some(by.clone());
        self.decision.logged = std::mem::take(&mut self.meta.logged);
        Some(by.to_string())
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
        master_helper: None,
        mark: 0,
        zone: ctrack_core::Zone::DEFAULT,
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
        self.meta = Meta::default();
        let answered = self.answers.take(pkt);
        self.route = self.host.route(pkt.family, &src, &dst);
        if answered.is_some() {
            self.route.path = crate::host::OUTPUT_PATH;
            self.route.iif = None;
        }
        self.decision.reset(
            self.route.path,
            self.iif.clone().or_else(|| self.route.iif.clone()),
            self.oif.clone().or_else(|| self.route.oif.clone()),
            answered.as_ref().map(|(_, why)| why.clone()),
        );
        let first = self.route.path[0];
        if let Some((answered, why)) = answered {
            let seen = CtSnapshot {
                state: CtState::Related,
                dir: Some(match answered.dir {
                    Some(ctrack_core::ctinfo::Direction::Reply) => {
                        ctrack_core::ctinfo::Direction::Original
                    }
                    _ => ctrack_core::ctinfo::Direction::Reply,
                }),
                ..answered
            };
            if let Some(r) = self.run_hook(first, i32::MIN..priority::CONNTRACK, pkt, &seen) {
                return Pre::Drop(self.finish(r, pkt, &no_entry()));
            }
            return Pre::Attached { answered, why };
        }
        if let Some(r) = self.run_hook(first, i32::MIN..priority::CONNTRACK, pkt, &no_entry()) {
            return Pre::Drop(self.finish(r, pkt, &no_entry()));
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
        let path = self.route.path;
        for (k, hook) in path.iter().enumerate() {
            let prio = if k == 0 {
                priority::CONNTRACK..i32::MAX
            } else {
                i32::MIN..i32::MAX
            };
            if let Some(r) = self.run_hook(*hook, prio, pkt, ct) {
                return Post::Drop(self.finish(r, pkt, ct));
            }
            if k == 0
                && let Some(why) = self.forwarding_drops(pkt, ct)
            {
                return Post::Drop(why);
            }
        }
        self.decision.logged = std::mem::take(&mut self.meta.logged);
        Post::Accept {
            ctmark: self.meta.ctmark_changed.then_some(self.meta.ctmark),
            helper: self
                .meta
                .ct_helper
                .as_deref()
                .and_then(ctrack_core::helper::by_name),
        }
    }
}
