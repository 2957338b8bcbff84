//! SCTP: `nf_conntrack_proto_sctp.c` (Linux 6.x, without HEARTBEAT_ACKED).
//!
//! The state follows the chunks: `sctp_conntracks[dir][chunk][state]`,
//! applied chunk by chunk. The verification tags of both directions are
//! learnt from INIT/INIT_ACK (or from the first out-of-the-blue packet) and
//! checked as RFC 9260 section 8.5 asks; a wrong tag makes the packet
//! INVALID. Secondary paths of a multi-homed association show up as new
//! entries opened by a HEARTBEAT (HEARTBEAT_SENT).

use super::{L4Proto, PacketCtx, PacketOutcome, TupleKind, ports_to_tuple};
use crate::conn::{Conn, ProtoState};
use crate::ctinfo::Direction;
use crate::reason::Reason;
use crate::status::Status;
use crate::sysctl::Sysctls;
use crate::tuple::Tuple;
use crate::wire::sctp::chunk;
use crate::wire::{be16, be32, header_at, ip_proto, sctp};
use core::fmt;

/// `enum sctp_conntrack`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum SctpState {
    #[default]
    None = 0,
    Closed = 1,
    CookieWait = 2,
    CookieEchoed = 3,
    Established = 4,
    ShutdownSent = 5,
    ShutdownRecd = 6,
    ShutdownAckSent = 7,
    HeartbeatSent = 8,
}

impl SctpState {
    pub fn name(self) -> &'static str {
        match self {
            SctpState::None => "NONE",
            SctpState::Closed => "CLOSED",
            SctpState::CookieWait => "COOKIE_WAIT",
            SctpState::CookieEchoed => "COOKIE_ECHOED",
            SctpState::Established => "ESTABLISHED",
            SctpState::ShutdownSent => "SHUTDOWN_SENT",
            SctpState::ShutdownRecd => "SHUTDOWN_RECD",
            SctpState::ShutdownAckSent => "SHUTDOWN_ACK_SENT",
            SctpState::HeartbeatSent => "HEARTBEAT_SENT",
        }
    }

    /// `sn->timeouts[state]`; NONE uses CLOSED's.
    pub fn timeout(self, s: &Sysctls) -> u32 {
        match self {
            SctpState::None | SctpState::Closed => s.sctp_timeout_closed,
            SctpState::CookieWait => s.sctp_timeout_cookie_wait,
            SctpState::CookieEchoed => s.sctp_timeout_cookie_echoed,
            SctpState::Established => s.sctp_timeout_established,
            SctpState::ShutdownSent => s.sctp_timeout_shutdown_sent,
            SctpState::ShutdownRecd => s.sctp_timeout_shutdown_recd,
            SctpState::ShutdownAckSent => s.sctp_timeout_shutdown_ack_sent,
            SctpState::HeartbeatSent => s.sctp_timeout_heartbeat_sent,
        }
    }
}

impl fmt::Display for SctpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A cell: a state, or sIV.
type Cell = Option<SctpState>;

const NO: Cell = Some(SctpState::None);
const CL: Cell = Some(SctpState::Closed);
const CW: Cell = Some(SctpState::CookieWait);
const CE: Cell = Some(SctpState::CookieEchoed);
const ES: Cell = Some(SctpState::Established);
const SS: Cell = Some(SctpState::ShutdownSent);
const SR: Cell = Some(SctpState::ShutdownRecd);
const SA: Cell = Some(SctpState::ShutdownAckSent);
const HS: Cell = Some(SctpState::HeartbeatSent);
const IV: Cell = None;
const _: Cell = NO;

/// `sctp_conntracks[dir][chunk][state]`; rows INIT, INIT_ACK, ABORT,
/// SHUTDOWN, SHUTDOWN_ACK, ERROR, COOKIE_ECHO, COOKIE_ACK,
/// SHUTDOWN_COMPLETE, HEARTBEAT, HEARTBEAT_ACK; columns NONE, CLOSED,
/// COOKIE_WAIT, COOKIE_ECHOED, ESTABLISHED, SHUTDOWN_SENT, SHUTDOWN_RECD,
/// SHUTDOWN_ACK_SENT, HEARTBEAT_SENT.
#[rustfmt::skip]
const TABLE: [[[Cell; 9]; 11]; 2] = [
    [
        /* init          */ [CL, CL, CW, CE, ES, CL, CL, SA, CW],
        /* init_ack      */ [CL, CL, CW, CE, ES, SS, SR, SA, CL],
        /* abort         */ [CL, CL, CL, CL, CL, CL, CL, CL, CL],
        /* shutdown      */ [CL, CL, CW, CE, SS, SS, SR, SA, CL],
        /* shutdown_ack  */ [SA, CL, CW, CE, ES, SA, SA, SA, SA],
        /* error         */ [CL, CL, CW, CE, ES, SS, SR, SA, CL],
        /* cookie_echo   */ [CL, CL, CE, CE, ES, SS, SR, SA, CL],
        /* cookie_ack    */ [CL, CL, CW, CE, ES, SS, SR, SA, CL],
        /* shutdown_comp */ [CL, CL, CW, CE, ES, SS, SR, CL, CL],
        /* heartbeat     */ [HS, CL, CW, CE, ES, SS, SR, SA, HS],
        /* heartbeat_ack */ [CL, CL, CW, CE, ES, SS, SR, SA, HS],
    ],
    [
        /* init          */ [IV, CL, CW, CE, ES, SS, SR, SA, IV],
        /* init_ack      */ [IV, CW, CW, CE, ES, SS, SR, SA, IV],
        /* abort         */ [IV, CL, CL, CL, CL, CL, CL, CL, IV],
        /* shutdown      */ [IV, CL, CW, CE, SR, SS, SR, SA, IV],
        /* shutdown_ack  */ [IV, CL, CW, CE, ES, SA, SA, SA, IV],
        /* error         */ [IV, CL, CW, CL, ES, SS, SR, SA, IV],
        /* cookie_echo   */ [IV, CL, CW, CE, ES, SS, SR, SA, IV],
        /* cookie_ack    */ [IV, CL, CW, ES, ES, SS, SR, SA, IV],
        /* shutdown_comp */ [IV, CL, CW, CE, ES, SS, SR, CL, IV],
        /* heartbeat     */ [IV, CL, CW, CE, ES, SS, SR, SA, HS],
        /* heartbeat_ack */ [IV, CL, CW, CE, ES, SS, SR, SA, ES],
    ],
];

/// `sctp_new_state()`: chunks without a row (DATA, SACK...) keep the state.
fn new_state(dir: Direction, cur: SctpState, kind: u8) -> Cell {
    let row = match kind {
        chunk::INIT => 0,
        chunk::INIT_ACK => 1,
        chunk::ABORT => 2,
        chunk::SHUTDOWN => 3,
        chunk::SHUTDOWN_ACK => 4,
        chunk::ERROR => 5,
        chunk::COOKIE_ECHO => 6,
        chunk::COOKIE_ACK => 7,
        chunk::SHUTDOWN_COMPLETE => 8,
        chunk::HEARTBEAT => 9,
        chunk::HEARTBEAT_ACK => 10,
        _ => return Some(cur),
    };
    TABLE[dir.index()][row][cur as usize]
}

/// `SCTP_CHUNK_FLAG_T`.
const FLAG_T: u8 = 1;
/// `SCTP_FLAG_HEARTBEAT_VTAG_FAILED`.
const HEARTBEAT_VTAG_FAILED: u8 = 1;

/// `struct ip_ct_sctp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SctpConn {
    pub state: SctpState,
    pub vtag: [u32; 2],
    /// `init[dir]`: an INIT was seen from `dir` since the last COOKIE ACK
    /// (detects INIT collisions).
    pub init: [bool; 2],
    pub last_dir: u8,
    pub flags: u8,
}

/// One chunk header as the loop reads it.
#[derive(Debug, Clone, Copy)]
struct ChunkRef {
    offset: usize,
    kind: u8,
    flags: u8,
}

/// `for_each_sctp_chunk`: chunk headers from `dataoff + 12` while a 4-byte
/// header fits before the end of the packet. Callers run the basic checks
/// first, which reject zero lengths (the walk would not advance).
fn chunks(pkt: &[u8], dataoff: usize) -> impl Iterator<Item = (ChunkRef, u16)> + '_ {
    let mut offset = dataoff + sctp::HEADER_LEN;
    std::iter::from_fn(move || {
        if offset >= pkt.len() {
            return None;
        }
        let h = header_at(pkt, offset, sctp::CHUNK_HEADER_LEN)?;
        let len = be16(h, 2);
        let c = ChunkRef {
            offset,
            kind: h[0],
            flags: h[1],
        };
        let step = (usize::from(len) + 3) & !3;
        offset = if step == 0 { pkt.len() } else { offset + step };
        Some((c, len))
    })
}

/// Chunk types seen in a packet (`map`).
#[derive(Default)]
struct Map([u64; 4]);

impl Map {
    fn set(&mut self, kind: u8) {
        self.0[usize::from(kind >> 6)] |= 1 << (kind & 63);
    }

    fn has(&self, kind: u8) -> bool {
        self.0[usize::from(kind >> 6)] & (1 << (kind & 63)) != 0
    }
}

/// `do_basic_checks()`: COOKIE_ECHO/COOKIE_ACK must come first, INIT,
/// INIT_ACK and SHUTDOWN_COMPLETE must be alone, no chunk may have length 0,
/// and there must be a chunk.
fn basic_checks(pkt: &[u8], dataoff: usize, map: &mut Map) -> bool {
    let mut flag = false;
    let mut count = 0;
    for (c, len) in chunks(pkt, dataoff) {
        if matches!(
            c.kind,
            chunk::INIT | chunk::INIT_ACK | chunk::SHUTDOWN_COMPLETE
        ) {
            flag = true;
        }
        if ((c.kind == chunk::COOKIE_ACK || c.kind == chunk::COOKIE_ECHO || flag) && count != 0)
            || len == 0
        {
            return false;
        }
        map.set(c.kind);
        count += 1;
    }
    count != 0
}

/// The Initiate Tag of an INIT or INIT_ACK chunk (`struct sctp_inithdr`
/// must be there whole).
fn init_tag(pkt: &[u8], c: &ChunkRef) -> Option<u32> {
    header_at(pkt, c.offset + sctp::CHUNK_HEADER_LEN, 16).map(|ih| be32(ih, 0))
}

/// CRC32c (Castagnoli), as `sctp_compute_cksum()`.
fn crc32c(data: &[u8], skip: core::ops::Range<usize>) -> u32 {
    const fn table() -> [u32; 256] {
        let mut t = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0x82f6_3b78 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            t[i] = c;
            i += 1;
        }
        t
    }
    static T: [u32; 256] = table();
    let mut crc = !0u32;
    for (i, &b) in data.iter().enumerate() {
        let b = if skip.contains(&i) { 0 } else { b };
        crc = T[((crc ^ u32::from(b)) & 0xff) as usize] ^ (crc >> 8);
    }
    !crc
}

fn log(msg: &'static str) -> Reason {
    Reason::L4 {
        proto: ip_proto::SCTP,
        msg,
    }
}

pub struct Sctp;

fn sctp_state(conn: &Conn) -> SctpConn {
    match conn.proto {
        ProtoState::Sctp(s) => s,
        _ => SctpConn::default(),
    }
}

/// `sctp_can_early_drop()`.
pub fn can_early_drop(conn: &Conn) -> bool {
    matches!(
        sctp_state(conn).state,
        SctpState::ShutdownSent | SctpState::ShutdownRecd | SctpState::ShutdownAckSent
    )
}

impl Sctp {
    /// `sctp_new()`: the vtags of a new entry, or None when the packet
    /// cannot open one.
    fn new_conn(pkt: &[u8], dataoff: usize, vtag: u32) -> Option<SctpConn> {
        let mut s = SctpConn::default();
        for (c, _) in chunks(pkt, dataoff) {
            let st = new_state(Direction::Original, SctpState::None, c.kind);
            if matches!(st, None | Some(SctpState::None)) {
                return None;
            }
            match c.kind {
                chunk::INIT => {
                    if vtag != 0 {
                        return None;
                    }
                    s.vtag[Direction::Reply.index()] = init_tag(pkt, &c)?;
                }
                chunk::HEARTBEAT => s.vtag[Direction::Original.index()] = vtag,
                _ => s.vtag[Direction::Reply.index()] = vtag,
            }
            s.state = SctpState::None;
        }
        Some(s)
    }
}

impl L4Proto for Sctp {
    fn tuple_kind(&self) -> TupleKind {
        TupleKind::Ports
    }

    fn name(&self) -> &'static str {
        "sctp"
    }

    fn pkt_to_tuple(&self, pkt: &[u8], dataoff: usize, tuple: &mut Tuple) -> bool {
        ports_to_tuple(pkt, dataoff, tuple)
    }

    fn packet(&self, ctx: &mut PacketCtx<'_>) -> PacketOutcome {
        let pkt = ctx.pkt;
        let dataoff = ctx.dataoff;
        // sctp_error()
        let Some(h) = header_at(pkt, dataoff, sctp::HEADER_LEN) else {
            return PacketOutcome::Invalid(log("nf_ct_sctp: short packet "));
        };
        if ctx.sysctl.checksum != 0 {
            let stored = u32::from_le_bytes([h[8], h[9], h[10], h[11]]);
            if crc32c(&pkt[dataoff..], 8..12) != stored {
                return PacketOutcome::Invalid(log("nf_ct_sctp: bad CRC "));
            }
        }
        let vtag = be32(h, 4);
        let bad = |what: &'static str| PacketOutcome::Invalid(Reason::SctpInvalid(what));

        let mut map = Map::default();
        if !basic_checks(pkt, dataoff, &mut map) {
            return bad("chunks fail the basic checks (order, INIT alone, zero length)");
        }
        if !ctx.confirmed() {
            if map.has(chunk::ABORT)
                || map.has(chunk::SHUTDOWN_COMPLETE)
                || map.has(chunk::COOKIE_ACK)
            {
                return bad("ABORT, SHUTDOWN COMPLETE or COOKIE ACK cannot open an entry");
            }
            match Sctp::new_conn(pkt, dataoff, vtag) {
                Some(s) => ctx.conn.proto = ProtoState::Sctp(s),
                None => return bad("this packet cannot open an entry"),
            }
        }
        let mut s = sctp_state(ctx.conn);
        let dir = ctx.ctinfo.direction();
        let (di, oi) = (dir.index(), dir.opposite().index());

        // The verification tag (RFC 9260 section 8.5).
        let exempt = [
            chunk::INIT,
            chunk::SHUTDOWN_COMPLETE,
            chunk::COOKIE_ECHO,
            chunk::ABORT,
            chunk::SHUTDOWN_ACK,
            chunk::HEARTBEAT,
            chunk::HEARTBEAT_ACK,
        ];
        if !exempt.iter().any(|&k| map.has(k)) && vtag != s.vtag[di] {
            return bad("verification tag check failed");
        }

        let mut ignore = false;
        let mut new = SctpState::None;
        let mut fail: Option<&'static str> = None;
        for (c, _) in chunks(pkt, dataoff) {
            match c.kind {
                chunk::INIT if vtag != 0 => {
                    fail = Some("INIT with a non-zero verification tag");
                    break;
                }
                chunk::ABORT | chunk::SHUTDOWN_COMPLETE => {
                    let t = c.flags & FLAG_T != 0;
                    if (!t && vtag != s.vtag[di]) || (t && vtag != s.vtag[oi]) {
                        fail = Some("verification tag check failed (ABORT / SHUTDOWN COMPLETE)");
                        break;
                    }
                }
                chunk::COOKIE_ECHO if vtag != s.vtag[di] => {
                    fail = Some("verification tag check failed (COOKIE ECHO)");
                    break;
                }
                chunk::COOKIE_ACK => s.init = [false, false],
                chunk::HEARTBEAT => {
                    if s.vtag[di] == 0 {
                        s.vtag[di] = vtag;
                    } else if vtag != s.vtag[di] {
                        if map.has(chunk::DATA) || ignore {
                            fail = Some("verification tag check failed (HEARTBEAT)");
                            break;
                        }
                        s.flags |= HEARTBEAT_VTAG_FAILED;
                        s.last_dir = dir as u8;
                        ignore = true;
                        continue;
                    } else if s.flags & HEARTBEAT_VTAG_FAILED != 0 {
                        s.flags &= !HEARTBEAT_VTAG_FAILED;
                    }
                }
                chunk::HEARTBEAT_ACK => {
                    if s.vtag[di] == 0 {
                        s.vtag[di] = vtag;
                    } else if vtag != s.vtag[di] {
                        if map.has(chunk::DATA) || ignore {
                            fail = Some("verification tag check failed (HEARTBEAT ACK)");
                            break;
                        }
                        if s.flags & HEARTBEAT_VTAG_FAILED == 0 || s.last_dir == dir as u8 {
                            fail = Some("verification tag check failed (HEARTBEAT ACK)");
                            break;
                        }
                        s.flags &= !HEARTBEAT_VTAG_FAILED;
                        s.vtag[di] = vtag;
                        s.vtag[oi] = 0;
                    } else if s.flags & HEARTBEAT_VTAG_FAILED != 0 {
                        s.flags &= !HEARTBEAT_VTAG_FAILED;
                    }
                }
                _ => {}
            }
            let old = s.state;
            let Some(st) = new_state(dir, old, c.kind) else {
                fail = Some("chunk not allowed in this direction and state");
                break;
            };
            new = st;
            if matches!(c.kind, chunk::INIT | chunk::INIT_ACK) {
                let Some(tag) = init_tag(pkt, &c) else {
                    fail = Some("INIT / INIT ACK too short");
                    break;
                };
                if c.kind == chunk::INIT {
                    if s.init[di] && s.init[oi] {
                        s.init[oi] = false;
                    }
                    s.init[di] = true;
                    // An INIT retransmission does not renew the timeout.
                    if new == SctpState::Closed
                        && old == SctpState::Closed
                        && ctx.conn.is_confirmed()
                    {
                        ignore = true;
                    }
                } else {
                    let known = s.vtag[oi];
                    if !s.init[oi] && known != 0 && known != tag {
                        fail = Some(
                            "INIT ACK carries an initiate tag other than the one already known",
                        );
                        break;
                    }
                    if s.init[di] && s.init[oi] && known != tag {
                        fail = Some("INIT ACK's initiate tag differs in an INIT collision");
                        break;
                    }
                }
                s.vtag[oi] = tag;
            }
            ctx.trace
                .note(|| format!("chunk {}: {old} -> {new}", sctp::chunk_name(c.kind)));
            s.state = new;
            if old != new {
                ctx.protoinfo = true;
            }
            if old != new && new == SctpState::Established {
                ctx.conn.status.insert(Status::ASSURED);
            }
        }
        ctx.conn.proto = ProtoState::Sctp(s);
        if let Some(what) = fail {
            return bad(what);
        }
        if ignore {
            return PacketOutcome::Accept;
        }
        ctx.refresh(new.timeout(ctx.sysctl));
        PacketOutcome::Accept
    }

    fn print_conntrack(&self, conn: &Conn, out: &mut dyn fmt::Write) -> fmt::Result {
        write!(out, "{} ", sctp_state(conn).state.name())
    }

    fn state_name(&self, conn: &Conn) -> Option<&'static str> {
        Some(sctp_state(conn).state.name())
    }

    fn describe(&self, conn: &Conn) -> Vec<String> {
        let s = sctp_state(conn);
        vec![format!(
            "vtag original=0x{:08x} reply=0x{:08x} flags={} last_dir={}",
            s.vtag[0], s.vtag[1], s.flags, s.last_dir
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32c_check_value() {
        // RFC 3720 B.4: 32 bytes of zeros -> aa36918a.
        assert_eq!(crc32c(&[0u8; 32], 0..0), 0x8a91_36aa);
        assert_eq!(crc32c(b"123456789", 0..0), 0xe306_9283);
    }

    #[test]
    fn table_cells() {
        assert_eq!(
            new_state(Direction::Original, SctpState::None, chunk::INIT),
            CL
        );
        assert_eq!(
            new_state(Direction::Reply, SctpState::Closed, chunk::INIT_ACK),
            CW
        );
        assert_eq!(
            new_state(Direction::Reply, SctpState::CookieEchoed, chunk::COOKIE_ACK),
            ES
        );
        assert_eq!(
            new_state(Direction::Reply, SctpState::None, chunk::INIT),
            IV
        );
        assert_eq!(
            new_state(Direction::Original, SctpState::Established, chunk::DATA),
            ES
        );
    }

    #[test]
    fn basic_checks_rules() {
        let mut p = vec![0u8; 12];
        // INIT followed by another chunk: not allowed
        p.extend_from_slice(&[1, 0, 0, 20]);
        p.extend_from_slice(&[0; 16]);
        p.extend_from_slice(&[0, 0, 0, 8, 0, 0, 0, 0]);
        assert!(!basic_checks(&p, 0, &mut Map::default()));
        let mut q = vec![0u8; 12];
        q.extend_from_slice(&[0, 0, 0, 8, 0, 0, 0, 0, 3, 0, 0, 8, 0, 0, 0, 0]);
        let mut m = Map::default();
        assert!(basic_checks(&q, 0, &mut m));
        assert!(m.has(chunk::DATA) && m.has(chunk::SACK) && !m.has(chunk::INIT));
        assert!(
            !basic_checks(&[0u8; 12], 0, &mut Map::default()),
            "no chunk"
        );
        let mut z = vec![0u8; 12];
        z.extend_from_slice(&[0, 0, 0, 0]);
        assert!(!basic_checks(&z, 0, &mut Map::default()), "zero length");
    }
}
