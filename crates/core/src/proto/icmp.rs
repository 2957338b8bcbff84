//! ICMP over IPv4: `nf_conntrack_proto_icmp.c`.
//!
//! Queries (echo, timestamp, information, address mask) are tracked by
//! identifier, type and code; the reply type is the inverse. Only a request
//! can create an entry. Errors are RELATED to the entry they quote
//! (`inet_error`). Every packet refreshes the entry to
//! `nf_conntrack_icmp_timeout`; the entry is never ASSURED and is not
//! removed by the reply (duplicated replies stay ESTABLISHED).

use super::{
    ErrorCtx, ErrorOutcome, L4Proto, PacketCtx, PacketOutcome, TupleKind, inet_error::inet_error,
};
use crate::reason::Reason;
use crate::tuple::{Addr, Family, Tuple};
use crate::wire::icmp::{self, types};
use crate::wire::{checksum, header_at, ip_proto};

pub struct Icmp;

/// `invmap[]`: the reply type of each query type.
fn inverse_type(kind: u8) -> Option<u8> {
    Some(match kind {
        types::ECHO => types::ECHO_REPLY,
        types::ECHO_REPLY => types::ECHO,
        types::TIMESTAMP => types::TIMESTAMP_REPLY,
        types::TIMESTAMP_REPLY => types::TIMESTAMP,
        types::INFO_REQUEST => types::INFO_REPLY,
        types::INFO_REPLY => types::INFO_REQUEST,
        types::ADDRESS => types::ADDRESS_REPLY,
        types::ADDRESS_REPLY => types::ADDRESS,
        _ => return None,
    })
}

/// `valid_new[]`: the types that may create an entry.
fn valid_new(kind: u8) -> bool {
    matches!(
        kind,
        types::ECHO | types::TIMESTAMP | types::INFO_REQUEST | types::ADDRESS
    )
}

fn log(msg: &'static str) -> Reason {
    Reason::L4 {
        proto: ip_proto::ICMP,
        msg,
    }
}

impl L4Proto for Icmp {
    fn tuple_kind(&self) -> TupleKind {
        TupleKind::Icmp
    }

    fn name(&self) -> &'static str {
        "icmp"
    }

    /// `icmp_pkt_to_tuple()`.
    fn pkt_to_tuple(&self, pkt: &[u8], dataoff: usize, tuple: &mut Tuple) -> bool {
        let Some(h) = header_at(pkt, dataoff, icmp::HEADER_LEN) else {
            return false;
        };
        let p = icmp::Packet::new_unchecked(h);
        tuple.set_icmp(p.msg_type(), p.msg_code(), p.ident());
        true
    }

    /// `nf_conntrack_invert_icmp_tuple()`.
    fn invert(&self, orig: &Tuple, inverse: &mut Tuple) -> bool {
        match inverse_type(orig.icmp_type()) {
            Some(t) => {
                inverse.set_icmp(t, orig.icmp_code(), orig.icmp_id());
                true
            }
            None => false,
        }
    }

    /// `nf_conntrack_icmpv4_error()`.
    fn error(&self, ctx: &ErrorCtx<'_>) -> ErrorOutcome {
        if ctx.family != Family::Ipv4 {
            return ErrorOutcome::Continue;
        }
        let Some(h) = header_at(ctx.pkt, ctx.dataoff, icmp::HEADER_LEN) else {
            return ErrorOutcome::Invalid(log("short packet"));
        };
        if ctx.sysctl.checksum != 0 && checksum::checksum(&ctx.pkt[ctx.dataoff..]) != 0 {
            return ErrorOutcome::Invalid(log("bad hw icmp checksum"));
        }
        let kind = h[0];
        if kind > types::NR_ICMP_TYPES {
            return ErrorOutcome::Invalid(log("invalid icmp type"));
        }
        if !icmp::is_error(kind) {
            return ErrorOutcome::Continue;
        }
        let mut daddr = [0; 4];
        daddr.copy_from_slice(&ctx.pkt[16..20]);
        inet_error(
            ctx,
            ctx.dataoff + icmp::HEADER_LEN,
            ip_proto::ICMP,
            Addr::v4(daddr),
        )
    }

    /// `nf_conntrack_icmp_packet()`.
    fn packet(&self, ctx: &mut PacketCtx<'_>) -> PacketOutcome {
        if ctx.family != Family::Ipv4 {
            return PacketOutcome::Invalid(Reason::WrongFamily {
                proto: ip_proto::ICMP,
            });
        }
        let kind = ctx.conn.orig().icmp_type();
        if !valid_new(kind) {
            return PacketOutcome::Invalid(Reason::CantCreate {
                proto: ip_proto::ICMP,
                kind,
            });
        }
        ctx.refresh(ctx.sysctl.icmp_timeout);
        PacketOutcome::Accept
    }
}
