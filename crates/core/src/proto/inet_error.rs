//! `nf_conntrack_inet_error()` (in `nf_conntrack_proto_icmp.c`): an ICMP or
//! ICMPv6 error is RELATED to the entry its quoted packet belongs to.
//!
//! The quoted header is read as a packet of its own (`nf_ct_get_tuplepr()`),
//! its tuple inverted (the quote travelled the other way), and looked up in
//! both directions. The entry must also be one whose destination in the
//! found direction is the error's outer destination.

use super::{ErrorCtx, ErrorOutcome, find_with};
use crate::reason::Reason;
use crate::tracker::{base_tuple, get_l4proto};
use crate::tuple::{Addr, KernelAddr};

/// `dataoff` is the offset of the quoted IP header; `outer_proto` the
/// protocol number the kernel logs under.
pub fn inet_error(
    ctx: &ErrorCtx<'_>,
    dataoff: usize,
    outer_proto: u8,
    outer_daddr: Addr,
) -> ErrorOutcome {
    let bad = |what| {
        ErrorOutcome::Invalid(Reason::ErrorBadQuote {
            proto: outer_proto,
            what,
        })
    };
    let Some(inner) = ctx.pkt.get(dataoff..) else {
        return bad("nothing quoted");
    };
    let (inner_off, inner_proto) = match get_l4proto(ctx.family, inner) {
        Ok(x) => x,
        Err(_) => return bad("quoted IP header unreadable or a non-first fragment"),
    };
    let Some(mut orig) = base_tuple(ctx.family, inner, inner_proto) else {
        return bad("quoted addresses missing");
    };
    let l4 = find_with(ctx.family, inner_proto, ctx.dccp_tracker);
    if !l4.pkt_to_tuple(inner, inner_off, &mut orig) {
        return bad("quoted transport header too short");
    }
    if inner_proto == crate::wire::ip_proto::GRE && !ctx.gre_keymap.is_empty() {
        ctx.gre_keymap.fix_up_tuple(inner, inner_off, &mut orig);
    }
    let mut inverse = orig.swapped_addrs();
    if !l4.invert(&orig, &mut inverse) {
        return bad("quoted packet has no reply (an error about an error?)");
    }
    let Some((id, dir)) = ctx.table.find_in(&inverse, ctx.zone, ctx.now) else {
        return ErrorOutcome::Invalid(Reason::ErrorNoMatch { proto: outer_proto });
    };
    let conn = match ctx.table.get(id) {
        Some(c) => c,
        None => return ErrorOutcome::Invalid(Reason::ErrorNoMatch { proto: outer_proto }),
    };
    let ct_daddr = conn.tuple(dir).dst;
    if ct_daddr != outer_daddr {
        return ErrorOutcome::Invalid(Reason::L4Text {
            proto: outer_proto,
            msg: format!(
                "outer daddr {} != inner {}",
                KernelAddr(ctx.family, outer_daddr),
                KernelAddr(ctx.family, ct_daddr)
            ),
        });
    }
    ErrorOutcome::Related { id, dir }
}
