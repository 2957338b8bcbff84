//! The PPTP helper (`nf_conntrack_pptp.c`, RFC 2637): it follows the
//! control connection (TCP 1723, IPv4 only) from the PNS (the client, the
//! connection's original direction) to the PAC, and when a call is
//! connected expects its two GRE flows (enhanced GRE, keyed by call id) and
//! adds their keymap entries ([`crate::gre_keymap`]).
//!
//! As the kernel, it reads only the first control message at the start of
//! each segment once the TCP handshake is complete, ignores the header's
//! length field, ignores (`NF_ACCEPT`) every message it does not like —
//! unknown types, a type from the wrong side, one out of sequence, a call id
//! that is not the one it follows — and never drops a packet. It follows one
//! call per control connection: a second call's expectations are made and
//! at once withdrawn while the first call's keymap entries are in place.
//!
//! The GRE entry an expectation makes gets the PPTP timeouts (10 minutes,
//! 5 hours) from `pptp_expectfn()`, but the GRE tracker sets an unconfirmed
//! entry's timeouts from the GRE sysctls on its first packet, so the kernel
//! (and ctrack) show `timeout=30, stream_timeout=180`.

use super::{DestroyCtx, HelpCtx, HelpData, HelpVerdict, Helper};
use crate::conn::{Conn, ProtoState};
use crate::ctinfo::{CtInfo, Direction};
use crate::expect::{Expectation, Expectations, NewExpect, OnMatch, Policy};
use crate::gre_keymap::GreKeymap;
use crate::sysctl::Sysctls;
use crate::tuple::{Family, Tuple};
use crate::wire::{header_at, ip_proto};
use core::fmt;

/// `PPTP_CONTROL_PORT`.
pub const CONTROL_PORT: u16 = 1723;
/// `PPTP_PACKET_CONTROL`.
pub const PACKET_CONTROL: u16 = 1;
/// `PPTP_MAGIC_COOKIE`.
pub const MAGIC_COOKIE: u32 = 0x1a2b_3c4d;
/// `PPTP_GRE_TIMEOUT`, seconds.
pub const GRE_TIMEOUT: u32 = 10 * 60;
/// `PPTP_GRE_STREAM_TIMEOUT`, seconds.
pub const GRE_STREAM_TIMEOUT: u32 = 5 * 60 * 60;

/// `struct pptp_pkt_hdr` (length, packet type, magic cookie).
pub const PKT_HDR_LEN: usize = 8;
/// `struct PptpControlHeader` (message type, reserved).
pub const CTRL_HDR_LEN: usize = 4;

/// Control message types (`PptpControlMessageType`).
pub mod msg {
    pub const START_SESSION_REQUEST: u16 = 1;
    pub const START_SESSION_REPLY: u16 = 2;
    pub const STOP_SESSION_REQUEST: u16 = 3;
    pub const STOP_SESSION_REPLY: u16 = 4;
    pub const ECHO_REQUEST: u16 = 5;
    pub const ECHO_REPLY: u16 = 6;
    pub const OUT_CALL_REQUEST: u16 = 7;
    pub const OUT_CALL_REPLY: u16 = 8;
    pub const IN_CALL_REQUEST: u16 = 9;
    pub const IN_CALL_REPLY: u16 = 10;
    pub const IN_CALL_CONNECT: u16 = 11;
    pub const CALL_CLEAR_REQUEST: u16 = 12;
    pub const CALL_DISCONNECT_NOTIFY: u16 = 13;
    pub const WAN_ERROR_NOTIFY: u16 = 14;
    pub const SET_LINK_INFO: u16 = 15;
    /// `PPTP_MSG_MAX`.
    pub const MAX: u16 = 15;
}

/// `pptp_msg_size[]`: the size of each message's body (echo messages have
/// none listed, so any length passes).
const MSG_SIZE: [usize; 16] = [
    0, 144, 144, 4, 4, 0, 0, 156, 20, 208, 12, 16, 4, 136, 28, 12,
];

/// `sizeof(union pptp_ctrl_union)`: at most this much of the body is read.
const UNION_SIZE: usize = 208;

/// `PPTP_START_OK`, `PPTP_STOP_OK`, `PPTP_OUTCALL_CONNECT`,
/// `PPTP_INCALL_ACCEPT`: the result codes that mean success.
const RESULT_OK: u8 = 1;

/// `pptp_msg_name[]`.
pub fn msg_name(kind: u16) -> &'static str {
    const NAMES: [&str; 16] = [
        "UNKNOWN_MESSAGE",
        "START_SESSION_REQUEST",
        "START_SESSION_REPLY",
        "STOP_SESSION_REQUEST",
        "STOP_SESSION_REPLY",
        "ECHO_REQUEST",
        "ECHO_REPLY",
        "OUT_CALL_REQUEST",
        "OUT_CALL_REPLY",
        "IN_CALL_REQUEST",
        "IN_CALL_REPLY",
        "IN_CALL_CONNECT",
        "CALL_CLEAR_REQUEST",
        "CALL_DISCONNECT_NOTIFY",
        "WAN_ERROR_NOTIFY",
        "SET_LINK_INFO",
    ];
    NAMES.get(usize::from(kind)).copied().unwrap_or(NAMES[0])
}

/// `enum pptp_ctrlsess_state` (the order matters: the kernel compares).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum SessionState {
    #[default]
    None,
    Error,
    StopReq,
    Requested,
    Confirmed,
}

/// `enum pptp_ctrlcall_state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CallState {
    #[default]
    None,
    Error,
    OutReq,
    OutConf,
    InReq,
    InRep,
    InConf,
    ClearReq,
}

/// `struct nf_ct_pptp_master` (its keymap slots are in [`GreKeymap`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PptpState {
    pub sstate: SessionState,
    pub cstate: CallState,
    /// Call id of the PAC (the server).
    pub pac_call_id: u16,
    /// Call id of the PNS (the client).
    pub pns_call_id: u16,
}

/// One control message at the start of a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message<'a> {
    /// `ctlh->messageType`.
    pub kind: u16,
    /// The body after the control header, at most `sizeof(union
    /// pptp_ctrl_union)` bytes; at least the message's size for the known
    /// types.
    pub body: &'a [u8],
}

impl Message<'_> {
    fn be16(&self, off: usize) -> u16 {
        u16::from_be_bytes([self.body[off], self.body[off + 1]])
    }

    fn byte(&self, off: usize) -> u8 {
        self.body[off]
    }
}

/// Why `conntrack_pptp_help()` does not look at a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotTracked {
    /// Fewer than 8 bytes of payload: "no full PPTP header".
    NoHeader,
    /// Packet type not 1 (control) or wrong magic cookie.
    NotControl { packet_type: u16, cookie: u32 },
    /// No room for the 4-byte control header.
    NoControlHeader,
    /// A known message type with a body shorter than its size.
    Short { kind: u16, len: usize, need: usize },
}

impl fmt::Display for NotTracked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            NotTracked::NoHeader => f.write_str("no full PPTP header, can't track"),
            NotTracked::NotControl {
                packet_type,
                cookie,
            } => write!(
                f,
                "not a control packet (type {packet_type}, magic cookie {cookie:#010x})"
            ),
            NotTracked::NoControlHeader => f.write_str("no control header"),
            NotTracked::Short { kind, len, need } => write!(
                f,
                "{} of {len} bytes, shorter than its {need}",
                msg_name(kind)
            ),
        }
    }
}

/// The checks of `conntrack_pptp_help()` on a segment's TCP payload: the
/// packet header (length not checked, control type, magic cookie), the
/// control header, and the body's length for the message types it knows.
pub fn parse(payload: &[u8]) -> Result<Message<'_>, NotTracked> {
    let Some(h) = header_at(payload, 0, PKT_HDR_LEN) else {
        return Err(NotTracked::NoHeader);
    };
    let packet_type = u16::from_be_bytes([h[2], h[3]]);
    let cookie = u32::from_be_bytes([h[4], h[5], h[6], h[7]]);
    if packet_type != PACKET_CONTROL || cookie != MAGIC_COOKIE {
        return Err(NotTracked::NotControl {
            packet_type,
            cookie,
        });
    }
    let Some(c) = header_at(payload, PKT_HDR_LEN, CTRL_HDR_LEN) else {
        return Err(NotTracked::NoControlHeader);
    };
    let kind = u16::from_be_bytes([c[0], c[1]]);
    let body = &payload[PKT_HDR_LEN + CTRL_HDR_LEN..];
    if (1..=msg::MAX).contains(&kind) {
        let need = MSG_SIZE[usize::from(kind)];
        if body.len() < need {
            return Err(NotTracked::Short {
                kind,
                len: body.len(),
                need,
            });
        }
    }
    Ok(Message {
        kind,
        body: &body[..body.len().min(UNION_SIZE)],
    })
}

/// What a message asks of the helper besides the state change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Nothing,
    /// `exp_gre(ct, callid, peer_callid)`: expect the call's GRE.
    ExpectGre {
        callid: u16,
        peer_callid: u16,
    },
    /// `pptp_destroy_siblings()`: the call is over.
    DestroySiblings,
}

/// The `goto invalid` of `pptp_outbound_pkt()` / `pptp_inbound_pkt()`:
/// the message is ignored (the packet is still accepted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid;

impl PptpState {
    /// `pptp_outbound_pkt()`: a message from the PNS.
    pub fn outbound(&mut self, m: &Message<'_>) -> Result<Action, Invalid> {
        match m.kind {
            msg::START_SESSION_REQUEST => {
                if self.sstate != SessionState::None {
                    return Err(Invalid);
                }
                self.sstate = SessionState::Requested;
            }
            msg::STOP_SESSION_REQUEST => self.sstate = SessionState::StopReq,
            msg::OUT_CALL_REQUEST => {
                if self.sstate != SessionState::Confirmed {
                    return Err(Invalid);
                }
                self.cstate = CallState::OutReq;
                self.pns_call_id = m.be16(0);
            }
            msg::IN_CALL_REPLY => {
                if self.cstate != CallState::InReq && self.cstate != CallState::InRep {
                    return Err(Invalid);
                }
                let cid = m.be16(0);
                let pcid = m.be16(2);
                if self.pac_call_id != pcid {
                    return Err(Invalid);
                }
                if m.byte(4) == RESULT_OK {
                    self.cstate = CallState::InRep;
                    self.pns_call_id = cid;
                } else {
                    self.cstate = CallState::None;
                }
            }
            msg::CALL_CLEAR_REQUEST => {
                if self.sstate != SessionState::Confirmed {
                    return Err(Invalid);
                }
                self.cstate = CallState::ClearReq;
            }
            msg::SET_LINK_INFO | msg::ECHO_REQUEST | msg::ECHO_REPLY => {}
            _ => return Err(Invalid),
        }
        Ok(Action::Nothing)
    }

    /// `pptp_inbound_pkt()`: a message from the PAC.
    pub fn inbound(&mut self, m: &Message<'_>) -> Result<Action, Invalid> {
        match m.kind {
            msg::START_SESSION_REPLY => {
                if self.sstate < SessionState::Requested {
                    return Err(Invalid);
                }
                self.sstate = if m.byte(2) == RESULT_OK {
                    SessionState::Confirmed
                } else {
                    SessionState::Error
                };
            }
            msg::STOP_SESSION_REPLY => {
                if self.sstate > SessionState::StopReq {
                    return Err(Invalid);
                }
                self.sstate = if m.byte(0) == RESULT_OK {
                    SessionState::None
                } else {
                    SessionState::Error
                };
            }
            msg::OUT_CALL_REPLY => {
                if self.sstate != SessionState::Confirmed {
                    return Err(Invalid);
                }
                if self.cstate != CallState::OutReq && self.cstate != CallState::OutConf {
                    return Err(Invalid);
                }
                let cid = m.be16(0);
                let pcid = m.be16(2);
                if self.pns_call_id != pcid {
                    return Err(Invalid);
                }
                if m.byte(4) == RESULT_OK {
                    self.cstate = CallState::OutConf;
                    self.pac_call_id = cid;
                    return Ok(Action::ExpectGre {
                        callid: cid,
                        peer_callid: pcid,
                    });
                }
                self.cstate = CallState::None;
            }
            msg::IN_CALL_REQUEST => {
                if self.sstate != SessionState::Confirmed {
                    return Err(Invalid);
                }
                self.cstate = CallState::InReq;
                self.pac_call_id = m.be16(0);
            }
            msg::IN_CALL_CONNECT => {
                if self.sstate != SessionState::Confirmed {
                    return Err(Invalid);
                }
                if self.cstate != CallState::InRep && self.cstate != CallState::InConf {
                    return Err(Invalid);
                }
                let pcid = m.be16(0);
                if self.pns_call_id != pcid {
                    return Err(Invalid);
                }
                self.cstate = CallState::InConf;
                return Ok(Action::ExpectGre {
                    callid: self.pac_call_id,
                    peer_callid: pcid,
                });
            }
            msg::CALL_DISCONNECT_NOTIFY => {
                self.cstate = CallState::None;
                return Ok(Action::DestroySiblings);
            }
            msg::WAN_ERROR_NOTIFY | msg::SET_LINK_INFO | msg::ECHO_REQUEST | msg::ECHO_REPLY => {}
            _ => return Err(Invalid),
        }
        Ok(Action::Nothing)
    }
}

/// The expectation's tuple (`exp->tuple`), as the keymap stores it.
fn expect_tuple(e: &NewExpect) -> Tuple {
    let mut t = Tuple::new(e.family, e.proto, e.src.unwrap_or_default(), e.dst);
    t.src_u = e.sport.unwrap_or(0);
    t.dst_u = e.dport;
    t
}

/// `nf_ct_unexpect_related()` of an expectation this master made, if it is
/// still pending.
fn unexpect(ctx: &mut HelpCtx<'_>, spec: &NewExpect) {
    ctx.expect.remove_where(ctx.id, |e| e.spec == *spec);
}

/// `exp_gre()`: expect GRE both ways (PNS->PAC keyed PNS id -> PAC id,
/// PAC->PNS the reverse) and add the keymap entries; on any failure the
/// expectations made are withdrawn (reply first).
fn exp_gre(ctx: &mut HelpCtx<'_>, callid: u16, peer_callid: u16) {
    let orig = ctx.tuple(Direction::Original);
    let reply = ctx.tuple(Direction::Reply);
    let make = |t: &Tuple, sport: u16, dport: u16| NewExpect {
        on_match: OnMatch::PptpGre,
        ..NewExpect::new(
            0,
            t.family,
            Some(t.src),
            t.dst,
            ip_proto::GRE,
            Some(sport),
            dport,
        )
    };
    let exp_orig = make(&orig, peer_callid, callid);
    let exp_reply = make(&reply, callid, peer_callid);
    if ctx.expect_related(exp_orig.clone()).is_err() {
        return;
    }
    if ctx.expect_related(exp_reply.clone()).is_err() {
        unexpect(ctx, &exp_orig);
        return;
    }
    let owner = ctx.conn.seq;
    let ok = if ctx
        .gre_keymap
        .add(owner, Direction::Original, &expect_tuple(&exp_orig))
        .is_err()
    {
        false
    } else if ctx
        .gre_keymap
        .add(owner, Direction::Reply, &expect_tuple(&exp_reply))
        .is_err()
    {
        ctx.gre_keymap.destroy(owner);
        false
    } else {
        true
    };
    if !ok {
        ctx.note(|| {
            "pptp: the keymap already maps another call of this control connection: \
             the expectations are withdrawn"
                .into()
        });
        unexpect(ctx, &exp_reply);
        unexpect(ctx, &exp_orig);
    }
}

/// `pptp_destroy_siblings()`: the keymap entries go, and the call's GRE
/// entry (or else its expectation) in each direction.
fn destroy_siblings(tuples: &[Tuple; 2], st: &PptpState, keymap: &mut GreKeymap, owner: u32) {
    keymap.destroy(owner);
    let sibling = |t: &Tuple, src_key: u16, dst_key: u16| Tuple {
        proto: ip_proto::GRE,
        src_u: src_key,
        dst_u: dst_key,
        ..*t
    };
    keymap.destroy_sibling_or_exp(sibling(&tuples[0], st.pns_call_id, st.pac_call_id));
    keymap.destroy_sibling_or_exp(sibling(&tuples[1], st.pac_call_id, st.pns_call_id));
}

/// `pptp_expectfn()`: the GRE entry an expectation just made gets the PPTP
/// timeouts, and the expectation for the other direction is removed.
pub fn expectfn(conn: &mut Conn, exp: &Expectation, expect: &mut Expectations) {
    conn.proto = ProtoState::Gre {
        timeout: GRE_TIMEOUT,
        stream_timeout: GRE_STREAM_TIMEOUT,
    };
    // nf_ct_invert_tuple(&inv_t, &exp->tuple)
    let e = &exp.spec;
    let mut inv = Tuple::new(e.family, e.proto, e.dst, e.src.unwrap_or_default());
    inv.src_u = e.dport;
    inv.dst_u = e.sport.unwrap_or(0);
    expect.unexpect(&inv);
}

pub struct Pptp;

impl Helper for Pptp {
    fn name(&self) -> &'static str {
        "pptp"
    }

    fn proto(&self) -> u8 {
        ip_proto::TCP
    }

    fn supports(&self, family: Family) -> bool {
        family == Family::Ipv4
    }

    fn policies(&self, _sysctl: &Sysctls) -> Vec<Policy> {
        vec![Policy {
            max_expected: 2,
            timeout: 5 * 60,
            name: "",
        }]
    }

    fn new_data(&self) -> HelpData {
        HelpData::Pptp(PptpState::default())
    }

    fn help(&self, ctx: &mut HelpCtx<'_>) -> HelpVerdict {
        // Don't do any tracking before the TCP handshake is complete.
        if !matches!(ctx.ctinfo, CtInfo::Established(_)) {
            return HelpVerdict::Accept;
        }
        let pkt = ctx.pkt;
        let Some(th) = header_at(pkt, ctx.protoff, 20) else {
            return HelpVerdict::Accept;
        };
        let dataoff = ctx.protoff + usize::from(th[12] >> 4) * 4;
        let payload = pkt.get(dataoff..).unwrap_or(&[]);
        let m = match parse(payload) {
            Ok(m) => m,
            Err(why) => {
                if !payload.is_empty() {
                    ctx.note(|| format!("pptp: {why}: not looked at"));
                }
                return HelpVerdict::Accept;
            }
        };
        let dir = ctx.dir();
        let Some(st) = pptp_state(ctx) else {
            return HelpVerdict::Accept;
        };
        let before = *st;
        // The kernel assumes the PNS opened the control connection.
        let step = if dir == Direction::Original {
            st.outbound(&m)
        } else {
            st.inbound(&m)
        };
        let after = *st;
        ctx.note(|| {
            let from = if dir == Direction::Original {
                "PNS"
            } else {
                "PAC"
            };
            match step {
                Err(Invalid) => format!(
                    "pptp: {} (type {}) from the {from} ignored in session state {:?}, call state {:?} \
                     (PNS call id {:#x}, PAC call id {:#x})",
                    msg_name(m.kind),
                    m.kind,
                    before.sstate,
                    before.cstate,
                    before.pns_call_id,
                    before.pac_call_id
                ),
                Ok(_) => format!(
                    "pptp: {} from the {from}: session {:?} -> {:?}, call {:?} -> {:?}",
                    msg_name(m.kind),
                    before.sstate,
                    after.sstate,
                    before.cstate,
                    after.cstate
                ),
            }
        });
        match step {
            Ok(Action::ExpectGre {
                callid,
                peer_callid,
            }) => exp_gre(ctx, callid, peer_callid),
            Ok(Action::DestroySiblings) => {
                let tuples = ctx.conn.tuples();
                let owner = ctx.conn.seq;
                destroy_siblings(&tuples, &after, ctx.gre_keymap, owner);
            }
            Ok(Action::Nothing) | Err(Invalid) => {}
        }
        HelpVerdict::Accept
    }

    fn destroy(&self, ctx: &mut DestroyCtx<'_>) {
        // helper->destroy() runs when a confirmed entry is deleted
        // (nf_ct_delete_from_lists()); an unconfirmed one is just freed.
        if ctx.gone.seq == 0 {
            return;
        }
        if let HelpData::Pptp(st) = &ctx.gone.help.data {
            destroy_siblings(&ctx.gone.tuples, st, ctx.gre_keymap, ctx.gone.seq);
        }
    }
}

fn pptp_state<'a>(ctx: &'a mut HelpCtx<'_>) -> Option<&'a mut PptpState> {
    match ctx.conn.help_mut().map(|h| &mut h.data) {
        Some(HelpData::Pptp(s)) => Some(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A control message: packet header, control header, body of `len`
    /// bytes with `fields` at its start.
    fn message(kind: u16, len: usize, fields: &[u8]) -> Vec<u8> {
        let total = PKT_HDR_LEN + CTRL_HDR_LEN + len;
        let mut v = Vec::with_capacity(total);
        v.extend_from_slice(&(total as u16).to_be_bytes());
        v.extend_from_slice(&PACKET_CONTROL.to_be_bytes());
        v.extend_from_slice(&MAGIC_COOKIE.to_be_bytes());
        v.extend_from_slice(&kind.to_be_bytes());
        v.extend_from_slice(&[0, 0]);
        let mut body = vec![0u8; len];
        body[..fields.len()].copy_from_slice(fields);
        v.extend_from_slice(&body);
        v
    }

    fn full(kind: u16, fields: &[u8]) -> Vec<u8> {
        let len = MSG_SIZE.get(usize::from(kind)).copied().unwrap_or(0);
        message(kind, len.max(fields.len()), fields)
    }

    fn step(st: &mut PptpState, from_pns: bool, bytes: &[u8]) -> Result<Action, Invalid> {
        let m = parse(bytes).expect("a control message");
        if from_pns {
            st.outbound(&m)
        } else {
            st.inbound(&m)
        }
    }

    /// callID, peersCallID, resultCode.
    fn call_reply(cid: u16, pcid: u16, result: u8) -> Vec<u8> {
        let [a, b] = cid.to_be_bytes();
        let [c, d] = pcid.to_be_bytes();
        vec![a, b, c, d, result]
    }

    #[test]
    fn header_checks() {
        let good = full(msg::ECHO_REQUEST, &[0, 0, 0, 1]);
        let m = parse(&good).unwrap();
        assert_eq!((m.kind, m.body.len()), (msg::ECHO_REQUEST, 4));
        assert_eq!(parse(&good[..7]), Err(NotTracked::NoHeader));
        assert_eq!(parse(&[]), Err(NotTracked::NoHeader));
        assert_eq!(parse(&good[..10]), Err(NotTracked::NoControlHeader));
        // An echo has no size: the bare control header will do.
        assert!(parse(&good[..12]).is_ok());
        let mut bad = good.clone();
        bad[7] ^= 1;
        assert_eq!(
            parse(&bad),
            Err(NotTracked::NotControl {
                packet_type: 1,
                cookie: 0x1a2b_3c4c
            })
        );
        let mut mgmt = good.clone();
        mgmt[3] = 2;
        assert!(matches!(
            parse(&mgmt),
            Err(NotTracked::NotControl { packet_type: 2, .. })
        ));
        // The length field is not looked at.
        let mut len0 = good.clone();
        len0[0] = 0;
        len0[1] = 0;
        assert!(parse(&len0).is_ok());
    }

    #[test]
    fn message_sizes() {
        for kind in 1..=msg::MAX {
            let need = MSG_SIZE[usize::from(kind)];
            assert!(
                parse(&message(kind, need, &[])).is_ok(),
                "{}",
                msg_name(kind)
            );
            if need > 0 {
                assert_eq!(
                    parse(&message(kind, need - 1, &[])),
                    Err(NotTracked::Short {
                        kind,
                        len: need - 1,
                        need
                    })
                );
            }
        }
        // Unknown types pass with any body; long bodies are cut to the
        // union's size.
        assert_eq!(parse(&message(0, 0, &[])).unwrap().kind, 0);
        assert_eq!(parse(&message(16, 1, &[])).unwrap().kind, 16);
        assert_eq!(parse(&message(0xffff, 0, &[])).unwrap().kind, 0xffff);
        assert_eq!(
            parse(&message(msg::ECHO_REPLY, 1000, &[]))
                .unwrap()
                .body
                .len(),
            208
        );
    }

    /// The PNS's session up to a confirmed control connection.
    fn confirmed() -> PptpState {
        let mut st = PptpState::default();
        assert_eq!(
            step(&mut st, true, &full(msg::START_SESSION_REQUEST, &[])),
            Ok(Action::Nothing)
        );
        assert_eq!(st.sstate, SessionState::Requested);
        step(&mut st, false, &full(msg::START_SESSION_REPLY, &[0, 1, 1])).unwrap();
        assert_eq!(st.sstate, SessionState::Confirmed);
        st
    }

    #[test]
    fn outgoing_call_ids() {
        let mut st = confirmed();
        step(&mut st, true, &full(msg::OUT_CALL_REQUEST, &[0x11, 0x11])).unwrap();
        assert_eq!((st.cstate, st.pns_call_id), (CallState::OutReq, 0x1111));
        // Not the PNS's call id: ignored.
        assert_eq!(
            step(
                &mut st,
                false,
                &full(msg::OUT_CALL_REPLY, &call_reply(0x2222, 0x9999, 1))
            ),
            Err(Invalid)
        );
        assert_eq!(st.cstate, CallState::OutReq);
        assert_eq!(
            step(
                &mut st,
                false,
                &full(msg::OUT_CALL_REPLY, &call_reply(0x2222, 0x1111, 1))
            ),
            Ok(Action::ExpectGre {
                callid: 0x2222,
                peer_callid: 0x1111
            })
        );
        assert_eq!((st.cstate, st.pac_call_id), (CallState::OutConf, 0x2222));
        // A retransmitted reply expects again.
        assert!(matches!(
            step(
                &mut st,
                false,
                &full(msg::OUT_CALL_REPLY, &call_reply(0x2222, 0x1111, 1))
            ),
            Ok(Action::ExpectGre { .. })
        ));
        step(&mut st, true, &full(msg::CALL_CLEAR_REQUEST, &[0x11, 0x11])).unwrap();
        assert_eq!(st.cstate, CallState::ClearReq);
        assert_eq!(
            step(
                &mut st,
                false,
                &full(msg::CALL_DISCONNECT_NOTIFY, &[0x22, 0x22])
            ),
            Ok(Action::DestroySiblings)
        );
        assert_eq!(st.cstate, CallState::None);
        // The ids stay for pptp_destroy_siblings() at the end.
        assert_eq!((st.pns_call_id, st.pac_call_id), (0x1111, 0x2222));
    }

    #[test]
    fn a_failed_call_resets_the_call_state() {
        let mut st = confirmed();
        step(&mut st, true, &full(msg::OUT_CALL_REQUEST, &[0x11, 0x11])).unwrap();
        assert_eq!(
            step(
                &mut st,
                false,
                &full(msg::OUT_CALL_REPLY, &call_reply(0x2222, 0x1111, 2))
            ),
            Ok(Action::Nothing)
        );
        assert_eq!((st.cstate, st.pac_call_id), (CallState::None, 0));
        assert_eq!(
            step(
                &mut st,
                false,
                &full(msg::OUT_CALL_REPLY, &call_reply(0x2222, 0x1111, 1))
            ),
            Err(Invalid),
            "no call requested"
        );
    }

    #[test]
    fn incoming_call_three_way_handshake() {
        let mut st = confirmed();
        step(&mut st, false, &full(msg::IN_CALL_REQUEST, &[0x33, 0x33])).unwrap();
        assert_eq!((st.cstate, st.pac_call_id), (CallState::InReq, 0x3333));
        assert_eq!(
            step(
                &mut st,
                true,
                &full(msg::IN_CALL_REPLY, &call_reply(0x4444, 0x3334, 1))
            ),
            Err(Invalid),
            "not the PAC's id"
        );
        step(
            &mut st,
            true,
            &full(msg::IN_CALL_REPLY, &call_reply(0x4444, 0x3333, 1)),
        )
        .unwrap();
        assert_eq!((st.cstate, st.pns_call_id), (CallState::InRep, 0x4444));
        assert_eq!(
            step(&mut st, false, &full(msg::IN_CALL_CONNECT, &[0x44, 0x45])),
            Err(Invalid)
        );
        assert_eq!(
            step(&mut st, false, &full(msg::IN_CALL_CONNECT, &[0x44, 0x44])),
            Ok(Action::ExpectGre {
                callid: 0x3333,
                peer_callid: 0x4444
            })
        );
        assert_eq!(st.cstate, CallState::InConf);
        // An incoming call refused by the PNS.
        let mut st = confirmed();
        step(&mut st, false, &full(msg::IN_CALL_REQUEST, &[0x33, 0x33])).unwrap();
        step(
            &mut st,
            true,
            &full(msg::IN_CALL_REPLY, &call_reply(0x4444, 0x3333, 3)),
        )
        .unwrap();
        assert_eq!((st.cstate, st.pns_call_id), (CallState::None, 0));
    }

    #[test]
    fn session_states_and_wrong_sides() {
        let mut st = PptpState::default();
        // Nothing before a request.
        assert_eq!(
            step(&mut st, false, &full(msg::START_SESSION_REPLY, &[0, 1, 1])),
            Err(Invalid)
        );
        assert_eq!(
            step(&mut st, true, &full(msg::OUT_CALL_REQUEST, &[1, 1])),
            Err(Invalid)
        );
        step(&mut st, true, &full(msg::START_SESSION_REQUEST, &[])).unwrap();
        assert_eq!(
            step(&mut st, true, &full(msg::START_SESSION_REQUEST, &[])),
            Err(Invalid),
            "only once"
        );
        // A refused session.
        step(&mut st, false, &full(msg::START_SESSION_REPLY, &[0, 1, 2])).unwrap();
        assert_eq!(st.sstate, SessionState::Error);
        // Messages from the wrong side, unknown types: ignored.
        let mut st = confirmed();
        for (from_pns, kind) in [
            (false, msg::START_SESSION_REQUEST),
            (false, msg::OUT_CALL_REQUEST),
            (false, msg::CALL_CLEAR_REQUEST),
            (false, msg::IN_CALL_REPLY),
            (true, msg::START_SESSION_REPLY),
            (true, msg::OUT_CALL_REPLY),
            (true, msg::CALL_DISCONNECT_NOTIFY),
            (true, msg::WAN_ERROR_NOTIFY),
            (true, 0),
            (false, 16),
        ] {
            let before = st;
            assert_eq!(
                step(&mut st, from_pns, &full(kind, &[])),
                Err(Invalid),
                "{}",
                msg_name(kind)
            );
            assert_eq!(st, before);
        }
        for (from_pns, kind) in [
            (true, msg::ECHO_REQUEST),
            (false, msg::ECHO_REPLY),
            (true, msg::SET_LINK_INFO),
            (false, msg::WAN_ERROR_NOTIFY),
            (false, msg::SET_LINK_INFO),
        ] {
            assert_eq!(
                step(&mut st, from_pns, &full(kind, &[])),
                Ok(Action::Nothing)
            );
        }
        // Stopping: the reply is taken only from STOPREQ or below.
        assert_eq!(
            step(&mut st, false, &full(msg::STOP_SESSION_REPLY, &[1])),
            Err(Invalid)
        );
        step(&mut st, true, &full(msg::STOP_SESSION_REQUEST, &[])).unwrap();
        assert_eq!(st.sstate, SessionState::StopReq);
        step(&mut st, false, &full(msg::STOP_SESSION_REPLY, &[1])).unwrap();
        assert_eq!(st.sstate, SessionState::None);
        step(&mut st, false, &full(msg::STOP_SESSION_REPLY, &[2])).unwrap();
        assert_eq!(st.sstate, SessionState::Error);
    }

    #[test]
    fn names() {
        assert_eq!(msg_name(msg::OUT_CALL_REPLY), "OUT_CALL_REPLY");
        assert_eq!(msg_name(0), "UNKNOWN_MESSAGE");
        assert_eq!(msg_name(200), "UNKNOWN_MESSAGE");
    }
}
