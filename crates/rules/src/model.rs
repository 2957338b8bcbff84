//! What every rule source (iptables, nftables) shares with the pipeline:
//! the hooks, a packet's view, the per-packet metadata rules change, and
//! what a base chain decides.

use core::fmt;
use ctrack_core::hooks::CtSnapshot;
use ctrack_core::tuple::Family;
use std::sync::Arc;

/// The five netfilter hooks of the IP families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Hook {
    Prerouting,
    Input,
    Forward,
    Output,
    Postrouting,
}

impl Hook {
    /// The iptables chain name.
    pub fn chain_name(self) -> &'static str {
        match self {
            Hook::Prerouting => "PREROUTING",
            Hook::Input => "INPUT",
            Hook::Forward => "FORWARD",
            Hook::Output => "OUTPUT",
            Hook::Postrouting => "POSTROUTING",
        }
    }

    /// The nft hook name.
    pub fn nft_name(self) -> &'static str {
        match self {
            Hook::Prerouting => "prerouting",
            Hook::Input => "input",
            Hook::Forward => "forward",
            Hook::Output => "output",
            Hook::Postrouting => "postrouting",
        }
    }
}

impl fmt::Display for Hook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.chain_name())
    }
}

/// Priorities of the kernel's hook users (`enum nf_ip_hook_priorities`).
pub mod priority {
    pub const RAW: i32 = -300;
    pub const CONNTRACK: i32 = -200;
    pub const MANGLE: i32 = -150;
    pub const NAT_DST: i32 = -100;
    pub const FILTER: i32 = 0;
    pub const SECURITY: i32 = 50;
    pub const NAT_SRC: i32 = 100;
    pub const CONNTRACK_HELPER: i32 = 300;
}

/// Which packets a base chain sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChainFamily {
    /// `ip` / iptables.
    Ipv4,
    /// `ip6` / ip6tables.
    Ipv6,
    /// nft `inet`: both.
    Inet,
}

impl ChainFamily {
    pub fn covers(self, f: Family) -> bool {
        matches!(
            (self, f),
            (ChainFamily::Inet, _)
                | (ChainFamily::Ipv4, Family::Ipv4)
                | (ChainFamily::Ipv6, Family::Ipv6)
        )
    }
}

/// A packet as rules match it.
#[derive(Debug, Clone, Copy)]
pub struct PacketInfo<'a> {
    pub family: Family,
    /// The IP packet (reassembled when it came in fragments).
    pub l3: &'a [u8],
    /// Offset and protocol of the transport header, when reachable (not for
    /// a non-first fragment).
    pub l4: Option<(usize, u8)>,
    /// Bytes the counters count (the IP packet's length).
    pub len: usize,
    /// The interfaces the packet came in on and leaves by, when known.
    pub iif: Option<&'a str>,
    pub oif: Option<&'a str>,
    /// The hook being traversed.
    pub hook: Hook,
    /// When, in jiffies (rate limits).
    pub time: ctrack_core::time::Ticks,
}

/// What rules read and change about a packet besides its bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// The packet mark (`MARK`, `meta mark set`).
    pub nfmark: u32,
    /// The connection mark: `Some` once a rule set it (`CONNMARK`, `ct mark
    /// set`); starts as the entry's mark.
    pub ctmark: u32,
    pub ctmark_changed: bool,
    /// Raw-table effects: `NOTRACK` / `CT --notrack` / nft `notrack`.
    pub notrack: bool,
    /// `CT --helper NAME` / nft `ct helper set`.
    pub ct_helper: Option<String>,
    /// `CT --zone N` (`--zone-orig`, `--zone-reply`), nft `ct zone set`.
    pub ct_zone: Option<ctrack_core::Zone>,
    /// `LOG` / `NFLOG` rules the packet met (recorded only).
    pub logged: Vec<RuleRef>,
}

/// A rule, for reports: where it is and its text. Built once per rule
/// when the ruleset is read; the strings are shared, so handing one out
/// for every packet a rule decides costs no allocation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct RuleRef {
    /// `filter FORWARD` / `ip6 filter INPUT` / `inet fw forward`.
    pub chain: Arc<str>,
    /// 1-based position in its chain; `None` for the chain's policy.
    pub number: Option<usize>,
    /// The rule as written (`-A FORWARD -m conntrack --ctstate INVALID -j DROP`),
    /// or `policy DROP`.
    pub text: Arc<str>,
}

impl fmt::Display for RuleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.number {
            Some(n) => write!(f, "{} rule {n}: {}", self.chain, self.text),
            None => write!(f, "{} {}", self.chain, self.text),
        }
    }
}

/// What a REJECT answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectWith {
    TcpReset,
    IcmpPortUnreachable,
    IcmpHostUnreachable,
    IcmpNetUnreachable,
    IcmpProtoUnreachable,
    IcmpNetProhibited,
    IcmpHostProhibited,
    IcmpAdminProhibited,
    Icmp6NoRoute,
    Icmp6AdmProhibited,
    Icmp6AddrUnreachable,
    Icmp6PortUnreachable,
    /// `icmp6-policy-fail` (ICMPv6 destination unreachable, code 5).
    Icmp6PolicyFail,
    /// `icmp6-reject-route` (ICMPv6 destination unreachable, code 6).
    Icmp6RejectRoute,
}

impl fmt::Display for RejectWith {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RejectWith::TcpReset => "tcp-reset",
            RejectWith::IcmpPortUnreachable => "icmp-port-unreachable",
            RejectWith::IcmpHostUnreachable => "icmp-host-unreachable",
            RejectWith::IcmpNetUnreachable => "icmp-net-unreachable",
            RejectWith::IcmpProtoUnreachable => "icmp-proto-unreachable",
            RejectWith::IcmpNetProhibited => "icmp-net-prohibited",
            RejectWith::IcmpHostProhibited => "icmp-host-prohibited",
            RejectWith::IcmpAdminProhibited => "icmp-admin-prohibited",
            RejectWith::Icmp6NoRoute => "icmp6-no-route",
            RejectWith::Icmp6AdmProhibited => "icmp6-adm-prohibited",
            RejectWith::Icmp6AddrUnreachable => "icmp6-addr-unreachable",
            RejectWith::Icmp6PortUnreachable => "icmp6-port-unreachable",
            RejectWith::Icmp6PolicyFail => "icmp6-policy-fail",
            RejectWith::Icmp6RejectRoute => "icmp6-reject-route",
        })
    }
}

/// What a base chain decided about a packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainResult {
    /// ACCEPT (by a rule or the policy): the packet goes on to the next
    /// base chain. `by` is the rule that accepted (None: fell through a
    /// chain without a policy, as nft chains without one do).
    Accept { by: Option<RuleRef> },
    /// DROP (rule or policy).
    Drop { by: RuleRef },
    /// REJECT: dropped, and this answer would be sent.
    Reject { by: RuleRef, with: RejectWith },
}

/// One base chain of a rule source: where it sits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseChainId {
    pub family: ChainFamily,
    pub hook: Hook,
    pub priority: i32,
    /// The source's own handle for it (e.g. "filter/FORWARD").
    pub key: String,
}

/// A parsed ruleset: its base chains and how to run each.
pub trait RuleSource: fmt::Debug {
    /// Every base chain, with its hook and priority.
    fn base_chains(&self) -> Vec<BaseChainId>;

    /// Run the base chain `id` for a packet. Counters are updated; `meta`
    /// carries marks and raw-table effects between chains.
    fn run(
        &mut self,
        id: &BaseChainId,
        pkt: &PacketInfo<'_>,
        ct: &CtSnapshot,
        meta: &mut Meta,
    ) -> ChainResult;

    /// The rules with their counters, as the tool prints them
    /// (`iptables -L -v -x -n --line-numbers` / `nft list ruleset`).
    fn counters_report(&self) -> String;

    /// The ruleset with its counters as the tool saves it now
    /// (`iptables-save -c` without its dated comments / `nft list
    /// ruleset`): what a kernel recording's counters files hold.
    fn saved(&self) -> String;

    /// Rules that matched no packet.
    fn unmatched(&self) -> Vec<RuleRef>;
}

/// A ruleset that cannot be read: the place and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct ParseError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}
