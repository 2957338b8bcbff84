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
    /// When it is handled, in jiffies.
    pub time: crate::time::Ticks,
}

/// What the `conntrack` match sees of a packet's entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CtSnapshot {
    /// NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED.
    pub state: CtState,
    pub dir: Option<Direction>,
    pub status: Status,
    /// Original and reply tuples of the entry.
    pub tuples: Option<[Tuple; 2]>,
    pub helper: Option<&'static str>,
    /// The helper of the entry's master, for an expected connection (what
    /// `-m helper --helper` and nft `ct helper` compare).
    pub master_helper: Option<&'static str>,
    pub mark: u32,
    pub zone: crate::zone::Zone,
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
        zone: Option<crate::zone::Zone>,
    },
    /// A packet the host generated in answer to another one (a REJECT's
    /// TCP reset or ICMP error, an ICMP error of the forwarding code): the
    /// kernel attaches the answered packet's entry to it
    /// (`nf_ct_attach()`), so conntrack does not look at it and it is
    /// RELATED in the other direction. `answered` is what the rules saw of
    /// the answered packet's entry (its state as it was then; the tracker
    /// takes the current status of a confirmed one); `why` says what
    /// generated it.
    Attached {
        answered: CtSnapshot,
        why: String,
    },
}

/// The decision after conntrack, before helpers and confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Post {
    /// Accepted; `ctmark` the connection mark rules set (`CONNMARK`,
    /// nft `ct mark set`), if they changed it; `helper` a helper rules
    /// attached after conntrack (nft `ct helper set` in a filter chain),
    /// which a new entry without one takes.
    Accept {
        ctmark: Option<u32>,
        helper: Option<HelperId>,
    },
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
        Post::Accept {
            ctmark: None,
            helper: None,
        }
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
