//! ICMPv6: `nf_conntrack_proto_icmpv6.c`.
//!
//! Echo and node-information queries are tracked like ICMP queries; only a
//! request creates an entry. Neighbour and router discovery and MLD are
//! never tracked (`IP_CT_UNTRACKED`). Errors (types below 128) and redirects
//! with a redirected-header option are RELATED to the entry they quote.

use super::{
    ErrorCtx, ErrorOutcome, L4Proto, PacketCtx, PacketOutcome, TupleKind, inet_error::inet_error,
};
use crate::reason::Reason;
use crate::tuple::{Addr, Family, Tuple};
use crate::wire::icmpv6::{self, types};
use crate::wire::{checksum, header_at, ip_proto};

pub struct Icmpv6;

/// `invmap[]` (types 128..140).
fn inverse_type(kind: u8) -> Option<u8> {
    Some(match kind {
        types::ECHO_REQUEST => types::ECHO_REPLY,
        types::ECHO_REPLY => types::ECHO_REQUEST,
        types::NI_QUERY => types::NI_REPLY,
        types::NI_REPLY => types::NI_QUERY,
        _ => return None,
    })
}

/// `noct_valid_new[]`: never tracked.
fn not_tracked(kind: u8) -> bool {
    matches!(
        kind,
        types::MGM_QUERY
            | types::MGM_REPORT
            | types::MGM_REDUCTION
            | types::ROUTER_SOLICITATION
            | types::ROUTER_ADVERTISEMENT
            | types::NEIGHBOUR_SOLICITATION
            | types::NEIGHBOUR_ADVERTISEMENT
            | types::MLD2_REPORT
            | types::MRDISC_ADV
            | types::MRDISC_SOL
    )
}

/// `struct rd_msg`: ICMPv6 header, target and destination addresses.
const RD_MSG_LEN: usize = 40;
/// `ND_OPT_REDIRECT_HDR`.
const ND_OPT_REDIRECT_HDR: u8 = 4;

/// `ipv6_addr_type() & IPV6_ADDR_LINKLOCAL`: fe80::/10.
fn is_link_local(a: &[u8]) -> bool {
    a[0] == 0xfe && a[1] & 0xc0 == 0x80
}

/// `nf_conntrack_icmpv6_redirect()`: a redirect carrying a redirected
/// header is checked like an error about the packet it quotes.
fn redirect(ctx: &ErrorCtx<'_>) -> ErrorOutcome {
    let Some(rd) = header_at(ctx.pkt, ctx.dataoff, RD_MSG_LEN) else {
        return ErrorOutcome::Invalid(log("short redirect"));
    };
    if rd[1] != 0 {
        return ErrorOutcome::Continue;
    }
    let hop_limit = ctx.pkt[7];
    if hop_limit != 255 || !is_link_local(&ctx.pkt[8..24]) {
        return ErrorOutcome::Invalid(log("invalid saddr or hoplimit for redirect"));
    }
    let opt_at = ctx.dataoff + RD_MSG_LEN;
    match header_at(ctx.pkt, opt_at, 2) {
        Some(o) if o[1] != 0 => {
            if o[0] != ND_OPT_REDIRECT_HDR {
                return ErrorOutcome::Continue;
            }
        }
        _ => return ErrorOutcome::Invalid(log("redirect without options")),
    }
    let mut daddr = [0; 16];
    daddr.copy_from_slice(&ctx.pkt[24..40]);
    inet_error(ctx, opt_at + 8, ip_proto::ICMPV6, Addr::v6(daddr))
}

fn log(msg: &'static str) -> Reason {
    Reason::L4 {
        proto: ip_proto::ICMPV6,
        msg,
    }
}

impl L4Proto for Icmpv6 {
    fn tuple_kind(&self) -> TupleKind {
        TupleKind::Icmp
    }

    fn name(&self) -> &'static str {
        "icmpv6"
    }

    /// `icmpv6_pkt_to_tuple()`.
    fn pkt_to_tuple(&self, pkt: &[u8], dataoff: usize, tuple: &mut Tuple) -> bool {
        let Some(h) = header_at(pkt, dataoff, icmpv6::HEADER_LEN) else {
            return false;
        };
        let p = icmpv6::Packet::new_unchecked(h);
        tuple.set_icmp(p.msg_type(), p.msg_code(), p.ident());
        true
    }

    /// `nf_conntrack_invert_icmpv6_tuple()`.
    fn invert(&self, orig: &Tuple, inverse: &mut Tuple) -> bool {
        match inverse_type(orig.icmp_type()) {
            Some(t) => {
                inverse.set_icmp(t, orig.icmp_code(), orig.icmp_id());
                true
            }
            None => false,
        }
    }

    /// `nf_conntrack_icmpv6_error()`.
    fn error(&self, ctx: &ErrorCtx<'_>) -> ErrorOutcome {
        if ctx.family != Family::Ipv6 {
            return ErrorOutcome::Continue;
        }
        let Some(h) = header_at(ctx.pkt, ctx.dataoff, icmpv6::HEADER_LEN) else {
            return ErrorOutcome::Invalid(log("short packet"));
        };
        if ctx.sysctl.checksum != 0 {
            let mut s = [0; 16];
            let mut d = [0; 16];
            s.copy_from_slice(&ctx.pkt[8..24]);
            d.copy_from_slice(&ctx.pkt[24..40]);
            let len = (ctx.pkt.len() - ctx.dataoff) as u32;
            let acc = checksum::pseudo_v6(s, d, ip_proto::ICMPV6, len);
            if checksum::fold(checksum::sum(acc, &ctx.pkt[ctx.dataoff..])) != 0 {
                return ErrorOutcome::Invalid(log("ICMPv6 checksum failed"));
            }
        }
        let kind = h[0];
        if not_tracked(kind) {
            return ErrorOutcome::Untracked(Reason::Icmpv6NotTracked { kind });
        }
        if kind == types::REDIRECT {
            return redirect(ctx);
        }
        if !icmpv6::is_error(kind) {
            return ErrorOutcome::Continue;
        }
        let mut daddr = [0; 16];
        daddr.copy_from_slice(&ctx.pkt[24..40]);
        inet_error(
            ctx,
            ctx.dataoff + icmpv6::HEADER_LEN,
            ip_proto::ICMPV6,
            Addr::v6(daddr),
        )
    }

    /// `nf_conntrack_icmpv6_packet()`.
    fn packet(&self, ctx: &mut PacketCtx<'_>) -> PacketOutcome {
        if ctx.family != Family::Ipv6 {
            return PacketOutcome::Invalid(Reason::WrongFamily {
                proto: ip_proto::ICMPV6,
            });
        }
        if !ctx.confirmed() {
            let kind = ctx.conn.orig().icmp_type();
            if !matches!(kind, types::ECHO_REQUEST | types::NI_QUERY) {
                return PacketOutcome::Invalid(Reason::CantCreate {
                    proto: ip_proto::ICMPV6,
                    kind,
                });
            }
        }
        ctx.refresh(ctx.sysctl.icmpv6_timeout);
        PacketOutcome::Accept
    }
}
