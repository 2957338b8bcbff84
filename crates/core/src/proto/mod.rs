//! Protocol trackers: one implementation of [`L4Proto`] per protocol, as the
//! kernel has one `nf_conntrack_l4proto` per `nf_conntrack_proto_*.c`.
//!
//! The core (`tracker`) knows nothing protocol-specific: it asks the tracker
//! for the tuple, its inverse, the ICMP-error check, and the per-packet state
//! update, and lets it print its part of the /proc line.

pub mod dccp;
mod generic;
mod gre;
mod icmp;
mod icmpv6;
mod inet_error;
pub mod sctp;
pub mod tcp;
mod udp;

use crate::conn::{Conn, ProtoState};
use crate::ctinfo::{CtInfo, Direction};
use crate::reason::Reason;
use crate::status::Status;
use crate::sysctl::Sysctls;
use crate::table::{ConnId, Table};
use crate::time::{Jiffies, Timestamp, secs};
use crate::tuple::{Family, Tuple};
use crate::wire::{header_at, ip_proto};
use core::fmt;

/// What the ICMP/ICMPv6 error check (`nf_conntrack_icmp*_error()`) decided,
/// before any table lookup by the packet's own tuple.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorOutcome {
    /// Not an error message: track the packet by its own tuple.
    Continue,
    /// `IP_CT_UNTRACKED` (ICMPv6 neighbour discovery and MLD).
    Untracked(Reason),
    /// RELATED to an existing entry, in the given direction.
    Related { id: ConnId, dir: Direction },
    /// `-NF_ACCEPT`: INVALID.
    Invalid(Reason),
}

/// The result of a tracker's per-packet step (`->packet()` return values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PacketOutcome {
    /// NF_ACCEPT.
    Accept,
    /// NF_ACCEPT, with a message the kernel logs (an "ignored" packet, or
    /// data beyond the window it tolerates).
    AcceptNoted(Reason),
    /// NF_ACCEPT, then the entry is deleted at once (`nf_ct_kill_acct()`:
    /// a RST is the only answer).
    Kill(Option<Reason>),
    /// -NF_REPEAT: the entry is deleted and the packet looked up again (a
    /// SYN reopening a closed connection).
    Repeat,
    /// -NF_ACCEPT: the packet is INVALID, the entry unchanged.
    Invalid(Reason),
    /// -NF_DROP: INVALID and dropped.
    Drop(Reason),
}

/// What a tracker's error check can read.
pub struct ErrorCtx<'a> {
    pub family: Family,
    /// The whole IP packet (trimmed to its IP length).
    pub pkt: &'a [u8],
    /// Offset of the layer-4 header.
    pub dataoff: usize,
    pub sysctl: &'a Sysctls,
    pub table: &'a Table,
    pub now: Timestamp,
    /// `Options::dccp_tracker`: a quoted DCCP packet has ports in its tuple.
    pub dccp_tracker: bool,
    /// The GRE keymap: a quoted GRE v1 packet's source key comes from it.
    pub gre_keymap: &'a crate::gre_keymap::GreKeymap,
    /// The packet's conntrack zone (from its CT template).
    pub zone: crate::zone::Zone,
}

/// What a tracker's packet step can read and change.
pub struct PacketCtx<'a> {
    pub conn: &'a mut Conn,
    pub ctinfo: CtInfo,
    pub family: Family,
    pub pkt: &'a [u8],
    pub dataoff: usize,
    pub now: Timestamp,
    pub sysctl: &'a Sysctls,
    pub jiffies: Jiffies,
    /// Where to explain the step (see `ctrack explain`).
    pub trace: &'a mut crate::trace::Trace,
    /// Set by the tracker when it changed the protocol state
    /// (`nf_conntrack_event_cache(IPCT_PROTOINFO, ct)`).
    pub protoinfo: bool,
}

impl PacketCtx<'_> {
    /// `nf_ct_refresh_acct()`: the entry now dies `timeout` seconds from now
    /// (unless it has a fixed timeout); count the packet.
    pub fn refresh(&mut self, timeout: u32) {
        if !self.conn.status.contains(Status::FIXED_TIMEOUT) {
            self.conn.expires = self.now + secs(timeout);
        }
        self.account();
    }

    /// `nf_ct_acct_update()`.
    pub fn account(&mut self) {
        self.conn
            .account(self.ctinfo.direction(), self.pkt.len() as u64);
    }

    pub fn confirmed(&self) -> bool {
        self.conn.is_confirmed()
    }

    pub fn seen_reply(&self) -> bool {
        self.conn.status.contains(Status::SEEN_REPLY)
    }
}

/// What the two protocol words of a tuple hold, for printing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TupleKind {
    Ports,
    Icmp,
    GreKeys,
    AddressesOnly,
}

/// One protocol tracker.
pub trait L4Proto: Sync {
    /// The /proc name (`l4proto_name()`): "udp", "icmp"..., "unknown".
    fn name(&self) -> &'static str;

    /// How `print_tuple()` shows this protocol's words.
    fn tuple_kind(&self) -> TupleKind {
        TupleKind::AddressesOnly
    }

    /// `nf_ct_get_tuple()`'s protocol part: fill `src_u` / `dst_u` from the
    /// layer-4 header at `dataoff`. False when the header is too short.
    fn pkt_to_tuple(&self, _pkt: &[u8], _dataoff: usize, _tuple: &mut Tuple) -> bool {
        true
    }

    /// `nf_ct_invert_tuple()`'s protocol part. False when the packet has no
    /// reply (ICMP types without an answer type).
    fn invert(&self, orig: &Tuple, inverse: &mut Tuple) -> bool {
        inverse.src_u = orig.dst_u;
        inverse.dst_u = orig.src_u;
        true
    }

    /// `nf_conntrack_handle_icmp()`: only ICMP and ICMPv6 look at the packet
    /// before the lookup.
    fn error(&self, _ctx: &ErrorCtx<'_>) -> ErrorOutcome {
        ErrorOutcome::Continue
    }

    /// The per-packet state update (`nf_conntrack_*_packet()`). Called for
    /// new (unconfirmed) entries too; `ctx.confirmed()` tells them apart.
    fn packet(&self, ctx: &mut PacketCtx<'_>) -> PacketOutcome;

    /// `->print_conntrack()`: the protocol's part of a /proc line after the
    /// timeout (TCP state, GRE timeouts), with its trailing space.
    fn print_conntrack(&self, _conn: &Conn, _out: &mut dyn fmt::Write) -> fmt::Result {
        Ok(())
    }

    /// The protocol state name for reports (TCP/SCTP state), if any.
    fn state_name(&self, _conn: &Conn) -> Option<&'static str> {
        None
    }

    /// The tracker's private state, for explanations.
    fn describe(&self, _conn: &Conn) -> Vec<String> {
        Vec::new()
    }
}

static GENERIC: generic::Generic = generic::Generic;
static UDP: udp::Udp = udp::Udp { lite: false };
static UDPLITE: udp::Udp = udp::Udp { lite: true };
static ICMP: icmp::Icmp = icmp::Icmp;
static ICMPV6: icmpv6::Icmpv6 = icmpv6::Icmpv6;
static GRE: gre::Gre = gre::Gre;
static TCP: tcp::Tcp = tcp::Tcp;
static SCTP: sctp::Sctp = sctp::Sctp;
static DCCP: dccp::Dccp = dccp::Dccp;

/// `nf_ct_l4proto_find()`: the tracker for a protocol in a family. ICMP is
/// only tracked over IPv4 and ICMPv6 only over IPv6; DCCP has no tracker in
/// the kernels ctrack is checked against (6.16 removed it), so it is
/// generic.
pub fn find(family: Family, proto: u8) -> &'static dyn L4Proto {
    find_with(family, proto, false)
}

/// [`find`], but with `dccp_tracker` (`Options::dccp_tracker`) DCCP gets
/// the tracker Linux had until 6.15 ([`dccp`]).
pub fn find_with(family: Family, proto: u8, dccp_tracker: bool) -> &'static dyn L4Proto {
    match (proto, family) {
        (ip_proto::DCCP, _) if dccp_tracker => &DCCP,
        (ip_proto::TCP, _) => &TCP,
        (ip_proto::UDP, _) => &UDP,
        (ip_proto::UDPLITE, _) => &UDPLITE,
        (ip_proto::ICMP, _) => &ICMP,
        (ip_proto::ICMPV6, _) => &ICMPV6,
        (ip_proto::GRE, _) => &GRE,
        (ip_proto::SCTP, _) => &SCTP,
        _ => &GENERIC,
    }
}

/// The tracker that made `conn`: [`find`], except that entries the DCCP
/// tracker made keep it (for /proc lines and explanations).
pub fn for_conn(conn: &Conn) -> &'static dyn L4Proto {
    let t = &conn.orig();
    find_with(t.family, t.proto, matches!(conn.proto, ProtoState::Dccp(_)))
}

/// `l4proto->can_early_drop()`: an ASSURED entry the table may still drop
/// when full (TCP and SCTP closing states, DCCP's).
pub fn can_early_drop(conn: &Conn) -> bool {
    match conn.proto {
        ProtoState::Tcp(_) => tcp::can_early_drop(conn),
        ProtoState::Sctp(_) => sctp::can_early_drop(conn),
        ProtoState::Dccp(_) => dccp::can_early_drop(conn),
        _ => false,
    }
}

/// `nf_ct_get_tuple_ports()`: the first 4 bytes of the header are the ports.
pub(crate) fn ports_to_tuple(pkt: &[u8], dataoff: usize, tuple: &mut Tuple) -> bool {
    match header_at(pkt, dataoff, 4) {
        Some(h) => {
            tuple.src_u = u16::from_be_bytes([h[0], h[1]]);
            tuple.dst_u = u16::from_be_bytes([h[2], h[3]]);
            true
        }
        None => false,
    }
}
