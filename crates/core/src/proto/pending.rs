//! A stand-in for a protocol whose faithful tracker has not landed yet: the
//! ports go into the tuple as the kernel's would, and the entry is kept like
//! a generic one. Every verdict carries a note naming the issue that brings
//! the real tracker, so no output passes for the kernel's.

use super::{L4Proto, PacketCtx, PacketOutcome, TupleKind, ports_to_tuple};
use crate::reason::Reason;
use crate::tuple::Tuple;

pub struct Pending {
    pub proto: u8,
    pub name: &'static str,
    pub issue: u32,
}

impl L4Proto for Pending {
    fn tuple_kind(&self) -> TupleKind {
        TupleKind::Ports
    }

    fn name(&self) -> &'static str {
        self.name
    }

    fn pkt_to_tuple(&self, pkt: &[u8], dataoff: usize, tuple: &mut Tuple) -> bool {
        ports_to_tuple(pkt, dataoff, tuple)
    }

    fn packet(&self, ctx: &mut PacketCtx<'_>) -> PacketOutcome {
        ctx.refresh(ctx.sysctl.generic_timeout);
        PacketOutcome::Accept
    }

    fn note(&self) -> Option<Reason> {
        Some(Reason::NotYetTracked {
            proto: self.proto,
            issue: self.issue,
        })
    }
}
