//! Protocols without a tracker of their own: `generic_packet()` in
//! `nf_conntrack_core.c` (formerly `nf_conntrack_proto_generic.c`).
//! The tuple holds addresses and protocol only; every packet refreshes the
//! entry to `nf_conntrack_generic_timeout`; the entry is never ASSURED.

use super::{L4Proto, PacketCtx, PacketOutcome};

pub struct Generic;

impl L4Proto for Generic {
    fn name(&self) -> &'static str {
        "unknown"
    }

    fn packet(&self, ctx: &mut PacketCtx<'_>) -> PacketOutcome {
        ctx.refresh(ctx.sysctl.generic_timeout);
        PacketOutcome::Accept
    }
}
