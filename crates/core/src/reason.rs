//! Why a packet got the verdict it got, in words.
//!
//! Where the kernel logs the case (`nf_l4proto_log_invalid()`, seen with
//! `nf_conntrack_log_invalid`), the message text is the kernel's, and
//! [`Reason::kernel_log`] gives the exact line `nf_log` prints
//! (`nf_ct_proto_17: truncated/malformed packet`). Cases the kernel handles
//! silently get ctrack's own words.

use crate::wire::link::LinkError;
use core::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    // ---- the packet never reaches conntrack (no ctstate) ----
    /// Not an IP packet (ARP, LLDP...): bridged without conntrack.
    NotIp { ethertype: u16 },
    /// The frame has no network layer ctrack can find.
    Link(LinkError),
    /// br_netfilter / ip_rcv drop it before the hooks: bad IPv4 header.
    Ipv4Header(&'static str),
    /// ... bad IPv4 header checksum.
    Ipv4Checksum { found: u16, expected: u16 },
    /// ... the packet is shorter than its IP header says (snaplen cut).
    Truncated { have: usize, need: usize },
    /// ... bad IPv6 header.
    Ipv6Header(&'static str),
    /// An IP fragment held until its datagram completes (conntrack only
    /// sees reassembled datagrams).
    FragmentQueued,
    /// A fragment the reassembly dropped.
    FragmentDropped(&'static str),
    /// The table is full and nothing could be dropped early.
    TableFull,
    /// Dropped by a rule before conntrack (the raw table).
    HookDrop(String),
    /// `NOTRACK`: conntrack leaves the packet alone.
    NoTrack,
    /// Classified, then dropped by the entry's helper (`nf_ct_helper_log()`).
    HelperDrop { helper: &'static str, msg: String },
    /// Seen by conntrack, then dropped by br_netfilter's second check on
    /// the FORWARD hook before confirmation (no verdict, no new entry).
    ForwardDrop(&'static str),

    // ---- INVALID ----
    /// `get_l4proto()` found no trackable layer-4 header.
    NoL4Proto(&'static str),
    /// The layer-4 header is too short for the tuple (ports, ICMP header).
    NoTuple { proto: u8 },
    /// No reply tuple exists for this packet (`nf_ct_invert_tuple()` fails).
    NoInverse { proto: u8, kind: u8 },
    /// A protocol tracker's check, logged by the kernel under this protocol.
    L4 { proto: u8, msg: &'static str },
    /// Same, with a formatted message.
    L4Text { proto: u8, msg: String },
    /// ICMP/ICMPv6 reply or other message that cannot open an entry.
    CantCreate { proto: u8, kind: u8 },
    /// ICMP inside IPv6 or ICMPv6 inside IPv4.
    WrongFamily { proto: u8 },
    /// An ICMP error whose quoted packet belongs to no entry.
    ErrorNoMatch { proto: u8 },
    /// A TCP segment that is not a SYN cannot open an entry with
    /// `nf_conntrack_tcp_loose=0` (the kernel logs nothing).
    TcpNoPickup,
    /// An SCTP packet the tracker refuses without logging it.
    SctpInvalid(&'static str),
    /// A packet a protocol tracker refuses without logging it (DCCP's
    /// header pulls).
    L4Silent { proto: u8, what: &'static str },
    /// An ICMP error whose quoted packet cannot be read.
    ErrorBadQuote { proto: u8, what: &'static str },

    // ---- UNTRACKED ----
    /// ICMPv6 neighbour discovery, router discovery and MLD.
    Icmpv6NotTracked { kind: u8 },
}

impl Reason {
    /// The `nf_log` line the kernel writes for this case with
    /// `nf_conntrack_log_invalid` set, or `None` when it logs nothing.
    pub fn kernel_log(&self) -> Option<String> {
        match self {
            Reason::L4 { proto, msg } => Some(format!("nf_ct_proto_{proto}: {msg}")),
            Reason::L4Text { proto, msg } => Some(format!("nf_ct_proto_{proto}: {msg}")),
            Reason::HelperDrop { helper, msg } => {
                Some(format!("nf_ct_{helper}: dropping packet: {msg}"))
            }
            _ => None,
        }
    }

    /// True when the packet never reached conntrack.
    pub fn before_conntrack(&self) -> bool {
        matches!(
            self,
            Reason::NotIp { .. }
                | Reason::Link(_)
                | Reason::Ipv4Header(_)
                | Reason::Ipv4Checksum { .. }
                | Reason::Truncated { .. }
                | Reason::Ipv6Header(_)
                | Reason::FragmentQueued
                | Reason::FragmentDropped(_)
                | Reason::TableFull
                | Reason::ForwardDrop(_)
                | Reason::HookDrop(_)
        )
    }
}

fn proto_name(p: u8) -> String {
    match p {
        1 => "icmp".into(),
        6 => "tcp".into(),
        17 => "udp".into(),
        33 => "dccp".into(),
        47 => "gre".into(),
        58 => "icmpv6".into(),
        132 => "sctp".into(),
        136 => "udplite".into(),
        n => format!("protocol {n}"),
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NotIp { ethertype } => {
                write!(f, "not IP (ethertype 0x{ethertype:04x}): bridged without conntrack")
            }
            Reason::Link(e) => write!(f, "{e}"),
            Reason::Ipv4Header(what) => {
                write!(f, "dropped before conntrack: bad IPv4 header ({what})")
            }
            Reason::Ipv4Checksum { found, expected } => write!(
                f,
                "dropped before conntrack: bad IPv4 header checksum 0x{found:04x} (should be 0x{expected:04x}); --ignore-ip-checksum accepts it"
            ),
            Reason::Truncated { have, need } => write!(
                f,
                "dropped before conntrack: truncated IP packet ({have} of {need} bytes captured)"
            ),
            Reason::Ipv6Header(what) => {
                write!(f, "dropped before conntrack: bad IPv6 header ({what})")
            }
            Reason::FragmentQueued => f.write_str("fragment queued for reassembly"),
            Reason::FragmentDropped(why) => write!(f, "fragment dropped by reassembly: {why}"),
            Reason::TableFull => f.write_str("table full, dropping packet"),
            Reason::HookDrop(why) => write!(f, "dropped before conntrack by {why}"),
            Reason::NoTrack => f.write_str("NOTRACK: not tracked"),
            Reason::HelperDrop { helper, msg } => write!(
                f,
                "classified, then dropped by the {helper} helper: {msg}; a new entry is not kept"
            ),
            Reason::ForwardDrop(what) => write!(
                f,
                "dropped by br_netfilter's FORWARD re-check after conntrack ({what}); no entry is confirmed"
            ),
            Reason::NoL4Proto(what) => write!(f, "no trackable layer-4 header: {what}"),
            Reason::NoTuple { proto } => write!(
                f,
                "{} header too short to build the tuple",
                proto_name(*proto)
            ),
            Reason::NoInverse { proto, kind } => write!(
                f,
                "{} type {kind} has no reply type: cannot invert the tuple",
                proto_name(*proto)
            ),
            Reason::L4 { proto, msg } => write!(f, "{}: {msg}", proto_name(*proto)),
            Reason::L4Text { proto, msg } => write!(f, "{}: {msg}", proto_name(*proto)),
            Reason::CantCreate { proto, kind } => write!(
                f,
                "{}: can't create new conn with type {kind} (a reply or message with no entry)",
                proto_name(*proto)
            ),
            Reason::WrongFamily { proto } => write!(
                f,
                "{} is not tracked in this IP version",
                proto_name(*proto)
            ),
            Reason::TcpNoPickup => f.write_str(
                "tcp: not a SYN, and nf_conntrack_tcp_loose=0 forbids picking up connections mid-stream",
            ),
            Reason::SctpInvalid(what) => write!(f, "sctp: {what}"),
            Reason::L4Silent { proto, what } => write!(f, "{}: {what}", proto_name(*proto)),
            Reason::ErrorNoMatch { proto } => write!(
                f,
                "{} error quotes a packet of no known connection",
                proto_name(*proto)
            ),
            Reason::ErrorBadQuote { proto, what } => {
                write!(f, "{} error: quoted packet unusable ({what})", proto_name(*proto))
            }
            Reason::Icmpv6NotTracked { kind } => write!(
                f,
                "icmpv6 type {kind} (neighbour/router discovery, MLD, multicast router discovery) is never tracked"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_lines() {
        let r = Reason::L4 {
            proto: 17,
            msg: "truncated/malformed packet",
        };
        assert_eq!(
            r.kernel_log().unwrap(),
            "nf_ct_proto_17: truncated/malformed packet"
        );
        assert_eq!(r.to_string(), "udp: truncated/malformed packet");
        assert!(Reason::FragmentQueued.before_conntrack());
        assert!(Reason::NoTuple { proto: 6 }.kernel_log().is_none());
    }
}
