//! Stateful firewall rulesets evaluated on tracked traffic.
//!
//! Rulesets in `iptables-save` / `ip6tables-save` format ([`iptables`]) and
//! in `nft list ruleset` format ([`nft`]) are parsed into rule sources whose
//! base chains sit on the netfilter hooks at their priorities. The
//! [`pipeline::Pipeline`] walks each packet along the kernel's path —
//! PREROUTING then INPUT for a local destination, OUTPUT then POSTROUTING
//! for a local source, PREROUTING, FORWARD and POSTROUTING otherwise — and
//! plugs into the tracker through [`ctrack_core::hooks::Hooks`]: the chains
//! before conntrack's priority (-200) run before tracking, the others after
//! it and before confirmation, so a NEW packet dropped anywhere leaves no
//! entry.
//!
//! Parsing never ignores what it does not understand: every unsupported
//! construct is an error naming the file, line and column.

pub mod answers;
pub mod host;
pub mod iptables;
pub mod lint;
pub mod model;
pub mod nft;
pub mod pipeline;

pub use model::{
    BaseChainId, ChainFamily, ChainResult, Hook, Meta, PacketInfo, ParseError, RejectWith, RuleRef,
    RuleSource,
};
pub use pipeline::{Decision, Pipeline};
