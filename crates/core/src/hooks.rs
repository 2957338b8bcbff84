//! Where a packet filter plugs into the tracker: the netfilter hooks around
//! conntrack, reduced to the two moments conntrack cares about.
//!
//! In the kernel a packet meets, per hook, base chains in priority order:
//! `raw` (-300) before conntrack (-200), then `mangle`, `nat`, `filter`,
//! `security` and nftables chains at their priorities, and at the end of the
//! packet's path the helpers (300) and confirmation. So a ruleset can act
//! on a packet before it is tracked (drop it, `NOTRACK` it, or give its new
//! connection a helper or zone with `-j CT`), and after it was classified
//! but before its new entry is confirmed (accept or drop it; a dropped NEW
//! packet leaves no entry behind, so its retransmission is NEW again).
//!
//! [`Hooks`] is that interface; the ruleset engine (`ctrack-rules`)
//! implements it with the whole hook path (PREROUTING, INPUT, FORWARD,
//! OUTPUT, POSTROUTING). The tracker stays free of rule logic.

use crate::ctinfo::{CtState, Direction};
use crate::helper::HelperId;
use crate::status::Status;
use crate::tuple::{Family, Tuple};

/// A packet as the hooks see it (after defragmentation).
#[derive(Debug, Clone, Copy)]
pub struct HookPacket<'a> {
    pub family: Family,
    /// The IP packet.
    pub pkt: &'a [u8],
    /// Offset and protocol of the transport header, when one is reachable.
    pub l4: Option<(usize, u8)>,
}

/// What the `conntrack` match sees of a packet's entry.
#[derive(Debug, Clone, Copy)]
pub struct CtSnapshot {
    /// NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED.
    pub state: CtState,
    pub dir: Option<Direction>,
    pub status: Status,
    /// Original and reply tuples of the entry.
    pub tuples: Option<[Tuple; 2]>,
    pub helper: Option<&'static str>,
    pub mark: u32,
    pub zone: u16,
    /// The entry's protocol state name (TCP, SCTP, DCCP), for display.
    pub proto_state: Option<&'static str>,
}

/// The decision before conntrack (the `raw` table, priority -300).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pre {
    Continue,
    /// Dropped before conntrack: the rule that did it.
    Drop(String),
    /// `-j CT --notrack` / `NOTRACK` / nft `notrack`: UNTRACKED.
    NoTrack,
    /// `-j CT --helper NAME --zone N`: what a new connection starts with.
    Template {
        helper: Option<HelperId>,
        zone: Option<u16>,
    },
}

/// The decision after conntrack, before helpers and confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Post {
    /// Accepted; `ctmark` the connection mark rules set (`CONNMARK`,
    /// nft `ct mark set`), if they changed it.
    Accept { ctmark: Option<u32> },
    /// Dropped (or rejected): the rule that did it.
    Drop(String),
}

/// A packet filter around the tracker.
pub trait Hooks {
    /// Whether there is any filter at all (the tracker skips the hooks'
    /// bookkeeping when not).
    fn active(&self) -> bool {
        true
    }

    /// The hooks' chains before conntrack.
    fn before_conntrack(&mut self, pkt: &HookPacket<'_>) -> Pre {
        let _ = pkt;
        Pre::Continue
    }

    /// The hooks' chains after conntrack: every packet that conntrack did
    /// not itself drop gets here, whatever its state (INVALID and
    /// UNTRACKED included).
    fn after_conntrack(&mut self, pkt: &HookPacket<'_>, ct: &CtSnapshot) -> Post {
        let _ = (pkt, ct);
        Post::Accept { ctmark: None }
    }
}

/// No filter: every packet is accepted.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoHooks;

impl Hooks for NoHooks {
    fn active(&self) -> bool {
        false
    }
}
