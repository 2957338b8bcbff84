//! DCCP: `nf_conntrack_proto_dccp.c` as Linux 6.15 had it, the last kernel
//! with DCCP. Linux 6.16 removed DCCP and its tracker, so the kernels
//! ctrack is checked against track protocol 33 with the generic tracker,
//! and so does ctrack unless [`crate::tracker::Options::dccp_tracker`] is
//! set. This port is read from the source; it is NOT kernel-verified.
//!
//! The tracker keeps a role per direction (the client sent the Request)
//! and looks the new state up in `dccp_state_table[role][type][state]`.
//! Only a Request opens an entry. The Response's sequence number is kept
//! (`handshake_seq`); the client's Ack that acknowledges it makes the entry
//! ASSURED. IGNORE cells accept the packet without refreshing the entry,
//! and a Response answering an ignored Request from the other side resyncs
//! the roles. A Request in TIMEWAIT reopens the entry in place (no
//! -NF_REPEAT: the kernel reuses the entry, swapping the roles if the
//! server sent the Request). A Reset while no reply has been seen deletes
//! the entry at once.
//!
//! `dccp_error()` checks the data offset, the checksum coverage (CsCov),
//! the checksum with `nf_conntrack_checksum=1`, reserved packet types and
//! the 48-bit sequence numbers RFC 4340 requires of every type but Data,
//! Ack and DataAck.
//!
//! Things the source does that a reader of RFC 4340 may not expect, kept
//! here on purpose:
//! - a server's Reset in TIMEWAIT moves to TIMEWAIT and refreshes the
//!   timer (the row has one `sTW` more than its comment says; the
//!   client's Reset in TIMEWAIT is ignored as the comment says);
//! - a client's Close in CLOSING is INVALID (the comment says
//!   "retransmit", the cell says `sIV`);
//! - only an Ack, not a DataAck, can make the entry ASSURED;
//! - the acknowledgement number is read in the 48-bit layout even from a
//!   header with short sequence numbers;
//! - `nf_conntrack_dccp_loose` is consulted only for packet types whose
//!   NONE cell is neither REQUEST nor INVALID, and there is none: every
//!   packet but a Request is refused as an invalid state transition,
//!   whatever the knob says;
//! - with CsCov set, the checksum covers `(CsCov - 1) * 4` bytes from the
//!   start of the DCCP header, not (as RFC 4340 section 9.2 and Linux's
//!   own DCCP sockets count) from the end of the header: CsCov = 1 covers
//!   nothing but the pseudo-header, so such packets fail the check;
//! - the IPv4 checksum is computed by `nf_ip_checksum_partial()`, which
//!   passes protocol and length to `csum_tcpudp_nofold()` the wrong way
//!   round: the pseudo-header's length is the DCCP length modulo 256 (the
//!   same quirk the UDP-Lite checks have, seen on 6.18).

use super::{L4Proto, PacketCtx, PacketOutcome, TupleKind, ports_to_tuple};
use crate::conn::{Conn, ProtoState};
use crate::ctinfo::Direction;
use crate::reason::Reason;
use crate::status::Status;
use crate::sysctl::Sysctls;
use crate::tuple::{Family, Tuple};
use crate::wire::dccp::{self, types};
use crate::wire::{checksum, header_at, ip_proto};
use core::fmt;

/// `enum ct_dccp_states`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum DccpState {
    #[default]
    None = 0,
    Request = 1,
    Respond = 2,
    PartOpen = 3,
    Open = 4,
    CloseReq = 5,
    Closing = 6,
    TimeWait = 7,
    Ignore = 8,
    Invalid = 9,
}

impl DccpState {
    /// `dccp_state_names[]`, as /proc prints them.
    pub fn name(self) -> &'static str {
        match self {
            DccpState::None => "NONE",
            DccpState::Request => "REQUEST",
            DccpState::Respond => "RESPOND",
            DccpState::PartOpen => "PARTOPEN",
            DccpState::Open => "OPEN",
            DccpState::CloseReq => "CLOSEREQ",
            DccpState::Closing => "CLOSING",
            DccpState::TimeWait => "TIMEWAIT",
            DccpState::Ignore => "IGNORE",
            DccpState::Invalid => "INVALID",
        }
    }

    /// `dn->dccp_timeout[state]`: NONE has REQUEST's; IGNORE and INVALID
    /// are never stored, their slots are 0.
    pub fn timeout(self, s: &Sysctls) -> u32 {
        match self {
            DccpState::None | DccpState::Request => s.dccp_timeout_request,
            DccpState::Respond => s.dccp_timeout_respond,
            DccpState::PartOpen => s.dccp_timeout_partopen,
            DccpState::Open => s.dccp_timeout_open,
            DccpState::CloseReq => s.dccp_timeout_closereq,
            DccpState::Closing => s.dccp_timeout_closing,
            DccpState::TimeWait => s.dccp_timeout_timewait,
            DccpState::Ignore | DccpState::Invalid => 0,
        }
    }
}

impl fmt::Display for DccpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `enum ct_dccp_roles`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Role {
    #[default]
    Client = 0,
    Server = 1,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Server => "server",
        }
    }
}

/// `struct nf_ct_dccp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DccpConn {
    /// `role[dir]`: who sends in each direction.
    pub role: [Role; 2],
    pub state: DccpState,
    /// The type and direction of the last packet that was not INVALID.
    pub last_pkt: u8,
    pub last_dir: Direction,
    /// The sequence number of the server's Response.
    pub handshake_seq: u64,
}

impl Default for DccpConn {
    fn default() -> Self {
        DccpConn {
            role: [Role::Client, Role::Server],
            state: DccpState::None,
            last_pkt: types::REQUEST,
            last_dir: Direction::Original,
            handshake_seq: 0,
        }
    }
}

use DccpState as S;
const NO: S = S::None;
const RQ: S = S::Request;
const RS: S = S::Respond;
const PO: S = S::PartOpen;
const OP: S = S::Open;
const CR: S = S::CloseReq;
const CG: S = S::Closing;
const TW: S = S::TimeWait;
const IG: S = S::Ignore;
const IV: S = S::Invalid;

/// `dccp_state_table[role][type][state]`, all `CT_DCCP_MAX + 1` columns:
/// the kernel's rows give 8 (one 9) initialisers, the rest are 0 (NONE).
/// Rows by packet type value: Request, Response, Data, Ack, DataAck,
/// CloseReq, Close, Reset, Sync, SyncAck; columns NONE, REQUEST, RESPOND,
/// PARTOPEN, OPEN, CLOSEREQ, CLOSING, TIMEWAIT, IGNORE, INVALID.
#[rustfmt::skip]
const TABLE: [[[DccpState; 10]; 10]; 2] = [
    [
        /* request  */ [RQ, RQ, RS, IG, IG, IG, IG, RQ, NO, NO],
        /* response */ [IV, IG, IG, IG, IG, IG, IG, IV, NO, NO],
        /* data     */ [IV, IV, IV, IV, OP, CR, CG, IV, NO, NO],
        /* ack      */ [IV, IV, PO, PO, OP, CR, CG, IV, NO, NO],
        /* dataack  */ [IV, IV, PO, PO, OP, CR, CG, IV, NO, NO],
        /* closereq */ [IV, IV, IV, IV, IV, IV, IV, IV, NO, NO],
        /* close    */ [IV, IV, IV, CG, CG, CG, IV, IV, NO, NO],
        /* reset    */ [IV, TW, TW, TW, TW, TW, TW, IG, NO, NO],
        /* sync     */ [IV, IG, IG, IG, IG, IG, IG, IG, NO, NO],
        /* syncack  */ [IV, IG, IG, IG, IG, IG, IG, IG, NO, NO],
    ],
    [
        /* request  */ [IV, IG, IG, IG, IG, IG, IG, RQ, NO, NO],
        /* response */ [IV, RS, RS, IG, IG, IG, IG, IV, NO, NO],
        /* data     */ [IV, IV, IV, OP, OP, IV, CG, IV, NO, NO],
        /* ack      */ [IV, IV, IV, OP, OP, IV, CG, IV, NO, NO],
        /* dataack  */ [IV, IV, IV, OP, OP, IV, CG, IV, NO, NO],
        /* closereq */ [IV, IV, IV, CR, CR, CR, CR, IV, NO, NO],
        /* close    */ [IV, IV, IV, CG, CG, IV, CG, IV, NO, NO],
        /* reset    */ [IV, TW, TW, TW, TW, TW, TW, TW, IG, NO],
        /* sync     */ [IV, IG, IG, IG, IG, IG, IG, IG, NO, NO],
        /* syncack  */ [IV, IG, IG, IG, IG, IG, IG, IG, NO, NO],
    ],
];

/// The cell for a packet type (< 10, `dccp_error()` refuses the others).
fn cell(role: Role, kind: u8, state: DccpState) -> DccpState {
    TABLE[role as usize][usize::from(kind)][state as usize]
}

/// Types that must carry 48-bit sequence numbers (`require_seq48`).
const REQUIRE_SEQ48: u16 = 1 << types::REQUEST
    | 1 << types::RESPONSE
    | 1 << types::CLOSEREQ
    | 1 << types::CLOSE
    | 1 << types::RESET
    | 1 << types::SYNC
    | 1 << types::SYNCACK;

/// `DCCP_PKT_INVALID`: types from here on are reserved.
const PKT_INVALID: u8 = 10;

/// A check the kernel logs with `nf_l4proto_log_invalid()`.
fn log(msg: &'static str) -> Reason {
    Reason::L4 {
        proto: ip_proto::DCCP,
        msg,
    }
}

/// A packet the kernel refuses without logging.
fn silent(what: &'static str) -> Reason {
    Reason::L4Silent {
        proto: ip_proto::DCCP,
        what,
    }
}

/// `nf_checksum_partial(skb, NF_INET_PRE_ROUTING, dataoff, cscov,
/// IPPROTO_DCCP, pf)` on a CHECKSUM_NONE skb: the pseudo-header (its
/// length the whole DCCP length; for IPv4 modulo 256, see the module
/// comment) plus the first `cscov` bytes of the DCCP header.
fn checksum_ok(family: Family, pkt: &[u8], dataoff: usize, cscov: usize) -> bool {
    let l4len = (pkt.len() - dataoff) as u32;
    let acc = match family {
        Family::Ipv4 => {
            let mut s = [0; 4];
            let mut d = [0; 4];
            s.copy_from_slice(&pkt[12..16]);
            d.copy_from_slice(&pkt[16..20]);
            // csum_tcpudp_nofold(saddr, daddr, protocol, len, 0): the u8
            // proto argument receives the length.
            checksum::pseudo_v4(s, d, ip_proto::DCCP, l4len & 0xff)
        }
        Family::Ipv6 => {
            let mut s = [0; 16];
            let mut d = [0; 16];
            s.copy_from_slice(&pkt[8..24]);
            d.copy_from_slice(&pkt[24..40]);
            checksum::pseudo_v6(s, d, ip_proto::DCCP, l4len)
        }
    };
    checksum::fold(checksum::sum(acc, &pkt[dataoff..dataoff + cscov])) == 0
}

/// `dccp_error()`, once the 12-byte generic header is known to be there.
fn dccp_error(family: Family, pkt: &[u8], dataoff: usize, s: &Sysctls) -> Option<Reason> {
    let dccp_len = pkt.len() - dataoff;
    let h = dccp::Packet::new_unchecked(&pkt[dataoff..dataoff + dccp::MIN_HEADER_LEN]);
    let doff = h.header_len();
    if doff < dccp::MIN_HEADER_LEN || doff > dccp_len {
        return Some(log("nf_ct_dccp: truncated/malformed packet "));
    }
    let mut cscov = dccp_len;
    if h.checksum_coverage() != 0 {
        cscov = (usize::from(h.checksum_coverage()) - 1) * 4;
        if cscov > dccp_len {
            return Some(log("nf_ct_dccp: bad checksum coverage "));
        }
    }
    if s.checksum != 0 && !checksum_ok(family, pkt, dataoff, cscov) {
        return Some(log("nf_ct_dccp: bad checksum "));
    }
    let kind = h.packet_type();
    if kind >= PKT_INVALID {
        return Some(log("nf_ct_dccp: reserved packet type "));
    }
    if REQUIRE_SEQ48 & (1 << kind) != 0 && !h.extended_seq() {
        return Some(log("nf_ct_dccp: type lacks 48bit sequence numbers"));
    }
    None
}

/// `dccp_new()`: only a packet whose NONE cell is REQUEST (or, with
/// `nf_conntrack_dccp_loose`, neither REQUEST nor INVALID) opens an entry.
fn dccp_new(s: &Sysctls, kind: u8) -> Result<DccpConn, Reason> {
    match cell(Role::Client, kind, DccpState::None) {
        DccpState::Request => {}
        DccpState::Invalid => return Err(log("invalid state transition ")),
        _ => {
            if s.dccp_loose == 0 {
                return Err(log("not picking up existing connection "));
            }
        }
    }
    Ok(DccpConn::default())
}

fn dccp_state(conn: &Conn) -> DccpConn {
    match conn.proto {
        ProtoState::Dccp(s) => s,
        _ => DccpConn::default(),
    }
}

/// `dccp_can_early_drop()`.
pub fn can_early_drop(conn: &Conn) -> bool {
    matches!(
        dccp_state(conn).state,
        DccpState::CloseReq | DccpState::Closing | DccpState::TimeWait
    )
}

pub struct Dccp;

impl L4Proto for Dccp {
    fn name(&self) -> &'static str {
        "dccp"
    }

    fn tuple_kind(&self) -> TupleKind {
        TupleKind::Ports
    }

    fn pkt_to_tuple(&self, pkt: &[u8], dataoff: usize, tuple: &mut Tuple) -> bool {
        ports_to_tuple(pkt, dataoff, tuple)
    }

    /// `nf_conntrack_dccp_packet()`.
    fn packet(&self, ctx: &mut PacketCtx<'_>) -> PacketOutcome {
        let pkt = ctx.pkt;
        let dataoff = ctx.dataoff;
        if header_at(pkt, dataoff, dccp::MIN_HEADER_LEN).is_none() {
            return PacketOutcome::Invalid(silent(
                "header shorter than the 12-byte generic header",
            ));
        }
        if let Some(r) = dccp_error(ctx.family, pkt, dataoff, ctx.sysctl) {
            return PacketOutcome::Invalid(r);
        }
        // Pull again, with the 48-bit sequence number and the subheader.
        let base = dccp::Packet::new_unchecked(&pkt[dataoff..dataoff + dccp::MIN_HEADER_LEN]);
        let kind = base.packet_type();
        let hdrlen = base.basic_header_len() + dccp::subheader_len(kind);
        let Some(h) = header_at(pkt, dataoff, hdrlen) else {
            return PacketOutcome::Invalid(silent(
                "packet shorter than its generic header and subheader",
            ));
        };
        let h = dccp::Packet::new_unchecked(h);

        if !ctx.confirmed() {
            match dccp_new(ctx.sysctl, kind) {
                Ok(s) => ctx.conn.proto = ProtoState::Dccp(s),
                Err(r) => return PacketOutcome::Invalid(r),
            }
        }

        if kind == types::RESET && !ctx.seen_reply() {
            // The only answer is a Reset: tear the entry down at once.
            ctx.trace
                .note(|| "Reset while no reply was seen: the entry is deleted".into());
            ctx.account();
            return PacketOutcome::Kill(None);
        }

        let mut s = dccp_state(ctx.conn);
        let dir = ctx.ctinfo.direction();
        let (di, oi) = (dir.index(), dir.opposite().index());
        let role = s.role[di];
        let old = s.state;
        let mut new = cell(role, kind, old);
        ctx.trace.note(|| {
            format!(
                "state table: {} from the {} (direction {dir}), state {old} -> {new}",
                dccp::type_name(kind),
                role.name()
            )
        });

        match new {
            DccpState::Request if old == DccpState::TimeWait && role == Role::Server => {
                // Reincarnation in the reverse direction: reopen and
                // reverse the roles.
                s.role[di] = Role::Client;
                s.role[oi] = Role::Server;
                ctx.trace
                    .note(|| format!("reopened by the server: direction {dir} is now the client"));
            }
            DccpState::Respond if old == DccpState::Request => {
                s.handshake_seq = h.seq_number();
                ctx.trace.note(|| {
                    format!(
                        "handshake_seq = {} (the Response's sequence number)",
                        s.handshake_seq
                    )
                });
            }
            DccpState::PartOpen if old == DccpState::Respond && kind == types::ACK => {
                let ack = h.ack_number();
                let ok = ack == Some(s.handshake_seq);
                ctx.trace.note(|| {
                    format!(
                        "ack {} {} handshake_seq {}{}",
                        ack.unwrap_or(0),
                        if ok { "==" } else { "!=" },
                        s.handshake_seq,
                        if ok { ": ASSURED" } else { "" }
                    )
                });
                if ok {
                    ctx.conn.status.insert(Status::ASSURED);
                }
            }
            DccpState::Ignore => {
                if s.last_dir == dir.opposite()
                    && s.last_pkt == types::REQUEST
                    && kind == types::RESPONSE
                {
                    // The Response answers a Request we ignored: the
                    // endpoints are in sync and we are not.
                    s.role[oi] = Role::Client;
                    s.role[di] = Role::Server;
                    s.handshake_seq = h.seq_number();
                    new = DccpState::Respond;
                    ctx.trace.note(|| {
                        format!(
                            "the Response answers the ignored Request: resync, direction {dir} is the server, handshake_seq = {}",
                            s.handshake_seq
                        )
                    });
                } else {
                    s.last_dir = dir;
                    s.last_pkt = kind;
                    ctx.conn.proto = ProtoState::Dccp(s);
                    ctx.trace
                        .note(|| "ignored: accepted, the timeout is not renewed".into());
                    return PacketOutcome::AcceptNoted(log("invalid packet"));
                }
            }
            DccpState::Invalid => {
                return PacketOutcome::Invalid(log("invalid state transition"));
            }
            _ => {}
        }

        s.last_dir = dir;
        s.last_pkt = kind;
        if s.state != new {
            ctx.protoinfo = true;
        }
        s.state = new;
        ctx.conn.proto = ProtoState::Dccp(s);
        let timeout = new.timeout(ctx.sysctl);
        ctx.trace
            .note(|| format!("state {new}, timeout {timeout} s"));
        ctx.refresh(timeout);
        PacketOutcome::Accept
    }

    fn print_conntrack(&self, conn: &Conn, out: &mut dyn fmt::Write) -> fmt::Result {
        write!(out, "{} ", dccp_state(conn).state.name())
    }

    fn state_name(&self, conn: &Conn) -> Option<&'static str> {
        Some(dccp_state(conn).state.name())
    }

    fn describe(&self, conn: &Conn) -> Vec<String> {
        let s = dccp_state(conn);
        vec![format!(
            "role original={} reply={} last_pkt={} last_dir={} handshake_seq={}",
            s.role[0].name(),
            s.role[1].name(),
            dccp::type_name(s.last_pkt),
            s.last_dir,
            s.handshake_seq
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctinfo::CtState;
    use crate::tracker::{Conntrack, Options, Verdict};
    use crate::wire::link::Network;
    use crate::{Sysctls, Timestamp};
    use std::time::Duration;

    const A: [u8; 4] = [192, 0, 2, 1];
    const B: [u8; 4] = [198, 51, 100, 2];
    const A6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    const B6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

    /// A DCCP header: ports, type, X bit, sequence number, acknowledgement
    /// number (for the types with an acknowledgement subheader) and
    /// payload, with the data offset covering the headers; checksum 0.
    #[derive(Clone)]
    struct Hdr {
        sport: u16,
        dport: u16,
        kind: u8,
        x: bool,
        seq: u64,
        ack: u64,
        cscov: u8,
        payload: Vec<u8>,
    }

    fn hdr(sport: u16, dport: u16, kind: u8, seq: u64, ack: u64) -> Hdr {
        Hdr {
            sport,
            dport,
            kind,
            x: true,
            seq,
            ack,
            cscov: 0,
            payload: Vec::new(),
        }
    }

    impl Hdr {
        fn bytes(&self) -> Vec<u8> {
            let mut b = vec![0u8; 12];
            b[0..2].copy_from_slice(&self.sport.to_be_bytes());
            b[2..4].copy_from_slice(&self.dport.to_be_bytes());
            b[5] = self.cscov & 0x0f;
            b[8] = (self.kind << 1) | u8::from(self.x);
            if self.x {
                b[10..12].copy_from_slice(&((self.seq >> 32) as u16).to_be_bytes());
                b.extend_from_slice(&(self.seq as u32).to_be_bytes());
            } else {
                b[9] = (self.seq >> 16) as u8;
                b[10..12].copy_from_slice(&(self.seq as u16).to_be_bytes());
            }
            let ack_bits = |b: &mut Vec<u8>| {
                b.extend_from_slice(&[0, 0]);
                b.extend_from_slice(&((self.ack >> 32) as u16).to_be_bytes());
                b.extend_from_slice(&(self.ack as u32).to_be_bytes());
            };
            match self.kind {
                types::REQUEST => b.extend_from_slice(&[0, 0, 0, 42]),
                types::DATA => {}
                types::RESPONSE => {
                    ack_bits(&mut b);
                    b.extend_from_slice(&[0, 0, 0, 42]);
                }
                types::RESET => {
                    ack_bits(&mut b);
                    b.extend_from_slice(&[1, 0, 0, 0]);
                }
                _ => ack_bits(&mut b),
            }
            b[4] = (b.len() / 4) as u8;
            b.extend_from_slice(&self.payload);
            b
        }
    }

    /// The checksum `dccp_error()` accepts, over `cscov` bytes.
    fn fill_checksum(family: Family, pkt: &mut [u8], dataoff: usize, cscov: usize) {
        pkt[dataoff + 6] = 0;
        pkt[dataoff + 7] = 0;
        let l4len = (pkt.len() - dataoff) as u32;
        let acc = match family {
            Family::Ipv4 => checksum::pseudo_v4(A, B, ip_proto::DCCP, l4len & 0xff),
            Family::Ipv6 => checksum::pseudo_v6(A6, B6, ip_proto::DCCP, l4len),
        };
        let end = (dataoff + cscov).min(pkt.len());
        let c = checksum::fold(checksum::sum(acc, &pkt[dataoff..end]));
        pkt[dataoff + 6..dataoff + 8].copy_from_slice(&c.to_be_bytes());
    }

    /// An IPv4 packet between A and B (`reply`: from B) carrying `l4`,
    /// with a valid IP header checksum; the DCCP checksum is left alone.
    fn ipv4_raw(reply: bool, l4: &[u8]) -> Vec<u8> {
        let mut p = vec![0u8; 20];
        p[0] = 0x45;
        p[2..4].copy_from_slice(&((20 + l4.len()) as u16).to_be_bytes());
        p[8] = 64;
        p[9] = ip_proto::DCCP;
        let (s, d) = if reply { (B, A) } else { (A, B) };
        p[12..16].copy_from_slice(&s);
        p[16..20].copy_from_slice(&d);
        let c = checksum::checksum(&p);
        p[10..12].copy_from_slice(&c.to_be_bytes());
        p.extend_from_slice(l4);
        p
    }

    fn fill_v4_checksum(p: &mut [u8], cscov: Option<usize>) {
        // Both directions sum the same pseudo-header words.
        let n = cscov.unwrap_or(p.len() - 20);
        fill_checksum(Family::Ipv4, p, 20, n);
    }

    fn ipv4(reply: bool, h: &Hdr) -> Vec<u8> {
        let mut p = ipv4_raw(reply, &h.bytes());
        let cov = (h.cscov != 0).then(|| (usize::from(h.cscov) - 1) * 4);
        fill_v4_checksum(&mut p, cov);
        p
    }

    fn ipv6(reply: bool, h: &Hdr) -> Vec<u8> {
        let l4 = h.bytes();
        let mut p = vec![0u8; 40];
        p[0] = 0x60;
        p[4..6].copy_from_slice(&(l4.len() as u16).to_be_bytes());
        p[6] = ip_proto::DCCP;
        p[7] = 64;
        let (s, d) = if reply { (B6, A6) } else { (A6, B6) };
        p[8..24].copy_from_slice(&s);
        p[24..40].copy_from_slice(&d);
        p.extend_from_slice(&l4);
        let n = p.len() - 40;
        fill_checksum(Family::Ipv6, &mut p, 40, n);
        p
    }

    struct T {
        ct: Conntrack,
        now: Timestamp,
    }

    impl T {
        fn new(dccp_tracker: bool) -> T {
            T::with(Sysctls::default(), dccp_tracker)
        }

        fn with(sysctl: Sysctls, dccp_tracker: bool) -> T {
            T {
                ct: Conntrack::new(
                    sysctl,
                    Options {
                        dccp_tracker,
                        ..Options::default()
                    },
                ),
                now: Timestamp::from_secs(1000),
            }
        }

        fn send(&mut self, pkt: &[u8]) -> Verdict {
            self.now = self.now + Duration::from_millis(10);
            let net = if pkt[0] >> 4 == 6 {
                Network::Ipv6
            } else {
                Network::Ipv4
            };
            self.ct.process(self.now, net, pkt, pkt.len())
        }

        fn v4(&mut self, reply: bool, h: &Hdr) -> Verdict {
            self.send(&ipv4(reply, h))
        }

        fn table(&self) -> String {
            self.ct.proc_table(self.now)
        }

        fn only_entry(&self) -> &Conn {
            let e = self.ct.entries(self.now);
            assert_eq!(e.len(), 1, "{}", self.table());
            e[0]
        }

        fn state(&self) -> DccpState {
            dccp_state(self.only_entry()).state
        }

        fn timeout(&self) -> u64 {
            self.only_entry().remaining_secs(self.now)
        }
    }

    fn assert_verdict(v: &Verdict, st: CtState, dir: Direction, proto_state: &str) {
        assert_eq!(v.ctstate, Some(st), "{v:?}");
        assert_eq!(v.dir, Some(dir), "{v:?}");
        assert_eq!(v.proto_state, Some(proto_state), "{v:?}");
    }

    fn assert_invalid(v: &Verdict, log: Option<&str>) {
        assert_eq!(v.ctstate, Some(CtState::Invalid), "{v:?}");
        let r = v.reason.as_ref().expect("an INVALID packet has a reason");
        assert_eq!(r.kernel_log().as_deref(), log, "{r}");
    }

    /// Request, Response, the Ack of the Response: OPEN... after the
    /// server's first packet. Returns the tracker in PARTOPEN, ASSURED.
    fn handshake() -> T {
        let mut t = T::new(true);
        let v = t.v4(false, &hdr(5000, 80, types::REQUEST, 100, 0));
        assert_verdict(&v, CtState::New, Direction::Original, "REQUEST");
        assert_eq!(t.timeout(), 240);
        let v = t.v4(true, &hdr(80, 5000, types::RESPONSE, 7000, 100));
        assert_verdict(&v, CtState::Established, Direction::Reply, "RESPOND");
        assert_eq!(dccp_state(t.only_entry()).handshake_seq, 7000);
        assert_eq!(t.timeout(), 480);
        let v = t.v4(false, &hdr(5000, 80, types::ACK, 101, 7000));
        assert_verdict(&v, CtState::Established, Direction::Original, "PARTOPEN");
        assert!(v.status.contains(Status::ASSURED));
        t
    }

    #[test]
    fn full_exchange_request_to_timewait() {
        let mut t = handshake();
        assert_eq!(
            t.table(),
            "ipv4     2 dccp     33 480 PARTOPEN src=192.0.2.1 dst=198.51.100.2 sport=5000 dport=80 src=198.51.100.2 dst=192.0.2.1 sport=80 dport=5000 [ASSURED] mark=0 zone=0 use=2\n"
        );
        // The server's first DataAck opens the connection.
        let v = t.v4(true, &hdr(80, 5000, types::DATAACK, 7001, 101));
        assert_verdict(&v, CtState::Established, Direction::Reply, "OPEN");
        assert_eq!(t.timeout(), 43200);
        let v = t.v4(false, &hdr(5000, 80, types::DATA, 102, 0));
        assert_verdict(&v, CtState::Established, Direction::Original, "OPEN");
        let v = t.v4(false, &hdr(5000, 80, types::ACK, 103, 7001));
        assert_verdict(&v, CtState::Established, Direction::Original, "OPEN");
        // The server asks the client to close; the client closes.
        let v = t.v4(true, &hdr(80, 5000, types::CLOSEREQ, 7002, 103));
        assert_verdict(&v, CtState::Established, Direction::Reply, "CLOSEREQ");
        assert_eq!(t.timeout(), 64);
        assert!(can_early_drop(t.only_entry()));
        let v = t.v4(false, &hdr(5000, 80, types::CLOSE, 104, 7002));
        assert_verdict(&v, CtState::Established, Direction::Original, "CLOSING");
        assert_eq!(t.timeout(), 64);
        // The server resets: TIMEWAIT for 2 MSL.
        let v = t.v4(true, &hdr(80, 5000, types::RESET, 7003, 104));
        assert_verdict(&v, CtState::Established, Direction::Reply, "TIMEWAIT");
        assert_eq!(t.timeout(), 240);
        assert!(t.table().contains(" 240 TIMEWAIT src="), "{}", t.table());
        // A late Close from the client is INVALID and changes nothing.
        let v = t.v4(false, &hdr(5000, 80, types::CLOSE, 105, 7003));
        assert_invalid(&v, Some("nf_ct_proto_33: invalid state transition"));
        assert_eq!(t.state(), DccpState::TimeWait);
        // The client's Reset in TIMEWAIT is ignored (no refresh)...
        t.now = t.now + Duration::from_secs(100);
        let v = t.v4(false, &hdr(5000, 80, types::RESET, 106, 7003));
        assert_eq!(v.ctstate, Some(CtState::Established));
        assert_eq!(
            v.reason.as_ref().and_then(|r| r.kernel_log()).as_deref(),
            Some("nf_ct_proto_33: invalid packet")
        );
        assert_eq!(t.timeout(), 139);
        // ... the server's refreshes TIMEWAIT (its row has one sTW more).
        let v = t.v4(true, &hdr(80, 5000, types::RESET, 7004, 106));
        assert_verdict(&v, CtState::Established, Direction::Reply, "TIMEWAIT");
        assert!(v.reason.is_none());
        assert_eq!(t.timeout(), 240);
    }

    #[test]
    fn client_close_then_server_reset() {
        let mut t = handshake();
        let v = t.v4(false, &hdr(5000, 80, types::CLOSE, 102, 7000));
        assert_verdict(&v, CtState::Established, Direction::Original, "CLOSING");
        // The client's retransmitted Close: the cell is sIV.
        let v = t.v4(false, &hdr(5000, 80, types::CLOSE, 103, 7000));
        assert_invalid(&v, Some("nf_ct_proto_33: invalid state transition"));
        // The server's Close in CLOSING is fine.
        let v = t.v4(true, &hdr(80, 5000, types::CLOSE, 7001, 102));
        assert_verdict(&v, CtState::Established, Direction::Reply, "CLOSING");
        let v = t.v4(true, &hdr(80, 5000, types::RESET, 7002, 102));
        assert_verdict(&v, CtState::Established, Direction::Reply, "TIMEWAIT");
    }

    #[test]
    fn ack_of_another_sequence_number_is_not_assured() {
        let mut t = T::new(true);
        t.v4(false, &hdr(5000, 80, types::REQUEST, 100, 0));
        t.v4(true, &hdr(80, 5000, types::RESPONSE, 7000, 100));
        let v = t.v4(false, &hdr(5000, 80, types::ACK, 101, 6999));
        assert_verdict(&v, CtState::Established, Direction::Original, "PARTOPEN");
        assert!(!v.status.contains(Status::ASSURED));
        // A DataAck of the right number does not make it ASSURED either.
        let v = t.v4(false, &hdr(5000, 80, types::DATAACK, 102, 7000));
        assert_verdict(&v, CtState::Established, Direction::Original, "PARTOPEN");
        assert!(!v.status.contains(Status::ASSURED));
        // Data from the client in PARTOPEN must be a DataAck.
        let v = t.v4(false, &hdr(5000, 80, types::DATA, 103, 0));
        assert_invalid(&v, Some("nf_ct_proto_33: invalid state transition"));
        // A short-sequence Ack is read with the 48-bit ack layout.
        let mut h = hdr(5000, 80, types::ACK, 104, 7000);
        h.x = false;
        let v = t.v4(false, &h);
        assert_verdict(&v, CtState::Established, Direction::Original, "PARTOPEN");
    }

    #[test]
    fn only_a_request_opens_an_entry() {
        for loose in [1, 0] {
            let s = Sysctls {
                dccp_loose: loose,
                ..Default::default()
            };
            let mut t = T::with(s, true);
            for kind in [
                types::RESPONSE,
                types::DATA,
                types::ACK,
                types::DATAACK,
                types::CLOSEREQ,
                types::CLOSE,
                types::RESET,
                types::SYNC,
                types::SYNCACK,
            ] {
                let v = t.v4(false, &hdr(5000, 80, kind, 1, 1));
                assert_invalid(&v, Some("nf_ct_proto_33: invalid state transition "));
                assert!(v.entry.is_none());
            }
            assert_eq!(t.table(), "");
        }
    }

    #[test]
    fn server_only_and_client_only_packets() {
        let mut t = handshake();
        t.v4(true, &hdr(80, 5000, types::DATAACK, 7001, 101));
        // CloseReq may only come from the server.
        let v = t.v4(false, &hdr(5000, 80, types::CLOSEREQ, 102, 7001));
        assert_invalid(&v, Some("nf_ct_proto_33: invalid state transition"));
        // A Response or a Request in OPEN is ignored (not refreshed).
        for (reply, kind) in [(true, types::RESPONSE), (false, types::REQUEST)] {
            let before = t.only_entry().expires;
            t.now = t.now + Duration::from_secs(5);
            let (s, d) = if reply { (80, 5000) } else { (5000, 80) };
            let v = t.v4(reply, &hdr(s, d, kind, 9, 9));
            assert_eq!(v.ctstate, Some(CtState::Established));
            assert_eq!(v.proto_state, Some("OPEN"));
            assert_eq!(
                v.reason.and_then(|r| r.kernel_log()).as_deref(),
                Some("nf_ct_proto_33: invalid packet")
            );
            assert_eq!(t.only_entry().expires, before);
        }
    }

    #[test]
    fn sync_and_syncack_are_ignored() {
        let mut t = handshake();
        t.v4(true, &hdr(80, 5000, types::DATAACK, 7001, 101));
        t.now = t.now + Duration::from_secs(60);
        for (reply, kind) in [(false, types::SYNC), (true, types::SYNCACK)] {
            let v = t.v4(reply, &hdr(1, 1, kind, 1, 1));
            // (other ports: a new tuple, and Sync cannot open an entry)
            assert_invalid(&v, Some("nf_ct_proto_33: invalid state transition "));
            let (s, d) = if reply { (80, 5000) } else { (5000, 80) };
            let v = t.v4(reply, &hdr(s, d, kind, 200, 7001));
            assert_eq!(v.ctstate, Some(CtState::Established));
            assert_eq!(
                v.reason.and_then(|r| r.kernel_log()).as_deref(),
                Some("nf_ct_proto_33: invalid packet")
            );
            assert_eq!(t.state(), DccpState::Open);
        }
        assert_eq!(t.timeout(), 43200 - 61);
        assert_eq!(dccp_state(t.only_entry()).last_pkt, types::SYNCACK);
    }

    #[test]
    fn response_to_an_ignored_request_resyncs_the_roles() {
        let mut t = handshake();
        t.v4(true, &hdr(80, 5000, types::DATAACK, 7001, 101));
        // The server side restarted as a client: its Request is ignored...
        let v = t.v4(true, &hdr(80, 5000, types::REQUEST, 50, 0));
        assert_eq!(v.proto_state, Some("OPEN"));
        // ... and the Response from the original client resyncs.
        let v = t.v4(false, &hdr(5000, 80, types::RESPONSE, 9000, 50));
        assert_verdict(&v, CtState::Established, Direction::Original, "RESPOND");
        let s = dccp_state(t.only_entry());
        assert_eq!(s.role, [Role::Server, Role::Client]);
        assert_eq!(s.handshake_seq, 9000);
        assert_eq!(t.timeout(), 480);
        // The new client (reply direction) acknowledges it.
        let v = t.v4(true, &hdr(80, 5000, types::ACK, 51, 9000));
        assert_verdict(&v, CtState::Established, Direction::Reply, "PARTOPEN");
    }

    #[test]
    fn timewait_reopens_in_place_and_the_server_can_reverse_roles() {
        let mut t = handshake();
        t.v4(true, &hdr(80, 5000, types::RESET, 7001, 101));
        assert_eq!(t.state(), DccpState::TimeWait);
        let entry = t.only_entry().seq;
        // The client reopens: same entry, same roles.
        let v = t.v4(false, &hdr(5000, 80, types::REQUEST, 300, 0));
        assert_verdict(&v, CtState::Established, Direction::Original, "REQUEST");
        assert_eq!(v.entry, Some(entry));
        assert_eq!(
            dccp_state(t.only_entry()).role,
            [Role::Client, Role::Server]
        );
        let v = t.v4(true, &hdr(80, 5000, types::RESPONSE, 8000, 300));
        assert_verdict(&v, CtState::Established, Direction::Reply, "RESPOND");
        t.v4(false, &hdr(5000, 80, types::RESET, 301, 8000));
        assert_eq!(t.state(), DccpState::TimeWait);
        // Now the server sends a Request: the roles swap.
        let v = t.v4(true, &hdr(80, 5000, types::REQUEST, 400, 0));
        assert_verdict(&v, CtState::Established, Direction::Reply, "REQUEST");
        assert_eq!(v.entry, Some(entry));
        assert_eq!(
            dccp_state(t.only_entry()).role,
            [Role::Server, Role::Client]
        );
        let v = t.v4(false, &hdr(5000, 80, types::RESPONSE, 9000, 400));
        assert_verdict(&v, CtState::Established, Direction::Original, "RESPOND");
        let v = t.v4(true, &hdr(80, 5000, types::ACK, 401, 9000));
        assert_verdict(&v, CtState::Established, Direction::Reply, "PARTOPEN");
    }

    #[test]
    fn reset_as_the_only_answer_deletes_the_entry() {
        let mut t = T::new(true);
        t.v4(false, &hdr(5000, 80, types::REQUEST, 100, 0));
        let v = t.v4(true, &hdr(80, 5000, types::RESET, 1, 100));
        assert_eq!(v.ctstate, Some(CtState::Established));
        assert_eq!(v.dir, Some(Direction::Reply));
        assert_eq!(t.table(), "");
        // A new Request starts again from NONE.
        let v = t.v4(false, &hdr(5000, 80, types::REQUEST, 100, 0));
        assert_eq!(v.ctstate, Some(CtState::New));
    }

    #[test]
    fn header_length_checks() {
        let mut t = T::new(true);
        // Fewer than 12 bytes: refused silently (the kernel logs nothing).
        let mut p = ipv4_raw(false, &hdr(5000, 80, types::REQUEST, 1, 0).bytes()[..8]);
        let v = t.send(&p);
        assert_invalid(&v, None);
        assert!(matches!(v.reason, Some(Reason::L4Silent { .. })));
        // Data offset below 3 words or beyond the packet.
        for doff in [0u8, 2, 7] {
            let l4 = hdr(5000, 80, types::REQUEST, 1, 0).bytes();
            p = ipv4_raw(false, &l4);
            p[20 + 4] = doff;
            fill_v4_checksum(&mut p, None);
            let v = t.send(&p);
            assert_invalid(
                &v,
                Some("nf_ct_proto_33: nf_ct_dccp: truncated/malformed packet "),
            );
        }
        // Reserved packet types.
        for kind in 10..16 {
            let mut h = hdr(5000, 80, types::DATA, 1, 0);
            h.kind = kind;
            let v = t.v4(false, &h);
            assert_invalid(
                &v,
                Some("nf_ct_proto_33: nf_ct_dccp: reserved packet type "),
            );
        }
        // Types that need 48-bit sequence numbers.
        for kind in [
            types::REQUEST,
            types::RESPONSE,
            types::CLOSEREQ,
            types::CLOSE,
            types::RESET,
            types::SYNC,
            types::SYNCACK,
        ] {
            let mut h = hdr(5000, 80, kind, 1, 0);
            h.x = false;
            let v = t.v4(false, &h);
            assert_invalid(
                &v,
                Some("nf_ct_proto_33: nf_ct_dccp: type lacks 48bit sequence numbers"),
            );
        }
        // The generic header passes, the subheader is not there: silent.
        let l4 = hdr(5000, 80, types::REQUEST, 1, 0).bytes();
        p = ipv4_raw(false, &l4[..16]);
        p[20 + 4] = 4;
        fill_v4_checksum(&mut p, None);
        let v = t.send(&p);
        assert_invalid(&v, None);
        assert_eq!(t.table(), "");
        // The subheader may come from bytes past the data offset.
        p = ipv4_raw(false, &l4);
        p[20 + 4] = 3;
        fill_v4_checksum(&mut p, None);
        let v = t.send(&p);
        assert_eq!(v.ctstate, Some(CtState::New));
    }

    #[test]
    fn checksum_coverage() {
        let mut t = T::new(true);
        // CsCov beyond the packet.
        let mut h = hdr(5000, 80, types::REQUEST, 1, 0);
        h.cscov = 15; // 56 bytes of a 20-byte packet
        let v = t.v4(false, &h);
        assert_invalid(
            &v,
            Some("nf_ct_proto_33: nf_ct_dccp: bad checksum coverage "),
        );
        // A wrong checksum over the whole packet.
        let mut p = ipv4(false, &hdr(5000, 80, types::REQUEST, 1, 0));
        p[20 + 7] ^= 1;
        let v = t.send(&p);
        assert_invalid(&v, Some("nf_ct_proto_33: nf_ct_dccp: bad checksum "));
        // Partial coverage: bytes after (CsCov - 1) * 4 are not checked.
        let mut h = hdr(5000, 80, types::REQUEST, 1, 0);
        h.cscov = 6; // the 20 bytes of headers
        h.payload = vec![0xaa; 9];
        let mut p = ipv4(false, &h);
        let last = p.len() - 1;
        p[last] ^= 0xff;
        let v = t.send(&p);
        assert_verdict(&v, CtState::New, Direction::Original, "REQUEST");
        // CsCov = 1 covers no byte at all as the kernel counts it (RFC
        // 4340 counts from the end of the header): only the pseudo-header
        // is summed, and that is not 0, whatever the checksum field says.
        let mut h = hdr(5001, 80, types::REQUEST, 1, 0);
        h.cscov = 1;
        let mut p = ipv4(false, &h);
        for c in [0u16, 0xffff, 0x1234] {
            p[26..28].copy_from_slice(&c.to_be_bytes());
            assert_invalid(
                &t.send(&p),
                Some("nf_ct_proto_33: nf_ct_dccp: bad checksum "),
            );
        }
        // RFC 4340's partial checksum (header plus (CsCov - 1) * 4 bytes)
        // fails too when the kernel's range ends before the header does.
        let mut h = hdr(5002, 80, types::REQUEST, 1, 0);
        h.cscov = 2;
        h.payload = vec![1, 2, 3, 4];
        let mut p = ipv4_raw(false, &h.bytes());
        fill_checksum(Family::Ipv4, &mut p, 20, 24);
        assert_invalid(
            &t.send(&p),
            Some("nf_ct_proto_33: nf_ct_dccp: bad checksum "),
        );
        // nf_conntrack_checksum=0: not verified.
        let s = Sysctls {
            checksum: 0,
            ..Default::default()
        };
        let mut t = T::with(s, true);
        let mut p = ipv4(false, &hdr(5000, 80, types::REQUEST, 1, 0));
        p[20 + 7] ^= 1;
        assert_eq!(t.send(&p).ctstate, Some(CtState::New));
    }

    #[test]
    fn ipv4_checksum_takes_the_length_modulo_256() {
        // RFC 4340's checksum of a 300-byte packet fails (the kernel's
        // swapped csum_tcpudp_nofold() arguments); the kernel's passes.
        let mut h = hdr(5000, 80, types::REQUEST, 1, 0);
        h.payload = vec![7; 280];
        let mut p = ipv4(false, &h);
        let l4len = (p.len() - 20) as u32;
        assert_eq!(l4len, 300);
        assert!(checksum_ok(Family::Ipv4, &p, 20, p.len() - 20));
        p[26] = 0;
        p[27] = 0;
        let rfc = checksum::fold(checksum::sum(
            checksum::pseudo_v4(A, B, ip_proto::DCCP, l4len),
            &p[20..],
        ));
        p[26..28].copy_from_slice(&rfc.to_be_bytes());
        assert!(!checksum_ok(Family::Ipv4, &p, 20, p.len() - 20));
        let mut t = T::new(true);
        assert_invalid(
            &t.send(&p),
            Some("nf_ct_proto_33: nf_ct_dccp: bad checksum "),
        );
    }

    #[test]
    fn ipv6_exchange() {
        let mut t = T::new(true);
        let v = t.send(&ipv6(false, &hdr(5000, 80, types::REQUEST, 1, 0)));
        assert_verdict(&v, CtState::New, Direction::Original, "REQUEST");
        let v = t.send(&ipv6(true, &hdr(80, 5000, types::RESPONSE, 2, 1)));
        assert_verdict(&v, CtState::Established, Direction::Reply, "RESPOND");
        let v = t.send(&ipv6(false, &hdr(5000, 80, types::ACK, 2, 2)));
        assert_verdict(&v, CtState::Established, Direction::Original, "PARTOPEN");
        assert!(v.status.contains(Status::ASSURED));
        assert_eq!(
            t.table(),
            "ipv6     10 dccp     33 480 PARTOPEN src=2001:0db8:0000:0000:0000:0000:0000:0001 dst=2001:0db8:0001:0000:0000:0000:0000:0002 sport=5000 dport=80 src=2001:0db8:0001:0000:0000:0000:0000:0002 dst=2001:0db8:0000:0000:0000:0000:0000:0001 sport=80 dport=5000 [ASSURED] mark=0 zone=0 use=2\n"
        );
        let mut p = ipv6(true, &hdr(80, 5000, types::DATAACK, 3, 2));
        p[40 + 7] ^= 1;
        assert_invalid(
            &t.send(&p),
            Some("nf_ct_proto_33: nf_ct_dccp: bad checksum "),
        );
    }

    #[test]
    fn timeouts_come_from_the_knobs() {
        let mut s = Sysctls::default();
        for (k, v) in [
            ("nf_conntrack_dccp_timeout_request", "11"),
            ("nf_conntrack_dccp_timeout_respond", "12"),
            ("nf_conntrack_dccp_timeout_partopen", "13"),
            ("nf_conntrack_dccp_timeout_open", "14"),
            ("nf_conntrack_dccp_timeout_closereq", "15"),
            ("nf_conntrack_dccp_timeout_closing", "16"),
            ("net.netfilter.nf_conntrack_dccp_timeout_timewait", "17"),
        ] {
            s.set(k, v).unwrap();
        }
        assert!(s.set("nf_conntrack_dccp_loose", "2").is_err());
        let mut t = T::with(s, true);
        let steps = [
            (false, types::REQUEST, 11u64),
            (true, types::RESPONSE, 12),
            (false, types::ACK, 13),
            (true, types::DATAACK, 14),
            (true, types::CLOSEREQ, 15),
            (false, types::CLOSE, 16),
            (true, types::RESET, 17),
        ];
        for (i, (reply, kind, secs)) in steps.into_iter().enumerate() {
            let (sp, dp) = if reply { (80, 5000) } else { (5000, 80) };
            let v = t.v4(reply, &hdr(sp, dp, kind, i as u64, 0));
            assert!(v.ctstate != Some(CtState::Invalid), "{v:?}");
            assert_eq!(t.timeout(), secs, "after {}", dccp::type_name(kind));
        }
        // TIMEWAIT entries expire.
        t.now = t.now + Duration::from_secs(17);
        assert_eq!(t.table(), "");
        let d = Sysctls::default();
        assert_eq!(
            [
                d.dccp_timeout_request,
                d.dccp_timeout_respond,
                d.dccp_timeout_partopen,
                d.dccp_timeout_open,
                d.dccp_timeout_closereq,
                d.dccp_timeout_closing,
                d.dccp_timeout_timewait,
                d.dccp_loose
            ],
            [240, 480, 480, 43200, 64, 64, 240, 1]
        );
    }

    #[test]
    fn icmp_errors_quote_dccp_by_ports() {
        let mut t = T::new(true);
        let req = ipv4(false, &hdr(5000, 80, types::REQUEST, 1, 0));
        t.send(&req);
        // Port unreachable from B, quoting the Request's first 28 bytes.
        let mut icmp = vec![3, 3, 0, 0, 0, 0, 0, 0];
        icmp.extend_from_slice(&req[..28]);
        let c = checksum::checksum(&icmp);
        icmp[2..4].copy_from_slice(&c.to_be_bytes());
        let mut p = ipv4_raw(true, &icmp);
        p[9] = ip_proto::ICMP;
        p[10] = 0;
        p[11] = 0;
        let c = checksum::checksum(&p[..20]);
        p[10..12].copy_from_slice(&c.to_be_bytes());
        let v = t.send(&p);
        assert_eq!(v.ctstate, Some(CtState::Related), "{v:?}");
        // The same quote of other ports is no one's.
        let mut t = T::new(true);
        t.send(&ipv4(false, &hdr(5001, 80, types::REQUEST, 1, 0)));
        assert_eq!(t.send(&p).ctstate, Some(CtState::Invalid));
    }

    #[test]
    fn without_the_option_dccp_is_generic() {
        let mut t = T::new(false);
        let v = t.v4(false, &hdr(5000, 80, types::REQUEST, 1, 0));
        assert_eq!(v.ctstate, Some(CtState::New));
        assert_eq!(v.proto_state, None);
        // Anything goes, ports are not in the tuple, checksums unread.
        let mut p = ipv4(true, &hdr(81, 5001, types::SYNC, 9, 9));
        p[20 + 7] ^= 1;
        let v = t.send(&p);
        assert_eq!(v.ctstate, Some(CtState::Established));
        assert_eq!(v.dir, Some(Direction::Reply));
        let v = t.send(&ipv4_raw(false, &[1, 2, 3]));
        assert_eq!(v.ctstate, Some(CtState::Established));
        assert_eq!(
            t.table(),
            "ipv4     2 unknown  33 600 src=192.0.2.1 dst=198.51.100.2 src=198.51.100.2 dst=192.0.2.1 mark=0 zone=0 use=2\n"
        );
        assert!(matches!(t.only_entry().proto, ProtoState::None));
    }

    #[test]
    fn describe_names_roles_and_handshake() {
        let t = handshake();
        let lines = Dccp.describe(t.only_entry());
        assert_eq!(
            lines,
            vec![
                "role original=client reply=server last_pkt=Ack last_dir=ORIGINAL handshake_seq=7000"
            ]
        );
    }

    #[test]
    fn table_cells_match_the_kernel() {
        use Role::{Client, Server};
        assert_eq!(cell(Client, types::REQUEST, S::None), RQ);
        assert_eq!(cell(Server, types::REQUEST, S::None), IV);
        assert_eq!(cell(Server, types::RESPONSE, S::Request), RS);
        assert_eq!(cell(Client, types::ACK, S::Respond), PO);
        assert_eq!(cell(Server, types::DATA, S::PartOpen), OP);
        assert_eq!(cell(Server, types::CLOSEREQ, S::PartOpen), CR);
        assert_eq!(cell(Client, types::CLOSE, S::CloseReq), CG);
        assert_eq!(cell(Server, types::CLOSE, S::CloseReq), IV);
        assert_eq!(cell(Client, types::RESET, S::TimeWait), IG);
        assert_eq!(cell(Server, types::RESET, S::TimeWait), TW);
        assert_eq!(cell(Server, types::RESET, S::Ignore), IG);
        assert_eq!(cell(Client, types::SYNC, S::None), IV);
        assert_eq!(cell(Server, types::SYNCACK, S::Open), IG);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            /// Random DCCP headers, alone or after a handshake, in both
            /// directions and both families, never panic.
            #[test]
            fn random_dccp_headers_never_panic(
                pkts in proptest::collection::vec(
                    (any::<bool>(), any::<bool>(), any::<bool>(),
                     proptest::collection::vec(any::<u8>(), 0..48)),
                    1..12),
                checksum_on in any::<bool>(),
            ) {
                let s = Sysctls {
                    checksum: u32::from(checksum_on),
                    ..Default::default()
                };
                let mut t = T::with(s, true);
                t.v4(false, &hdr(5000, 80, types::REQUEST, 1, 0));
                t.v4(true, &hdr(80, 5000, types::RESPONSE, 2, 1));
                for (reply, v6, fix, mut l4) in pkts {
                    if l4.len() >= 4 {
                        let (sp, dp): (u16, u16) = if reply { (80, 5000) } else { (5000, 80) };
                        l4[0..2].copy_from_slice(&sp.to_be_bytes());
                        l4[2..4].copy_from_slice(&dp.to_be_bytes());
                    }
                    let mut p = if v6 {
                        let mut p = ipv6(reply, &hdr(1, 1, types::DATA, 0, 0));
                        p.truncate(40);
                        p[4..6].copy_from_slice(&(l4.len() as u16).to_be_bytes());
                        p.extend_from_slice(&l4);
                        p
                    } else {
                        ipv4_raw(reply, &l4)
                    };
                    let off = if v6 { 40 } else { 20 };
                    if fix && l4.len() >= 12 {
                        let cov = match l4[5] & 0x0f {
                            0 => l4.len(),
                            c => (usize::from(c) - 1) * 4,
                        };
                        if cov <= l4.len() {
                            let fam = if v6 { Family::Ipv6 } else { Family::Ipv4 };
                            fill_checksum(fam, &mut p, off, cov);
                        }
                    }
                    let v = t.send(&p);
                    if let Some(e) = v.entry {
                        let c = t.ct.entry(e, t.now);
                        if let Some(c) = c {
                            let _ = Dccp.describe(c);
                        }
                    }
                    let _ = t.table();
                }
            }
        }
    }
}
