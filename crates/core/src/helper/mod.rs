//! Connection-tracking helpers (`nf_conntrack_helper.c`): per-protocol
//! readers of a control connection's payload that announce the connections
//! it will open ([`crate::expect`]). One implementation of [`Helper`] per
//! kernel helper module, each in its own file.
//!
//! As in Linux since 6.0 (no automatic assignment), a helper serves only
//! the connections a rule gives it: a [`HelperRule`] is the user-space form
//! of `-t raw -p tcp --dport 21 -j CT --helper ftp`, matched against the
//! first packet of a new connection that no expectation claimed.
//!
//! The helper runs where the kernel runs it, in `nf_confirm()` (after the
//! filter hooks, before a new entry is confirmed), for every packet of its
//! connection but ICMP errors travelling in the reply direction. It may
//! add expectations and may drop the packet (`NF_DROP`); a new entry whose
//! first packet is dropped never enters the table.

mod ftp;
mod inet_pton;
mod irc;
pub mod pptp;
mod sip;
mod tftp;

use crate::conn::Conn;
use crate::ctinfo::{CtInfo, Direction};
use crate::expect::{Expectations, NewExpect, Policy, Refused};
use crate::sysctl::Sysctls;
use crate::table::ConnId;
use crate::time::Timestamp;
use crate::tuple::{Family, Tuple};
use core::fmt;

/// What a helper decided about a packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpVerdict {
    Accept,
    /// `NF_DROP`, with the message `nf_ct_helper_log()` writes.
    Drop(String),
}

/// Per-connection helper state (`nfct_help(ct)->data`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum HelpData {
    #[default]
    None,
    Ftp(ftp::FtpState),
    Pptp(pptp::PptpState),
    Sip(sip::SipState),
}

/// `struct nf_conn_help`: the helper a connection has and its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Help {
    pub helper: HelperId,
    pub data: HelpData,
}

impl Help {
    /// Helper `helper` with its fresh per-connection state.
    pub fn new(helper: HelperId) -> Help {
        Help {
            helper,
            data: helper.get().new_data(),
        }
    }
}

/// Index of a helper in [`HELPERS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HelperId(u8);

impl HelperId {
    pub fn get(self) -> &'static dyn Helper {
        HELPERS[usize::from(self.0)]
    }
}

/// What a helper can read and change while it looks at one packet.
pub struct HelpCtx<'a> {
    pub now: Timestamp,
    pub family: Family,
    /// The whole IP packet.
    pub pkt: &'a [u8],
    /// Offset of the layer-4 header.
    pub protoff: usize,
    pub ctinfo: CtInfo,
    pub id: ConnId,
    pub conn: &'a mut Conn,
    pub expect: &'a mut Expectations,
    pub sysctl: &'a Sysctls,
    pub trace: &'a mut crate::trace::Trace,
    /// The namespace's GRE keymap (PPTP).
    pub gre_keymap: &'a mut crate::gre_keymap::GreKeymap,
}

impl HelpCtx<'_> {
    pub fn dir(&self) -> Direction {
        self.ctinfo.direction()
    }

    /// The connection's tuple in direction `dir`.
    pub fn tuple(&self, dir: Direction) -> Tuple {
        self.conn.tuple(dir)
    }

    /// `nf_ct_expect_related()` for this connection's helper.
    pub fn expect_related(&mut self, exp: NewExpect) -> Result<(), Refused> {
        self.expect_related_flags(exp, false)
    }

    /// `nf_ct_expect_related(exp, NF_CT_EXP_F_SKIP_MASTER)` when `skip_master`.
    pub fn expect_related_flags(
        &mut self,
        exp: NewExpect,
        skip_master: bool,
    ) -> Result<(), Refused> {
        let Some(help) = self.conn.help() else {
            return Err(Refused::Busy);
        };
        let helper = help.helper.get();
        let policies = helper.policies(self.sysctl);
        let r = self.expect.related(
            exp.clone(),
            self.id,
            self.conn.seq,
            helper.name(),
            &policies,
            self.now,
            self.sysctl.expect_max,
            skip_master,
        );
        self.trace.note(|| match &r {
            Ok(()) => format!(
                "{}: expects {} from {} to {} port {}",
                helper.name(),
                crate::proto::find(exp.family, exp.proto).name(),
                exp.src
                    .map(|a| a.to_ip(exp.family).to_string())
                    .unwrap_or_else(|| "any address".into()),
                exp.dst.to_ip(exp.family),
                exp.dport
            ),
            Err(e) => format!("{}: expectation refused: {e}", helper.name()),
        });
        r
    }

    /// Explain a step (see `ctrack explain`).
    pub fn note(&mut self, f: impl FnOnce() -> String) {
        self.trace.note(f);
    }
}

/// What a helper's `destroy()` sees: the entry that left the table.
pub struct DestroyCtx<'a> {
    pub gone: &'a crate::table::Gone,
    /// Its expectations are already gone; others may be removed.
    pub expect: &'a mut Expectations,
    /// Entries (by either tuple) to delete along with it.
    pub kill: &'a mut Vec<Tuple>,
    /// The namespace's GRE keymap (PPTP).
    pub gre_keymap: &'a mut crate::gre_keymap::GreKeymap,
}

/// One helper (`struct nf_conntrack_helper`).
pub trait Helper: Sync {
    /// The name rules and /proc use: "ftp", "tftp"...
    fn name(&self) -> &'static str;
    /// The layer-4 protocol it reads.
    fn proto(&self) -> u8;
    /// Whether the helper exists for this family (IRC and PPTP are IPv4
    /// only).
    fn supports(&self, family: Family) -> bool {
        let _ = family;
        true
    }
    /// Its expectation classes, with the module parameters in force.
    fn policies(&self, sysctl: &Sysctls) -> Vec<Policy>;
    /// The state a new connection starts with.
    fn new_data(&self) -> HelpData {
        HelpData::None
    }
    /// `helper->help()`.
    fn help(&self, ctx: &mut HelpCtx<'_>) -> HelpVerdict;
    /// `helper->destroy()`: the entry left the table.
    fn destroy(&self, ctx: &mut DestroyCtx<'_>) {
        let _ = ctx;
    }
}

/// Every helper ctrack has.
pub static HELPERS: &[&dyn Helper] = &[&ftp::Ftp, &tftp::Tftp, &irc::Irc, &pptp::Pptp, &sip::Sip];

/// The helper called `name`.
pub fn by_name(name: &str) -> Option<HelperId> {
    HELPERS
        .iter()
        .position(|h| h.name() == name)
        .map(|i| HelperId(i as u8))
}

/// `-p PROTO --dport PORT -j CT --helper NAME`, for one family or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HelperRule {
    pub helper: HelperId,
    pub family: Option<Family>,
    pub proto: u8,
    pub dport: u16,
}

/// Why a rule cannot be made (as iptables refuses a CT rule).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("unknown helper `{0}` (ctrack has: {1})")]
    Unknown(String, String),
    #[error("helper `{helper}` reads {want}, not {got}")]
    WrongProto {
        helper: &'static str,
        want: &'static str,
        got: String,
    },
    #[error("helper `{0}` does not exist for IPv6")]
    NoIpv6(&'static str),
    #[error("`{0}`: expected NAME:PROTO/PORT[:ipv4|ipv6], e.g. ftp:tcp/21")]
    Syntax(String),
}

fn proto_name(p: u8) -> &'static str {
    match p {
        6 => "tcp",
        17 => "udp",
        _ => "another protocol",
    }
}

impl HelperRule {
    pub fn new(
        name: &str,
        family: Option<Family>,
        proto: u8,
        dport: u16,
    ) -> Result<HelperRule, RuleError> {
        let helper = by_name(name).ok_or_else(|| {
            let names: Vec<&str> = HELPERS.iter().map(|h| h.name()).collect();
            RuleError::Unknown(name.to_string(), names.join(", "))
        })?;
        let h = helper.get();
        if h.proto() != proto {
            return Err(RuleError::WrongProto {
                helper: h.name(),
                want: proto_name(h.proto()),
                got: proto_name(proto).to_string(),
            });
        }
        if family == Some(Family::Ipv6) && !h.supports(Family::Ipv6) {
            return Err(RuleError::NoIpv6(h.name()));
        }
        Ok(HelperRule {
            helper,
            family,
            proto,
            dport,
        })
    }

    /// `NAME:PROTO/PORT[:ipv4|ipv6]`.
    pub fn parse(s: &str) -> Result<HelperRule, RuleError> {
        let bad = || RuleError::Syntax(s.to_string());
        let mut parts = s.split(':');
        let name = parts.next().filter(|n| !n.is_empty()).ok_or_else(bad)?;
        let (proto, port) = parts
            .next()
            .and_then(|p| p.split_once('/'))
            .ok_or_else(bad)?;
        let proto = match proto {
            "tcp" => 6,
            "udp" => 17,
            _ => return Err(bad()),
        };
        let dport: u16 = port.parse().map_err(|_| bad())?;
        let family = match parts.next() {
            None => None,
            Some("ipv4") => Some(Family::Ipv4),
            Some("ipv6") => Some(Family::Ipv6),
            Some(_) => return Err(bad()),
        };
        if parts.next().is_some() {
            return Err(bad());
        }
        HelperRule::new(name, family, proto, dport)
    }

    /// The rules kernel-replay installs: each helper on its standard port,
    /// in every family it exists for.
    pub fn standard() -> Vec<HelperRule> {
        let mut v = Vec::new();
        let ports = [
            ("ftp", 6, 21),
            ("irc", 6, 6667),
            ("tftp", 17, 69),
            ("sip", 17, 5060),
            ("pptp", 6, 1723),
        ];
        for (name, proto, port) in ports {
            if let Ok(r) = HelperRule::new(name, None, proto, port) {
                v.push(r);
            }
        }
        v
    }

    /// Does the first packet of a new connection (its original tuple)
    /// match?
    pub fn matches(&self, t: &Tuple) -> bool {
        self.proto == t.proto
            && self.dport == t.dst_u
            && self.family.is_none_or(|f| f == t.family)
            && self.helper.get().supports(t.family)
    }
}

impl fmt::Display for HelperRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}/{}",
            self.helper.get().name(),
            proto_name(self.proto),
            self.dport
        )?;
        if let Some(fam) = self.family {
            write!(f, ":{}", fam.name())?;
        }
        Ok(())
    }
}

/// Helpers' shared bits of parsing.
pub(crate) mod text {
    /// `strncasecmp(data, pattern, pattern.len()) == 0` on bytes.
    pub fn starts_with_ignore_case(data: &[u8], pattern: &[u8]) -> bool {
        data.len() >= pattern.len() && data[..pattern.len()].eq_ignore_ascii_case(pattern)
    }
}
