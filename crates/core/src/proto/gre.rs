//! GRE: `nf_conntrack_proto_gre.c`.
//!
//! Version 0 GRE is keyed on addresses only, as the generic tracker would
//! (the GRE key is ignored); version 1 (PPTP's enhanced GRE) puts the call
//! id in the tuple as destination key. Its source key comes from the keymap
//! the PPTP helper installs ([`crate::gre_keymap`], looked up by the tracker
//! right after [`L4Proto::pkt_to_tuple`], and for quoted packets by the ICMP
//! error check); this tracker alone leaves it 0. Entries use
//! `nf_conntrack_gre_timeout` until a reply is seen, then
//! `nf_conntrack_gre_timeout_stream` and ASSURED; those are set on an
//! entry's first packet, overriding what `pptp_expectfn()` set.

use super::{L4Proto, PacketCtx, PacketOutcome, TupleKind};
use crate::conn::{Conn, ProtoState};
use crate::status::Status;
use crate::tuple::Tuple;
use crate::wire::{gre, header_at};
use core::fmt;

pub struct Gre;

impl L4Proto for Gre {
    fn tuple_kind(&self) -> TupleKind {
        TupleKind::GreKeys
    }

    fn name(&self) -> &'static str {
        "gre"
    }

    /// `gre_pkt_to_tuple()`.
    fn pkt_to_tuple(&self, pkt: &[u8], dataoff: usize, tuple: &mut Tuple) -> bool {
        let Some(h) = header_at(pkt, dataoff, gre::BASE_LEN) else {
            tuple.src_u = 0;
            tuple.dst_u = 0;
            return true;
        };
        let g = gre::Packet::new_unchecked(h);
        if g.version() != 1 {
            tuple.src_u = 0;
            tuple.dst_u = 0;
            return true;
        }
        let Some(h8) = header_at(pkt, dataoff, 8) else {
            return true;
        };
        if g.protocol() != gre::PROTO_PPP {
            return false;
        }
        let v1 = gre::Packet::new_unchecked(h8);
        tuple.dst_u = v1.call_id().unwrap_or(0);
        // gre_keymap_lookup(): see GreKeymap::fix_up_tuple().
        tuple.src_u = 0;
        true
    }

    fn packet(&self, ctx: &mut PacketCtx<'_>) -> PacketOutcome {
        if !ctx.confirmed() {
            ctx.conn.proto = ProtoState::Gre {
                timeout: ctx.sysctl.gre_timeout,
                stream_timeout: ctx.sysctl.gre_timeout_stream,
            };
        }
        let (timeout, stream_timeout) = match ctx.conn.proto {
            ProtoState::Gre {
                timeout,
                stream_timeout,
            } => (timeout, stream_timeout),
            _ => (ctx.sysctl.gre_timeout, ctx.sysctl.gre_timeout_stream),
        };
        let status = ctx.conn.status;
        if status.contains(Status::SEEN_REPLY) {
            ctx.refresh(stream_timeout);
            if !status.contains(Status::NAT_CLASH) {
                ctx.conn.status.insert(Status::ASSURED);
            }
        } else {
            ctx.refresh(timeout);
        }
        PacketOutcome::Accept
    }

    fn print_conntrack(&self, conn: &Conn, out: &mut dyn fmt::Write) -> fmt::Result {
        if let ProtoState::Gre {
            timeout,
            stream_timeout,
        } = conn.proto
        {
            write!(out, "timeout={timeout}, stream_timeout={stream_timeout} ")?;
        }
        Ok(())
    }
}
